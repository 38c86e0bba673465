"""Archives, newspapers, theses and translations as Chicago 17 prints them, and what the
exporters and importers keep of them (issue 26): a ledger on Russia and Japan 1917-1919,
through the real command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import invoke

SOURCES = '''
[[source]]
id = "garf-1779-1-145"
type = "manuscript"
title = "Protocol of the Council of Ministers of the Omsk Government"
issued = "1919-03-02"
archive = "ГАРФ"
archive-romanised = "GARF"
archive-place = "Moscow"
archive-location = "f. 1779, op. 1, d. 145"

[[source]]
id = "shuppei-sengen-1918"
type = "article-newspaper"
title = "Shuppei sengen"
original-title = "出兵宣言"
translated-title = "Declaration of the Expedition"
container-title = "Tokyo Asahi Shinbun"
issued = "1918-08-03"
edition = "morning"
section = "2"
language = "ja"

[[source]]
id = "smith-2009"
type = "thesis"
authors = ["Smith, Jane"]
title = "Siberian Intervention and the \\"Czech Legion\\": A Study"
genre = "Doctoral dissertation"
publisher = "University of Chicago"
issued = "2009"

[[source]]
id = "sukhanov-1955"
type = "book"
authors = ["Sukhanov, N. N."]
editors = ["Carmichael, Joel"]
translators = ["Carmichael, Joel"]
title = "The Russian Revolution, 1917: A Personal Record"
original-work-title = "Zapiski o revoliutsii"
publisher = "Oxford University Press"
publisher-place = "London"
issued = "1955"

[[source]]
id = "trotsky-1932"
type = "book"
authors = ["Trotsky, Leon"]
title = "The History of the Russian Revolution"
publisher = "Simon and Schuster"
issued = "1932"

[[source]]
id = "doe-1990"
type = "article-journal"
authors = ["Doe, John"]
title = "Was It a War?"
container-title = "Slavic Review"
volume = "49"
issued = "1990"

[[note]]
number = 1
text = "GARF, f. 1779."
citations = [{ source = "garf-1779-1-145", pages = "ll. 40-42" }]
'''

WORKS = ["garf-1779-1-145", "shuppei-sengen-1918", "smith-2009", "sukhanov-1955",
         "trotsky-1932", "doe-1990"]


def _events() -> str:
    out = []
    for n, (first, later) in enumerate((("ll. 40-42", "l. 43"), ("1", "1"), ("22", "23"),
                                        ("5", "6"), ("3", "4"), ("4", "5"))):
        sid = WORKS[n]
        for k, loc in enumerate((first, later)):
            out.append(f'[[event]]\nid = "e{n}-{k}"\ntitle = "Event {n} {k}"\n'
                       f'date = "1919-{k + 1:02d}-{n + 1:02d}"\n'
                       f'citations = [{{ source = "{sid}", pages = "{loc}" }}]\n')
    return "\n".join(out)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    (tmp_path / "events.toml").write_text(_events(), encoding="utf-8")
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    r = invoke("check", data=tmp_path)
    assert r.exit_code == 0, r.stdout + r.stderr
    return tmp_path


def _notes(ledger: Path) -> dict[str, list[str]]:
    r = invoke("cite", "event", "-f", "json", data=ledger)
    assert r.exit_code == 0, r.stderr
    out: dict[str, list[str]] = {}
    for note in json.loads(r.stdout)["notes"]:
        out.setdefault(note["source"]["id"], []).append(note["text"])
    return out


def test_archival_note_puts_the_folio_after_the_call_number(ledger: Path):
    first, short = _notes(ledger)["garf-1779-1-145"]
    assert first == ("Protocol of the Council of Ministers of the Omsk Government, March 2, "
                     "1919, GARF, Moscow, f. 1779, op. 1, d. 145, ll. 40–42.")
    assert short.endswith("GARF, f. 1779, op. 1, d. 145, l. 43.")
    assert "ГАРФ" not in first + short


def test_newspaper_keeps_its_day_edition_and_section(ledger: Path):
    first, short = _notes(ledger)["shuppei-sengen-1918"]
    assert first == ("“Shuppei sengen 出兵宣言” [Declaration of the Expedition], Tokyo Asahi "
                     "Shinbun, morning edition, August 3, 1918, sec. 2, 1.")
    assert short == "“Shuppei sengen,” 1."


def test_thesis_is_a_phd_dissertation_with_nested_quotes_single(ledger: Path):
    first, short = _notes(ledger)["smith-2009"]
    assert first == ("Jane Smith, “Siberian Intervention and the ‘Czech Legion’: A Study” "
                     "(PhD diss., University of Chicago, 2009), 22.")
    assert short == "Smith, “Siberian Intervention,” 23."


def test_edited_and_translated_by_one_person(ledger: Path):
    first, _short = _notes(ledger)["sukhanov-1955"]
    assert "ed. and trans. Joel Carmichael" in first and "trans. Joel Carmichael (" not in \
        first.replace("ed. and trans.", "")
    bib = invoke("sources", "-f", "chicago", data=ledger).stdout
    entry = next(line for line in bib.splitlines() if line.startswith("Sukhanov"))
    assert "Edited and translated by Joel Carmichael." in entry
    assert entry.endswith("Originally published as Zapiski o revoliutsii.")
    assert "Записки" not in entry and "Zapiski" not in first  # not in notes (CMOS 14.114)


def test_short_title_never_stops_inside_a_phrase(ledger: Path):
    _first, short = _notes(ledger)["trotsky-1932"]
    assert short == "Trotsky, History of the Russian Revolution, 4."


def test_title_ending_in_a_question_mark_takes_no_more_punctuation(ledger: Path):
    first, short = _notes(ledger)["doe-1990"]
    assert first == "John Doe, “Was It a War?” Slavic Review 49 (1990): 4."
    assert short == "Doe, “Was It a War?” 5."
    bib = invoke("sources", "-f", "chicago", data=ledger).stdout
    assert "Doe, John. “Was It a War?” Slavic Review 49 (1990)." in bib
    assert "?." not in bib and "?,”" not in bib


def test_csl_json_keeps_days_archive_thesis_and_original_work(ledger: Path):
    items = {i["id"]: i for i in json.loads(invoke("sources", "-f", "csl-json",
                                                   data=ledger).stdout)}
    assert items["shuppei-sengen-1918"]["issued"] == {"date-parts": [[1918, 8, 3]]}
    assert items["shuppei-sengen-1918"]["section"] == "2"
    g = items["garf-1779-1-145"]
    assert (g["archive"], g["archive_location"], g["archive-place"]) == \
        ("GARF", "f. 1779, op. 1, d. 145", "Moscow")
    assert "f. 1779" not in g["title"]
    assert items["smith-2009"]["genre"] == "PhD diss."
    assert items["smith-2009"]["publisher"] == "University of Chicago"
    assert items["sukhanov-1955"]["original-title"] == "Zapiski o revoliutsii"
    assert all("title-short" in i for i in items.values())
    # the original script reaches Zotero through `note` (its Extra), not only `custom`
    assert "出兵宣言" in items["shuppei-sengen-1918"]["note"]


def test_bibtex_and_ris_carry_thesis_archive_and_day(ledger: Path):
    bib = invoke("sources", "-f", "bibtex", data=ledger).stdout
    thesis = bib[bib.index("@thesis{smith-2009"):].split("\n}\n")[0]
    assert "type = {phdthesis}" in thesis and "institution = {University of Chicago}" in thesis
    garf = bib[bib.index("{garf-1779-1-145"):].split("\n}\n")[0]
    assert bib[bib.index("{garf-1779-1-145") - 5:].startswith("@misc")
    assert "entrysubtype = {archival}" in garf and "date = {1919-03-02}" in garf
    assert garf.count("f. 1779") == 1
    ris = invoke("sources", "-f", "ris", data=ledger).stdout
    rec = ris[ris.index("ID  - shuppei-sengen-1918"):].split("ER  -")[0]
    assert "DA  - 1918/08/03" in rec and "SE  - 2" in rec
    assert re.search(r"^TY  - NEWS", ris[:ris.index("ID  - shuppei")].rsplit("ER  -", 1)[-1],
                     re.M)
    th = ris[ris.index("ID  - smith-2009"):].split("ER  -")[0]
    assert "M3  - PhD diss." in th and "PB  - University of Chicago" in th


@pytest.mark.parametrize("fmt", ["csl-json", "ris", "bibtex"])
def test_export_then_import_keeps_every_new_field(ledger: Path, tmp_path: Path, fmt: str):
    text = invoke("sources", "-f", fmt, data=ledger).stdout
    path = tmp_path / f"works.{ {'csl-json': 'json', 'ris': 'ris', 'bibtex': 'bib'}[fmt]}"
    path.write_text(text, encoding="utf-8")
    from farchron import importers

    recs, _errors = importers.read(path.read_text("utf-8"), fmt)
    by_title = {r.fields["title"]: r.fields for r in recs}
    news = next(v for k, v in by_title.items() if k.startswith("Shuppei sengen"))
    assert news["issued"] == "1918-08-03"
    garf = by_title["Protocol of the Council of Ministers of the Omsk Government"]
    assert garf["archive-location"] == "f. 1779, op. 1, d. 145"
    thesis = next(v for k, v in by_title.items() if k.startswith("Siberian Intervention"))
    assert thesis["type"] == "thesis" and thesis.get("genre", "").startswith("PhD")
    if fmt == "csl-json":
        assert news["original-title"] == "出兵宣言"
        assert by_title[next(k for k in by_title if k.startswith("The Russian Revolution"))][
            "original-work-title"] == "Zapiski o revoliutsii"


def test_short_title_never_stops_inside_a_name_or_before_its_noun():
    """Issue 26, walked with the Zotero-style second ledger: a romanised Russian title cut
    at four words must not end on initials ("politika A. V. [Kolchaka]") or on an adjective
    waiting for its noun ("Priamurskogo voennogo [okruga]")."""
    from farchron.cite.chicago import short_title
    from farchron.model.records import Source

    def short(title: str, language: str) -> str:
        return short_title(Source("w", "book", title, (), "2001", {"language": language}))

    assert short("Pravookhranitel’naia politika A. V. Kolchaka", "ru") == \
        "Pravookhranitel’naia politika"
    assert short("Prikaz voiskam Priamurskogo voennogo okruga", "ru") == "Prikaz voiskam"
    assert short("Zhurnal zasedaniia Soveta ministrov Rossiiskogo pravitel’stva", "ru") == \
        "Zhurnal zasedaniia Soveta ministrov"
    assert short("Mei to Ann no Nomonhan Senshi", "ja") == "Mei to Ann"  # as the paper
