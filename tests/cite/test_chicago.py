"""Draft-ready Chicago (CMOS 17th ed., notes-bibliography) from `cite` and `sources -f chicago`.

One test per rule of issue 14, each through the real command line (CliRunner) on the
shipped sources.toml, with events written to cite the works in a known order.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, invoke

#: Events citing the shipped works directly, so the order of first and later citations
#: (full note, short form, Ibid.) is known.
EVENTS = '''
[[event]]
id = "alpha"
title = "Alpha"
date = "1939-01-01"
summary = "Several works at one place."
citations = [
  { source = "showa-tenno-jitsuroku-9", pages = "750" },
  { source = "slavinsky-2002", pages = "364" },
  { source = "slavinsky-1996", pages = "85" },
]

[[event]]
id = "beta"
title = "Beta"
date = "1939-02-01"
summary = "Russian books and an archive."
citations = [
  { source = "russko-kitaiskie-otnosheniia-4-1", pages = "40-41" },
  { source = "rossiisko-mongolskoe-voennoe-sotrudnichestvo-1", pages = "306" },
  { source = "rgaspi-644-1-397", pages = "L. 148" },
]

[[event]]
id = "gamma"
title = "Gamma"
date = "1939-03-01"
summary = "The same works again: short forms."
citations = [
  { source = "showa-tenno-jitsuroku-9", pages = "751" },
  { source = "russko-kitaiskie-otnosheniia-4-1", pages = "60" },
]

[[event]]
id = "delta"
title = "Delta"
date = "1939-04-01"
summary = "Chapters, articles and Russian publishers: Stalin's 'plan'."
citations = [
  { source = "asada-2017", pages = "239" },
  { source = "lozhkina-2015", pages = "272" },
  { source = "krivosheev-2010", pages = "159" },
  { source = "shinoda-2016", pages = "31" },
]

[[event]]
id = "epsilon"
title = "Epsilon"
date = "1939-05-01"
summary = "One work alone."
citations = [{ source = "krivosheev-2010", pages = "160" }]
'''


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chicago")
    (folder / "events.toml").write_text(EVENTS, encoding="utf-8")
    shutil.copy(ROOT / "sources.toml", folder / "sources.toml")
    return folder


def _cite(draft: Path, *args: str) -> str:
    r = invoke("cite", "a", "--min-score", "0", *args, data=draft)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def _notes(draft: Path) -> list[str]:
    data = json.loads(_cite(draft, "-f", "json"))
    return [n["text"] for n in data["notes"]]


# --------------------------------------------------------------------------- one note a place


def test_one_note_per_place_works_joined_by_semicolons(draft: Path):
    text = _cite(draft)
    assert "Several works at one place.[1]\n" in text
    assert not re.search(r"\]\[", text)  # never two markers side by side
    notes = _notes(draft)
    assert len(notes) == 5
    assert notes[0].count("; ") >= 2 and notes[0].startswith("Imperial Household Agency")


def test_markdown_has_one_footnote_marker_a_place(draft: Path):
    md = _cite(draft, "-f", "markdown")
    assert "[^1]" in md and "][^" not in md
    assert md.count("\n[^") == 5


# --------------------------------------------------------------------------- typography


def test_markdown_apostrophes_are_typographic_never_backslash_escaped(draft: Path):
    md = _cite(draft, "-f", "markdown")
    assert "\\'" not in md and '\\"' not in md
    assert "poter’" in md  # krivosheev-2010, "Kniga poter'"
    assert "Stalin’s ‘plan’" in md  # the summary's quotes, curled


def test_single_quotes_inside_a_quoted_title_curl(draft: Path):
    notes = _notes(draft)
    assert "‘Kitaisareta’ Kikoku" in notes[3]


# --------------------------------------------------------------------------- names


def test_russian_author_of_a_japanese_translation_keeps_given_name_first(draft: Path):
    first = _notes(draft)[0]
    assert "Boris Slavinsky and Dmitriy Slavinsky, Chugoku Kakumei" in first
    assert "Boris Slavinsky, Kohsho" in first
    assert "Slavinsky Boris" not in first
    assert "trans. Kato Yukihiko" in first  # the Japanese translator stays family-first


def test_editor_et_al_as_printed_is_kept(draft: Path):
    assert "ed. Matsudo Kiyohiro et al. (" in _notes(draft)[3]


# --------------------------------------------------------------------------- titles


def test_translated_title_brackets_follow_the_closing_quotation_mark(draft: Path):
    note = _notes(draft)[3]
    assert ("“Stalin no Nihonzo to Tainichi Seisaku” [Stalin’s Image of Japan and his "
            "Policy toward Japan], in") in note
    assert ",]" not in note and "],”" not in note


def test_short_form_keeps_the_volume(draft: Path):
    assert "Imperial Household Agency, Showa Tenno Jitsuroku, 9:751" in _notes(draft)[2]


def test_short_title_never_stops_mid_phrase(draft: Path):
    gamma = _notes(draft)[2]
    assert "Russko-kitaiskie otnosheniia, vol. 4-1, 60." in gamma
    assert "v XX," not in gamma


def test_no_date_is_nd(draft: Path):
    beta = _notes(draft)[1]
    assert "vol. I (n.p., n.d.), 306" in beta


# --------------------------------------------------------------------------- publishers


def test_publishers_romanised_as_chicago_does(draft: Path):
    notes = " ".join(_notes(draft))
    assert "(Veche, 2010), 159" in notes
    assert "(Pamiatniki istoricheskoi mysli, 2000), 40–41" in notes
    assert not re.search(r"\((?:[^()]*[А-Яа-яЁё][^()]*), \d{4}\)", notes)


def test_archival_note_names_the_archive_once(draft: Path):
    beta = _notes(draft)[1]
    assert ("RGASPI (Russian State Archive of Socio-Political History), F. 644, Op. 1, "
            "D. 397, L. 148.") in beta
    assert "РГАСПИ" not in beta and beta.count("RGASPI") == 1


def test_ibid_only_after_a_single_work_note(draft: Path):
    notes = _notes(draft)
    # note 5 cites krivosheev alone after note 4 cited four works: a short form, no Ibid.
    assert notes[4] == "Krivosheev, Rossiia i SSSR, 160."


# --------------------------------------------------------------------------- bibliography


def test_sources_chicago_is_an_alphabetised_bibliography():
    r = invoke("sources", "-f", "chicago", data=ROOT)
    assert r.exit_code == 0, r.stderr
    entries = [e for e in r.stdout.split("\n") if e]
    assert len(entries) == 39
    assert "Tomita Takeshi. Stalinism no Tochi Kozo スターリニズムの統治構造 [The Governing " \
           "Structure of Stalinism]. Iwanami Shoten, 1996." in entries
    assert "Krivosheev, G. F. Rossiia i SSSR v voinakh XX veka: Kniga poter’ Россия и СССР " \
           "в войнах XX века: Книга потерь. Veche, 2010." in entries
    assert "Slavinsky, Boris, and Dmitriy Slavinsky. Chugoku Kakumei to Soren: Konichi Sen " \
           "made no Butaiura [The Chinese Revolution and the Soviet Union: Backstage up to " \
           "the Anti-Japanese War]. Translated by Kato Yukihiko. Kyodo News, 2002." in entries
    import unicodedata

    def key(e: str) -> str:
        e = unicodedata.normalize("NFKD", e)
        return "".join(c for c in e if not unicodedata.combining(c)).casefold()

    keys = [key(re.split(r"[.,]", e)[0]) for e in entries]  # the leading name or title
    assert keys == sorted(keys), "the bibliography is not in alphabetical order"
    single = entries.index(next(e for e in entries if e.startswith("Slavinsky, Boris. ")))
    assert entries[single + 1].startswith("Slavinsky, Boris, and Dmitriy Slavinsky.")


def test_sources_chicago_markdown_italics():
    r = invoke("sources", "tomita-1996", "-f", "chicago-markdown", data=ROOT)
    assert r.exit_code == 0, r.stderr
    assert "\n\nTomita Takeshi. *Stalinism no Tochi Kozo* スターリニズム" in "\n\n" + r.stdout


def test_cite_bibliography_lists_the_works_cited(draft: Path):
    text = _cite(draft, "--bibliography")
    _head, _, bib = text.partition("\nBibliography\n\n")
    assert bib, text
    lines = [ln for ln in bib.splitlines() if ln]
    assert len(lines) == 10  # the works cited, each once
    assert not [ln for ln in lines if ln.endswith("..")]
    assert lines[0].startswith("Asada Masafumi. “Stalin to Ishiwara Kanji")


# --------------------------------------------------------------------------- docx, edition


def test_cite_docx_through_pandoc(draft: Path, tmp_path: Path):
    out = tmp_path / "draft.docx"
    r = invoke("cite", "a", "--min-score", "0", "-f", "docx", "-o", str(out), data=draft)
    if shutil.which("pandoc") is None:
        assert r.exit_code == 2 and "pandoc" in r.stderr
        return
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:2] == b"PK"
    plain = subprocess.run(["pandoc", str(out), "-t", "plain", "--wrap=none"],
                           capture_output=True, text=True, check=True).stdout
    assert "Boris Slavinsky" in plain and "[1]" in plain


def test_cite_docx_needs_an_output_file(draft: Path):
    r = invoke("cite", "a", "--min-score", "0", "-f", "docx", data=draft)
    assert r.exit_code == 2 and "-o" in r.stderr


def test_help_and_readme_name_the_edition():
    r = invoke("cite", "--help", data=None)
    assert "Chicago Manual of Style, 17th" in " ".join(r.stdout.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Chicago Manual of Style*, 17th edition" in readme


def test_edition_18_short_forms_for_ibid_no_place_three_authors_et_al(draft: Path):
    council = ["cite", "Supreme War Leadership Council"]
    n17 = json.loads(invoke(*council, "-f", "json", data=ROOT).stdout)["notes"]
    n18 = json.loads(invoke(*council, "-f", "json", "--edition", "18", data=ROOT).stdout)["notes"]
    assert n17[2]["text"] == "Ibid."
    assert n18[2]["text"] == "Hanada, “Soviet Far Eastern Strategy,” sec. 3(2)."
    m17 = invoke("cite", "Soviet forces withdraw from Mongolia", data=ROOT).stdout
    m18 = invoke("cite", "Soviet forces withdraw from Mongolia", "--edition", "18",
                 data=ROOT).stdout
    assert "(Moscow: TERRA, 1997)" in m17 and "(TERRA, 1997)" in m18
    delta = json.loads(_cite(draft, "-f", "json", "--edition", "18"))["notes"][3]["text"]
    assert "A. S. Lozhkina et al., “Stalin no Nihonzo" in delta
    assert invoke("cite", "x", "--edition", "16", data=ROOT).exit_code == 2


def test_cite_docx_without_pandoc_is_one_clear_message(draft: Path, tmp_path: Path):
    out = tmp_path / "draft.docx"
    r = invoke("cite", "a", "--min-score", "0", "-f", "docx", "-o", str(out), data=draft,
               env={"PATH": str(tmp_path)})  # no pandoc on this PATH
    assert r.exit_code == 2 and r.stdout == ""
    assert "needs pandoc" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
