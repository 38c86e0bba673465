"""`import --update`: a Zotero library re-exported with corrections (CSL-JSON and RIS) updates
the works the ledger has already, in place, keeping ids, citations, comments and the
fields only the ledger knows; --dry-run lists the changes and writes nothing. The ledger:
the Meiji Restoration, 1868-1869."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke

EVENTS = '''\
[[event]]
id = "boshin-war"
title = "Boshin War"
date = "1868-01-27/1869-06-27"
summary = "Forces of the new government defeat those loyal to the Tokugawa shogunate."
citations = [{ source = "jansen-2000", pages = "310-333" }]

[[event]]
id = "charter-oath"
title = "Charter Oath"
date = "1868-04-06"
summary = "The Meiji Emperor proclaims five principles of the new government."
citations = [{ source = "beasley-1972", pages = "322-324" },
             { source = "jansen-2000", pages = "338" }]

[[event]]
id = "abolition-of-the-han"
title = "Abolition of the han system"
date = "1871-08-29"
summary = "The domains are replaced by prefectures."
citations = [{ source = "steele-1981", pages = "312" }]
'''

SOURCES = '''\
[[source]]
id = "jansen-2000"
type = "book"
authors = ["Jansen, Marius B."]
title = "The Making of Modern Japan"
publisher = "Harvard University Press"   # as on the title page of the library copy
publisher-place = "Cambridge"
issued = "2000"
isbn = "9780674003347"

[[source]]
id = "beasley-1972"
type = "book"
authors = [
  "Beasley, W. G.",
]
authors-romanised = ["Beasley, William Gerald"]
title = "The Meiji Restoration"
publisher = "Stanford University Press"
issued = "1972"

[[source]]
id = "steele-1981"
type = "article-journal"
authors = ["Steele, M. William"]
title = "Against the Restoration: Katsu Kaishu's Attempt to Reinstate the Tokugawa Family"
container-title = "Monumenta Nipponica"
issued = "1981"
doi = "10.2307/2384439"
'''


def zotero_json(**changes: dict[str, object]) -> str:
    """The three works as Zotero exports them in CSL-JSON, with per-item corrections."""
    items = {
        "jansen": {"id": "http://zotero.org/users/7/items/J2000", "type": "book",
                   "title": "The Making of Modern Japan",
                   "author": [{"family": "Jansen", "given": "Marius B."}],
                   "issued": {"date-parts": [["2000"]]},
                   "publisher": "Harvard University Press", "publisher-place": "Cambridge",
                   "ISBN": "978-0-674-00334-7"},
        "beasley": {"id": "http://zotero.org/users/7/items/B1972", "type": "book",
                    "title": "The Meiji Restoration",
                    "author": [{"family": "Beasley", "given": "W. G."}],
                    "issued": {"date-parts": [["1972"]]},
                    "publisher": "Stanford University Press"},
    }
    for key, fields in changes.items():
        items[key].update(fields)
    return json.dumps(list(items.values()), ensure_ascii=False, indent=1)


@pytest.fixture
def meiji(tmp_path: Path) -> Path:
    (tmp_path / "events.toml").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return tmp_path


def write(folder: Path, name: str, text: str) -> str:
    path = folder.parent / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_corrected_field_is_updated_in_place(meiji: Path) -> None:
    export = write(meiji, "corrected.json", zotero_json(jansen={
        "publisher": "Belknap Press of Harvard University Press",
        "publisher-place": "Cambridge, Mass."}))
    r = invoke("import", "--update", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    assert ('updated jansen-2000: publisher: "Harvard University Press" -> '
            '"Belknap Press of Harvard University Press"') in r.stderr
    assert 'updated jansen-2000: publisher-place: "Cambridge" -> "Cambridge, Mass."' in r.stderr
    assert "unchanged beasley-1972" in r.stderr
    # an ISBN written with hyphens is the same ISBN: no change
    assert "isbn" not in r.stderr
    assert "updated 1 work, 1 unchanged" in r.stderr
    assert r.stdout == ""  # nothing added
    text = (meiji / "sources.toml").read_text(encoding="utf-8")
    # only the two lines changed; the comment on the line is kept
    assert text == SOURCES.replace(
        'publisher = "Harvard University Press"   #',
        'publisher = "Belknap Press of Harvard University Press"   #').replace(
        'publisher-place = "Cambridge"', 'publisher-place = "Cambridge, Mass."')
    assert (meiji / "events.toml").read_text(encoding="utf-8") == EVENTS
    # ids and citations kept: the footnote now gives the corrected publisher
    r = invoke("cite", "boshin-war", data=meiji)
    assert r.exit_code == 0, r.stderr
    assert "Cambridge, Mass.: Belknap Press of Harvard University Press" in r.stdout
    assert invoke("check", data=meiji).exit_code == 0


def test_dry_run_lists_the_changes_and_writes_nothing(meiji: Path) -> None:
    export = write(meiji, "corrected.json", zotero_json(
        beasley={"publisher": "Stanford UP", "number-of-pages": "513"}))
    r = invoke("import", "--update", "--dry-run", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    assert ('would update beasley-1972: publisher: "Stanford University Press" -> '
            '"Stanford UP"') in r.stderr
    assert "would update 1 work, 1 unchanged" in r.stderr
    assert (meiji / "sources.toml").read_text(encoding="utf-8") == SOURCES


def test_without_update_a_correction_is_still_skipped(meiji: Path) -> None:
    export = write(meiji, "corrected.json", zotero_json(jansen={"publisher": "Belknap"}))
    r = invoke("import", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    assert "already there as 'jansen-2000'" in r.stderr
    assert (meiji / "sources.toml").read_text(encoding="utf-8") == SOURCES


def test_a_multiline_field_is_replaced_whole_and_fields_only_the_ledger_has_stay(
        meiji: Path) -> None:
    export = write(meiji, "corrected.json", zotero_json(beasley={
        "author": [{"family": "Beasley", "given": "William G."}],
        "publisher-place": "Stanford, Calif."}))
    r = invoke("import", "--update", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    text = (meiji / "sources.toml").read_text(encoding="utf-8")
    record = text.split("[[source]]")[2]
    assert 'authors = ["Beasley, William G."]\n' in record
    assert '"Beasley, W. G.",' not in text
    # kept: the field the export does not know
    assert 'authors-romanised = ["Beasley, William Gerald"]' in record
    # a new field goes where the field order puts it: after publisher, before issued
    assert record.index("publisher =") < record.index("publisher-place =") \
        < record.index("issued =")
    assert "updated beasley-1972: authors: [Beasley, W. G.] -> [Beasley, William G.]" \
        in r.stderr
    # the work keeps its id; its citation still resolves (under the romanised name kept)
    r = invoke("cite", "charter-oath", data=meiji)
    assert r.exit_code == 0, r.stderr
    assert "William Gerald Beasley, The Meiji Restoration (Stanford, Calif." in r.stdout


RIS = """\
TY  - JOUR
AU  - Steele, M. William
TI  - Against the Restoration: Katsu Kaishu's Attempt to Reinstate the Tokugawa Family
T2  - Monumenta Nipponica
PY  - 1981
VL  - {volume}
IS  - 3
SP  - 299
EP  - 316
DO  - 10.2307/2384439
ER  -

