"""`farchron sources` and its exports, each read back by its real consumer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, invoke, validate_csl_json


def _export(fmt: str, *args: str, data: Path = ROOT) -> str:
    r = invoke("sources", *args, "-f", fmt, data=data)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_sources_listing_and_query():
    r = invoke("sources", data=ROOT)
    lines = r.stdout.splitlines()
    assert len(lines) == 39
    assert "krivosheev-2010\tbook\tКривошеев, Г. Ф.\t2010\tRossiia i SSSR" in r.stdout
    hits = invoke("sources", "Кривошеев", data=ROOT).stdout.splitlines()
    assert hits[0].startswith("krivosheev-2010\t")
    hits = invoke("sources", "Krivosheev", data=ROOT).stdout.splitlines()
    assert hits[0].startswith("krivosheev-2010\t")
    assert invoke("sources", "zzqqxx", data=ROOT).exit_code == 1
    data = json.loads(invoke("sources", "hata", "-f", "json", data=ROOT).stdout)
    assert {"id", "type", "title", "authors", "issued"} <= set(data[0])


def test_csl_json_validates_against_the_official_schema():
    items = json.loads(_export("csl-json"))
    validate_csl_json(items)
    assert len(items) == 39
    k = next(i for i in items if i["id"] == "krivosheev-2010")
    # not `original-title` (CSL: the original of a translation); kept under custom
    assert "original-title" not in k
    assert k["custom"]["original-script-title"] == "Россия и СССР в войнах XX века: Книга потерь"
    assert k["author"] == [{"family": "Krivosheev", "given": "G. F."}]
    assert k["custom"]["names-as-printed"] == ["Кривошеев, Г. Ф."]
    assert k["issued"] == {"date-parts": [[2010]]}
    h = next(i for i in items if i["id"] == "hata-2014")
    assert h["custom"]["translated-title"].startswith("The Brightness and Darkness")


def _need_pandoc() -> None:
    if shutil.which("pandoc") is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is required in CI")
        pytest.skip("pandoc not installed")


def test_csl_json_renders_with_pandoc_citeproc_without_warnings(tmp_path: Path):
    _need_pandoc()
    bib = tmp_path / "works.json"
    bib.write_text(_export("csl-json"), encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text("---\nnocite: '@*'\n---\n\nText [@krivosheev-2010, 159; @hata-2014].\n",
                   encoding="utf-8")
    r = subprocess.run(["pandoc", str(doc), "--citeproc", "--bibliography", str(bib),
                        "-t", "plain", "--wrap=none"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "Krivosheev" in r.stdout and "Rossiia i SSSR" in r.stdout
    assert "Mei to Ann no Nomonhan Senshi" in r.stdout


def _bib_entries(text: str) -> list[dict[str, str]]:
    """bibtexparser 2's entries as v1's dicts (ID, ENTRYTYPE and the fields), month
    macros (common_strings in v1) resolved as strings; any block it failed on fails here."""
    import bibtexparser

    months = "".join(f"@string{{{m} = \"{m}\"}}\n" for m in (
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
    lib = bibtexparser.parse_string(months + text)
    assert lib.failed_blocks == []
    return [{"ID": e.key, "ENTRYTYPE": e.entry_type,
             **{k: str(f.value) for k, f in e.fields_dict.items()}} for e in lib.entries]


def test_bibtex_parses_with_bibtexparser():
    text = _export("bibtex")
    entries = _bib_entries(text)
    assert len(entries) == 39
    by_id = {e["ID"]: e for e in entries}
    k = by_id["krivosheev-2010"]
    assert k["ENTRYTYPE"] == "book" and k["author"] == "Krivosheev, G. F."
    assert k["titleaddon"] == "Россия и СССР в войнах XX века: Книга потерь"
    assert by_id["hata-2014"]["usere"].startswith("The Brightness")  # biblatex-chicago
    assert by_id["lozhkina-2015"]["ENTRYTYPE"] == "incollection"
    assert by_id["lu-2017"]["ENTRYTYPE"] == "article"
    assert by_id["hanada-2021"]["journal"] == "Security \\& Strategy"
    # a corporate name is one braced name, not split at its comma
    assert by_id["senshi-sosho-kantogun-1"]["author"].startswith("{Office of War Study")


def test_ris_parses_with_rispy():
    import rispy

    entries = rispy.loads(_export("ris"))
    assert len(entries) == 39
    k = next(e for e in entries if e["id"] == "krivosheev-2010")
    assert k["type_of_reference"] == "BOOK"
    assert k["authors"] == ["Krivosheev, G. F."]
    assert "original_publication" not in k  # Zotero would file OP as a loose note
    h = next(e for e in entries if e["id"] == "hata-2014")
    assert h["title"].endswith("[The Brightness and Darkness of the Nomonhan War History]")
    c = next(e for e in entries if e["id"] == "lozhkina-2015")
    assert c["type_of_reference"] == "CHAP" and len(c["secondary_authors"]) == 4


def test_exports_of_a_query_and_hostile_text(tmp_ledger: Path):
    text = (tmp_ledger / "sources.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Mei to Ann no Nomonhan Senshi"',
                        'title = "Mei {to} Ann\\u001b[2J 100% $5 #1 x_y"')
    (tmp_ledger / "sources.toml").write_text(text, encoding="utf-8")
    import rispy

    bib = _export("bibtex", "hata", data=tmp_ledger)
    assert "\x1b" not in bib
    entry = _bib_entries(bib)[0]
    assert entry["ID"] == "hata-2014" and "100\\%" in entry["title"]
    ris = _export("ris", "hata", data=tmp_ledger)
    assert "\x1b" not in ris and rispy.loads(ris)[0]["id"] == "hata-2014"
    assert "\x1b" not in _export("csl-json", "hata", data=tmp_ledger)