TY  - BOOK
AU  - Totman, Conrad
TI  - The Collapse of the Tokugawa Bakufu, 1862-1868
PY  - 1980
PB  - University of Hawaii Press
ER  -
"""


def test_a_ris_re_export_matched_by_doi_updates_and_adds(meiji: Path) -> None:
    export = write(meiji, "library.ris", RIS.format(volume="36"))
    r = invoke("import", "--update", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    assert 'updated steele-1981: volume: (none) -> "36"' in r.stderr
    assert 'updated steele-1981: page: (none) -> "299' in r.stderr
    assert r.stdout.split() == ["totman-1980"]  # the new work is added as usual
    text = (meiji / "sources.toml").read_text(encoding="utf-8")
    steele = text.split("[[source]]")[3]
    assert steele.index("container-title") < steele.index("volume = \"36\"") \
        < steele.index("issue = \"3\"") < steele.index("issued")
    assert text.count('id = "steele-1981"') == 1
    # the same export again: nothing changes
    before = text
    r = invoke("import", "--update", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    assert "unchanged steele-1981" in r.stderr and "unchanged totman-1980" in r.stderr
    assert (meiji / "sources.toml").read_text(encoding="utf-8") == before
    # a second correction of the same field
    export = write(meiji, "library.ris", RIS.format(volume="36.3"))
    r = invoke("import", "--update", export, data=meiji)
    assert 'updated steele-1981: volume: "36" -> "36.3"' in r.stderr


def test_a_work_in_a_sources_part_is_updated_in_its_part(meiji: Path) -> None:
    (meiji / "sources.toml").write_text(
        'include = ["works/*.toml"]\n\n' + SOURCES.split("\n\n[[source]]\nid = \"steele")[0]
        + "\n", encoding="utf-8")
    (meiji / "works").mkdir()
    part = meiji / "works" / "articles.toml"
    part.write_text("[[source]]\nid = \"steele" + SOURCES.split("id = \"steele")[1],
                    encoding="utf-8")
    assert invoke("check", data=meiji).exit_code == 0
    main_before = (meiji / "sources.toml").read_text(encoding="utf-8")
    export = write(meiji, "library.ris", RIS.format(volume="36").split("\n\n")[0] + "\n")
    r = invoke("import", "--update", export, data=meiji)
    assert r.exit_code == 0, r.stderr
    assert 'volume = "36"' in part.read_text(encoding="utf-8")
    assert (meiji / "sources.toml").read_text(encoding="utf-8") == main_before
