"""Exports read by their real consumers: what pandoc --citeproc, biber, Zotero's RIS
translator, TimelineJS in Chromium, a spreadsheet and SQLite tools make of them.

Each consumer that is missing skips with the reason (CI installs them all: .ci/run).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    ROOT,
    SMALL,
    invoke,
    need_biblatex_chicago,
    need_program,
    validate_csl_json,
    write_ledger,
)

DATA = Path(__file__).resolve().parents[1] / "data"
CSL_STYLE = DATA / "chicago-notes-bibliography-17th-edition.csl"
CSL_LOCALE = DATA / "locales-en-US.xml"
TIMELINEJS = (Path(__file__).resolve().parents[1] / ".npm" / "node_modules" / "@knight-lab"
              / "timelinejs")
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def root_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped ledger."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    for name in ("events.toml", "sources.toml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def _export(fmt: str, *args: str, data: Path = ROOT) -> str:
    r = invoke("sources", *args, "-f", fmt, data=data)
    assert r.exit_code == 0, r.stderr
    return r.stdout


# =========================================================================== CSL-JSON


def _citeproc(tmp_path: Path, body: str, *, nocite: bool = False,
              data: Path = ROOT) -> str:
    """farchron's CSL-JSON through pandoc --citeproc and the Chicago 17 notes style."""
    need_program("pandoc", "apt-get install pandoc")
    bib = tmp_path / "works.json"
    bib.write_text(_export("csl-json", data=data), encoding="utf-8")
    doc = tmp_path / "doc.md"
    meta = "---\nnocite: '@*'\n---\n\n" if nocite else ""
    doc.write_text(meta + body + "\n", encoding="utf-8")
    r = subprocess.run(
        ["pandoc", str(doc), "--citeproc", "--bibliography", str(bib), "--csl", str(CSL_STYLE),
         "--metadata", "locale=en-US", "--resource-path", str(DATA), "-t", "plain",
         "--wrap=none"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return r.stdout


def _footnotes(plain: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\[(\d+)\] (.*)$", plain, re.M)}


def test_csl_no_false_originally_published_as(tmp_path: Path):
    items = json.loads(_export("csl-json"))
    assert not [i["id"] for i in items if "original-title" in i]
    out = _citeproc(tmp_path, "All.", nocite=True)
    assert "originally published" not in out.lower()
    assert "スターリニズムの統治構造" not in out  # not offered as an original edition


def test_csl_translated_titles_are_printed_by_citeproc(tmp_path: Path):
    out = _citeproc(tmp_path, "All.", nocite=True)
    import tomllib

    works = tomllib.loads((ROOT / "sources.toml").read_text("utf-8"))["source"]
    translated = [w["translated-title"] for w in works if w.get("translated-title")]
    assert len(translated) == 21
    def norm(t: str) -> str:  # citeproc curls quotes and apostrophes
        return t.replace("’", "'").replace("‘", "'")

    missing = [t for t in translated if norm(f"[{t}]") not in norm(out)]
    assert missing == []
    notes = _footnotes(_citeproc(tmp_path, "A.[@hata-2014, 347] B.[@hata-2014, 348]"))
    # Issue 26: names are family/given with `static-ordering` for "Hata Ikuhiko"; pandoc's
    # citeproc ignores static-ordering, so its full note puts the given name first (it was
    # a literal "Hata Ikuhiko", printed whole in short notes too); the short note is now
    # the family name alone, as Chicago's is. citeproc-js keeps the order: see
    # test_csl_names_through_citeproc_js.
    assert notes[1].startswith("Ikuhiko Hata, Mei to Ann no Nomonhan Senshi [The Brightness "
                               "and Darkness of the Nomonhan War History] (PHP Institute, "
                               "2014), 347")
    assert notes[2] == "Hata, Mei to Ann, 348."


def test_csl_title_short_is_exported_and_used(tmp_path: Path):
    items = {i["id"]: i for i in json.loads(_export("csl-json"))}
    assert items["krivosheev-2010"]["title-short"] == "Rossiia i SSSR"
    assert items["russko-kitaiskie-otnosheniia-4-1"]["title-short"] == \
        "Russko-kitaiskie otnosheniia"
    notes = _footnotes(_citeproc(
        tmp_path, "A.[@krivosheev-2010, 159] B.[@hata-2014, 1] C.[@krivosheev-2010, 160]"))
    assert notes[3] == "Krivosheev, Rossiia i SSSR, 160."


def test_csl_names_in_pandoc(tmp_path: Path):
    notes = _footnotes(_citeproc(
        tmp_path, "A.[@tomita-1996, 40] B.[@krivosheev-2010, 159] C.[@slavinsky-2002, 364] "
                  "D.[@lozhkina-2015, 272] E.[@tomita-1996, 41] F.[@slavinsky-2002, 365]"))
    # pandoc's citeproc ignores `static-ordering` (2.17 and 3.x): the family-first names it
    # printed whole as literals before issue 26 now read given first in a full note, and
    # by the family name alone in a short one
    assert notes[1].startswith("Takeshi Tomita, Stalinism no Tochi Kozo")
    assert notes[2].startswith("G. F. Krivosheev, Rossiia i SSSR")
    assert notes[3].startswith("Boris Slavinsky and Dmitriy Slavinsky, Chugoku")
    assert "trans. Yukihiko Kato" in notes[3]
    assert "ed. Makoto Iokibe et al." in notes[4]  # the style's et-al-min 4, first name kept
    assert notes[5] == "Tomita, Stalinism no Tochi Kozo, 41."
    assert notes[6] == "Slavinsky and Slavinsky, Chugoku Kakumei to Soren, 365."


def _citeproc_js(items: list[dict[str, Any]], cites: list[dict[str, str]]) -> list[str]:
    """The notes citeproc-js (Zotero's engine) writes for `cites`, one a note, in order."""
    node = need_program("node", "apt-get install nodejs")
    modules = Path(__file__).resolve().parents[1] / ".npm" / "node_modules"
    if not (modules / "citeproc").exists():
        if os.environ.get("CI"):
            pytest.fail("citeproc-js is required in CI (npm install --prefix tests/.npm citeproc)")
        pytest.skip("citeproc-js not installed: npm install --prefix tests/.npm citeproc")
    job = {"items": items, "style": CSL_STYLE.read_text("utf-8"),
           "locale": CSL_LOCALE.read_text("utf-8"), "cites": cites}
    r = subprocess.run([node, str(Path(__file__).resolve().parent / "citeproc_notes.js")],
                       input=json.dumps(job), capture_output=True, text=True, timeout=120,
                       env={**os.environ, "NODE_PATH": str(modules)})
    assert r.returncode == 0 and r.stderr == "", r.stderr
    notes: list[str] = json.loads(r.stdout)["notes"]
    return notes


def test_csl_names_through_citeproc_js():
    """Issue 26: citeproc-js keeps a name's order as printed (`static-ordering`), gives the
    family name alone in short notes, and prints a Western author of a Japanese-language
    work given first, though it orders every Latin name of a `ja` item family first."""
    items = json.loads(_export("csl-json"))
    works = ["tomita-1996", "hata-2014", "slavinsky-1996", "slavinsky-2002",
             "krivosheev-2010"]
    notes = _citeproc_js(items, [{"id": w, "locator": str(n), "label": "page"}
                                 for n, w in enumerate(works * 2, 1)])
    first, short = notes[:5], notes[5:]
    assert first[0].startswith("Tomita Takeshi, Stalinism no Tochi Kozo")
    assert short[0] == "Tomita, Stalinism no Tochi Kozo, 6."
    assert first[1].startswith("Hata Ikuhiko, Mei to Ann") and short[1] == "Hata, Mei to Ann, 7."
    assert first[2].startswith("Boris Slavinsky, Kohsho: Nisso Churitsu Joyaku")
    assert "trans. Takahashi Minoru and Ezawa Kazuhiro" in first[2]
    assert short[2] == "Slavinsky, Kohsho: Nisso Churitsu Joyaku, 8."
    assert first[3].startswith("Boris Slavinsky and Dmitriy Slavinsky, Chugoku")
    assert "trans. Kato Yukihiko" in first[3]
    assert first[4].startswith("G. F. Krivosheev, Rossiia i SSSR")
    assert short[4] == "Krivosheev, Rossiia i SSSR, 10."


def test_csl_json_still_validates_and_keeps_scripts():
    items = json.loads(_export("csl-json"))
    validate_csl_json(items)
    k = next(i for i in items if i["id"] == "krivosheev-2010")
    assert k["custom"]["original-script-title"] == "Россия и СССР в войнах XX века: Книга потерь"
    assert k["publisher"] == "Veche"


# =========================================================================== BibTeX / biber


def _bib_entries(text: str) -> dict[str, dict[str, str]]:
    """Entries by key as plain dicts (bibtexparser 2); month macros resolved as strings;
    any block it failed on fails here."""
    import bibtexparser

    months = "".join(f"@string{{{m} = \"{m}\"}}\n" for m in (
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
    lib = bibtexparser.parse_string(months + text)
    assert lib.failed_blocks == []
    return {e.key: {"ID": e.key, "ENTRYTYPE": e.entry_type,
                    **{k: str(f.value) for k, f in e.fields_dict.items()}}
            for e in lib.entries}


def _biber(tmp_path: Path, bib: str) -> tuple[str, str]:
    """biber --tool reads the .bib through biblatex's data model: (its .bib, its log)."""
    need_program("biber", "apt-get install biber")
    src = tmp_path / "in.bib"
    src.write_text(bib, encoding="utf-8")
    out = tmp_path / "out.bib"
    r = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file", str(out),
                        str(src)], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    return out.read_text(encoding="utf-8"), r.stdout + r.stderr


def test_bibtex_remarks_go_to_annotation_never_note():
    entries = _bib_entries(_export("bibtex"))
    assert [k for k, e in entries.items() if "note" in e] == []
    assert entries["kennedy-1987"]["annotation"].startswith("Title as printed in the paper")
    assert "Names as printed: Кривошеев" in entries["krivosheev-2010"]["annotation"]


def test_bibtex_langid_is_a_biblatex_language_name():
    entries = _bib_entries(_export("bibtex"))
    assert entries["hata-2014"]["langid"] == "japanese"
    assert entries["krivosheev-2010"]["langid"] == "russian"
    assert entries["kennedy-1987"]["langid"] == "english"


def test_bibtex_only_fields_biblatex_chicago_reads():
    text = _export("bibtex")
    assert not re.search(r"^\s*(origtitle|usera)\s*=", text, re.M)
    entries = _bib_entries(text)
    assert entries["hata-2014"]["titleaddon"] == "明と暗のノモンハン戦史"
    # biblatex-chicago prints `usere` as the bracketed translation of the title
    assert entries["hata-2014"]["usere"] == \
        "The Brightness and Darkness of the Nomonhan War History"
    assert entries["rgaspi-644-1-397"]["howpublished"].startswith("РГАСПИ")


def test_bibtex_braces_balanced_escaped_never_dropped(tmp_path: Path, root_copy: Path):
    text = (root_copy / "sources.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Mei to Ann no Nomonhan Senshi"',
                        'title = "Mei { to Ann"')
    text = text.replace('title = "Rossiia i SSSR v voinakh XX veka: Kniga poter\'"',
                        'title = "Rossiia } i SSSR"')
    (root_copy / "sources.toml").write_text(text, encoding="utf-8")
    bib = _export("bibtex", data=root_copy)
    for entry in re.split(r"\n(?=@)", bib):
        assert entry.count("{") == entry.count("}"), entry
    out, log = _biber(tmp_path, bib)
    assert "ERROR" not in log
    hata = out.split("@BOOK{hata-2014")[1].split("\n}")[0]
    krivo = out.split("@BOOK{krivosheev-2010")[1].split("\n}")[0]
    assert "textbraceleft" in hata and "PUBLISHER" in hata and "DATE" in hata
    assert "textbraceright" in krivo and "PUBLISHER" in krivo and "DATE" in krivo


def test_bibtex_volume_text_is_kept_by_biber(tmp_path: Path):
    out, log = _biber(tmp_path, _export("bibtex"))
    assert "Invalid value" not in log and "ignoring field" not in log, log
    def entry(key: str) -> str:
        return out.split(f"{{{key},")[1].split("\n}")[0]
    assert "VOLUME = {9}" in entry("showa-tenno-jitsuroku-9")
    rk = entry("russko-kitaiskie-otnosheniia-4-1")
    assert "VOLUME = {4}" in rk and "PART = {1}" in rk
    assert "VOLUME = {1}" in entry("rossiisko-mongolskoe-voennoe-sotrudnichestvo-1")
    ra = entry("russkii-arkhiv-18")
    assert "VOLUME = {18}" in ra and "18 (7-1)" in ra


def test_biber_reads_every_entry_without_losing_data(tmp_path: Path):
    out, log = _biber(tmp_path, _export("bibtex"))
    assert out.count("\n@") + out.startswith("@") == 39
    lossy = [ln for ln in log.splitlines()
             if ln.startswith("WARN") and "Missing mandatory" not in ln]
    assert lossy == []


def test_biblatex_chicago_prints_the_notes_under_lualatex(tmp_path: Path):
    need_biblatex_chicago()
    (tmp_path / "works.bib").write_text(_export("bibtex"), encoding="utf-8")
    (tmp_path / "draft.tex").write_text(r"""\documentclass{article}
\usepackage[notes,backend=biber,cmsnameparts,ptitleaddon=space,ctitleaddon=space]{biblatex-chicago}
\addbibresource{works.bib}
\begin{document}
A\autocite[159]{krivosheev-2010}. B\autocite[239]{asada-2017}.
C\autocite[750]{showa-tenno-jitsuroku-9}. D\autocite[240]{asada-2017}.
E\autocite[3]{slavinsky-1996}. F\autocite[4]{slavinsky-1996}.
\end{document}
""", encoding="utf-8")
    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    for cmd in (("lualatex", "-interaction=nonstopmode", "draft"), ("biber", "draft"),
                ("lualatex", "-interaction=nonstopmode", "draft")):
        r = run(*cmd)
        assert r.returncode == 0, r.stdout[-3000:]
    bbl = (tmp_path / "draft.bbl").read_text(encoding="utf-8")
    assert r"\field{annotation}" in bbl or "annotation" in bbl
    assert r"\field{note}" not in bbl
    assert r"\field{volume}{9}" in bbl
    assert r"\field{usere}{Stalin and Ishiwara Kanji" in bbl  # printed as [translation]
    log = (tmp_path / "draft.log").read_text(encoding="utf-8", errors="replace")
    assert "Package biblatex Warning: Data" not in log
    # Issue 26: names as printed. A family-first name goes through biblatex-chicago's cjk
    # template (the preamble's cmsnameparts; the .bib's first lines say so).
    pypdf = pytest.importorskip("pypdf")
    flat = " ".join(" ".join(p.extract_text() for p in
                             pypdf.PdfReader(str(tmp_path / "draft.pdf")).pages).split())
    assert "2. Asada Masafumi, " in flat and "4. Asada, " in flat
    # a Western author of a Japanese translation, given name first; the next note to the
    # same work is the author and page alone (biblatex-chicago's Chicago 17 "ibid.")
    assert "5. Boris Slavinsky, Kohsho" in flat and "6. Slavinsky, 4." in flat
    assert "trans. Takahashi Minoru and Ezawa Kazuhiro" in flat


# =========================================================================== RIS (Zotero)


def _ris_records(text: str) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for rec in text.split("ER  - "):
        tags = re.findall(r"^([A-Z][A-Z0-9])  - (.*)$", rec, re.M)
        ids = [v for t, v in tags if t == "ID"]
        if ids:
            out[ids[0]] = tags
    return out


def test_ris_page_range_as_sp_ep(root_copy: Path):
    text = (root_copy / "sources.toml").read_text(encoding="utf-8")
    text = text.replace('issue = "2"\nissued = "2017"', 'issue = "2"\npage = "396-411"\n'
                        'issued = "2017"')
    (root_copy / "sources.toml").write_text(text, encoding="utf-8")
    rec = dict(_ris_records(_export("ris", data=root_copy))["lu-2017"])
    assert (rec.get("SP"), rec.get("EP")) == ("396", "411")
    import rispy

    e = next(e for e in rispy.loads(_export("ris", data=root_copy)) if e["id"] == "lu-2017")
    assert (e["start_page"], e["end_page"]) == ("396", "411")


def test_ris_journal_in_t2_not_jo():
    rec = _ris_records(_export("ris"))["lu-2017"]
    tags = dict(rec)
    assert tags["T2"] == "Gunji Shigaku [The Journal of Military History]"
    assert "JO" not in tags  # Zotero reads JO as the journal's abbreviation


def test_ris_archive_as_db_and_an():
    tags = dict(_ris_records(_export("ris"))["rgaspi-644-1-397"])
    assert tags["DB"] == "РГАСПИ (Russian State Archive of Socio-Political History)"
    assert tags["AN"] == "F. 644, Op. 1, D. 397"
    assert "DP" not in tags  # Zotero: library catalog, not the archive


def test_ris_titles_where_zotero_keeps_them():
    tags = dict(_ris_records(_export("ris"))["hata-2014"])
    assert "OP" not in tags and "TT" not in tags  # Zotero files both as loose notes
    assert tags["TI"] == ("Mei to Ann no Nomonhan Senshi [The Brightness and Darkness of the "
                          "Nomonhan War History]")
    assert tags["ST"] == "Mei to Ann"
    assert tags["M2"] == "Original-script title: 明と暗のノモンハン戦史"  # Zotero: Extra
    assert tags["LA"] == "ja"


# =========================================================================== TimelineJS


def _tljs(*args: str, data: Path = SMALL) -> dict[str, Any]:
    r = invoke("export", "timelinejs", *args, "-o", "-", data=data)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_timelinejs_bce_year_has_no_year_zero():
    doc = _tljs()
    cannae = next(e for e in doc["events"] if e["unique_id"] == "cannae")
    assert cannae["start_date"]["year"] == -216  # 216 BC; EDTF -0215
    assert cannae["display_date"] == "Aug 216 BC"


def test_timelinejs_at_most_eight_groups_by_default():
    doc = _tljs(data=ROOT)
    groups = {e.get("group") for e in doc["events"]}
    assert len(groups) <= 8 and "other" in groups
    assert all("group" in e for e in doc["events"])


def test_timelinejs_group_by_none_and_tag():
    assert all("group" not in e for e in _tljs("--group-by", "none", data=ROOT)["events"])
    by_tag = _tljs("--group-by", "tag", "--max-groups", "3", data=ROOT)
    assert len({e["group"] for e in by_tag["events"]}) <= 3
    r = invoke("export", "timelinejs", "--group-by", "actor", "-o", "-", data=ROOT)
    assert r.exit_code == 2


def test_timelinejs_markdown_emphasis_is_html():
    doc = _tljs(data=ROOT)
    texts = [e["text"]["text"] for e in doc["events"]]
    assert any("<em>" in t for t in texts)
    assert not [t for t in texts if re.search(r"\*\w[^*]*\w\*", t)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


def test_timelinejs_opens_in_real_timelinejs_readable_at_650px(browser: Any, tmp_path: Path):
    import html

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dist = TIMELINEJS / "dist"
    if not (dist / "js" / "timeline.js").exists():
        if os.environ.get("CI"):
            pytest.fail("TimelineJS is required in CI (npm install --prefix tests/.npm "
                        "@knight-lab/timelinejs@3)")
        pytest.skip("TimelineJS not installed: npm install --prefix tests/.npm "
                    "@knight-lab/timelinejs@3")
    doc = _tljs("1931/1945", data=ROOT)
    (tmp_path / "timeline.json").write_text(json.dumps(doc), encoding="utf-8")
    page_html = tmp_path / "index.html"
    page_html.write_text(f"""<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{(dist / 'css' / 'timeline.css').as_uri()}">
<script src="{(dist / 'js' / 'timeline.js').as_uri()}"></script></head>
<body style="margin:0"><div id="tl" style="width:1000px;height:650px"></div>
<script>
// font: null, local script_path: no network (the sandbox has none); duration: 1 ms
// slide animations, so 130 slides are visited in seconds
window.tl = new TL.Timeline('tl', {json.dumps(doc)},
  {{hash_bookmark: false, font: null, duration: 1, script_path: '{(dist / 'js').as_uri()}/'}});
window.tl.on('loaded', () => {{ window.tlLoaded = true; }});
</script></body></html>""", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 650})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(page_html.as_uri())
    page.wait_for_function("window.tlLoaded === true", timeout=20000)
    ids = [e["unique_id"] for e in doc["events"]]
    assert len(ids) > 20
    unreadable = []
    probe = """id => {
          const story = document.querySelector('.tl-storyslider').getBoundingClientRect();
          const slide = [...document.querySelectorAll('.tl-slide')].find(s => {
            const b = s.getBoundingClientRect();
            return b.width > 0 && Math.abs(b.left - story.left) < 5;
          });
          if (!slide) return {id, story: story.height, head: 0, text: 0};
          const h = slide.querySelector('.tl-headline');
          const t = slide.querySelector('.tl-text-content');
          const hb = h ? h.getBoundingClientRect() : null;
          return {id, story: story.height,
                  head: hb && hb.top >= story.top && hb.bottom <= story.bottom ? hb.height : 0,
                  headText: h ? h.textContent : '',
                  text: t ? t.getBoundingClientRect().height : 0};
        }"""
    for uid, event in zip(ids, doc["events"], strict=True):
        page.evaluate("id => window.tl.goToId(id)", uid)
        want = html.unescape(event["text"]["headline"])
        with contextlib.suppress(PlaywrightTimeout):  # the slide in place, or report it
            page.wait_for_function(f"({probe})({json.dumps(uid)}).headText === {json.dumps(want)}",
                                   timeout=3000, polling=50)
        info = page.evaluate(probe, uid)
        if info["story"] < 250 or info["head"] <= 0 or info["headText"] != want:
            unreadable.append(info)
    page.close()
    assert errors == []
    assert unreadable == []


# =========================================================================== CSV


HOSTILE = '''
[[event]]
id = "formula"
title = "=HYPERLINK(\\"http://x\\",\\"click\\")"
date = "-0215-08"
summary = "@SUM(1+1)"
tags = ["+tag", "-tag"]
citations = [{ note = 1 }]

[[event]]
id = "tabbed"
title = "\\tstarts with a tab"
date = "1939"
citations = [{ note = 1 }]
'''


def test_csv_formulas_are_defused_dates_untouched(tmp_path: Path):
    folder = write_ledger(tmp_path, HOSTILE)
    r = invoke("timeline", "-f", "csv", data=folder)
    rows = list(csv.reader(io.StringIO(r.stdout)))
    head = rows[0]
    formula = dict(zip(head, rows[1], strict=True))
    assert formula["title"] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert formula["date"] == "-0215-08" and formula["start"] == "-0215-08-01"
    tabbed = dict(zip(head, rows[2], strict=True))
    assert tabbed["title"] == " starts with a tab"  # controls are cleaned before the guard
    from farchron.render.output import csv_cell

    assert [csv_cell(c) for c in ("\tx", "\rx", "-1", "+12.5", "1939-05/1939-09", "-x")] \
        == ["'\tx", "'\rx", "-1", "+12.5", "1939-05/1939-09", "'-x"]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or re.match(r"-\d{4}", cell), cell


def test_csv_raw_keeps_cells_and_tsv_json_are_verbatim(tmp_path: Path):
    folder = write_ledger(tmp_path, HOSTILE)
    raw = list(csv.reader(io.StringIO(invoke("timeline", "-f", "csv", "--raw",
                                             data=folder).stdout)))
    assert raw[1][raw[0].index("title")] == "=HYPERLINK(\"http://x\",\"click\")"
    data = json.loads(invoke("timeline", "-f", "json", data=folder).stdout)
    assert data[0]["title"].startswith("=HYPERLINK") and data[0]["summary"] == "@SUM(1+1)"
    tsv = invoke("timeline", "-f", "tsv", data=folder).stdout
    assert "\t=HYPERLINK" in tsv


# =========================================================================== SQLite


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sqlite") / "ledger.db"
    r = invoke("export", "sqlite", "-o", str(out), data=ROOT)
    assert r.exit_code == 0, r.stderr
    return out


def test_sqlite_tables_keys_and_meta(sqlite_db: Path):
    con = sqlite3.connect(sqlite_db)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert {"events", "citations", "sources", "notes", "note_citations", "aliases",
            "tags", "actors", "places", "_farchron_meta"} <= tables
    assert con.execute("pragma foreign_key_check").fetchall() == []
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    meta = dict(con.execute("select key, value from _farchron_meta"))
    assert meta["farchron_version"] and "events" in meta["schema"]
    n_events = con.execute("select count(*) from events").fetchone()[0]
    assert n_events == len(json.loads(invoke("timeline", "-f", "json", data=ROOT).stdout))
    assert con.execute("select count(*) from sources").fetchone()[0] == 39
    assert con.execute("select count(*) from notes").fetchone()[0] == 48
    row = con.execute("select start, end from events where id = 'nomonhan-incident'").fetchone()
    assert row == ("1939-05-11", "1939-09-16") or row[0] < row[1]


def test_sqlite_keeps_calendar_part_of_and_other_dates(sqlite_db: Path, tmp_path: Path):
    """The issue-17 and issue-12 fields were dropped: an Old Style event's `date` column
    held the Julian text with nothing saying so, and part-of and other-dates were lost."""
    con = sqlite3.connect(sqlite_db)
    assert con.execute("select part_of from events where id = 'bombing-of-tamsk'"
                       ).fetchone() == ("nomonhan-incident",)
    assert con.execute("select date, start, basis from other_dates where event = "
                       "'togo-becomes-ambassador-to-the-soviet-union'").fetchall() == [
        ("1938-10", "1938-10-01", "commonly given")]
    assert con.execute("pragma foreign_key_check").fetchall() == []
    rjw = tmp_path / "rjw"
    assert invoke("init", str(rjw), data=None).exit_code == 0
    assert invoke("add", "source", "--type", "book", "--title", "T", "--author", "A, B",
                  "--issued", "2004", data=rjw).exit_code == 0
    assert invoke("add", "event", "--title", "Fall of Port Arthur", "--date",
                  "20 Dec 1904 OS", "--cite", "a-2004", data=rjw).exit_code == 0
    out = tmp_path / "rjw.db"
    assert invoke("export", "sqlite", "-o", str(out), data=rjw).exit_code == 0
    row = sqlite3.connect(out).execute(
        "select date, calendar, start from events").fetchone()
    assert row == ("1904-12-20", "julian", "1905-01-02")


def test_sqlite_full_text_search(sqlite_db: Path):
    try:
        sqlite3.connect(":memory:").execute("create virtual table t using fts5(x)")
    except sqlite3.OperationalError as exc:  # pragma: no cover - FTS5 missing
        pytest.skip(f"this sqlite3 has no FTS5: {exc}")
    con = sqlite3.connect(sqlite_db)
    hits = [r[0] for r in con.execute(
        "select e.id from events_fts join events e on e.rowid = events_fts.rowid "
        "where events_fts match ? order by rank", ("Халхин",))]
    assert "nomonhan-incident" in hits  # an alias in Cyrillic
    hits = [r[0] for r in con.execute(
        "select s.id from sources_fts join sources s on s.rowid = sources_fts.rowid "
        "where sources_fts match ?", ("明と暗のノモンハン戦史",))]
    assert hits == ["hata-2014"]  # a title in its original script


def test_sqlite_opens_in_sqlite_utils_and_datasette(sqlite_db: Path):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(sqlite_db)
    assert db["events"].pks == ["id"]
    assert db["events"].detect_fts() == "events_fts"
    assert any(fk.other_table == "events" for fk in db["citations"].foreign_keys)
    hits = [h["id"] for h in db["events"].search("Khalkhin")]
    assert "nomonhan-incident" in hits
    datasette = shutil.which("datasette")
    if datasette is None:
        pytest.skip("datasette not installed (pip install datasette)")
    r = subprocess.run([datasette, "inspect", str(sqlite_db)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert next(iter(info.values()))["tables"]["events"]["count"] > 0


def test_sqlite_written_atomically(tmp_path: Path):
    out = tmp_path / "ledger.db"
    out.write_bytes(b"old")
    r = invoke("export", "sqlite", "-o", str(out), data=SMALL)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]
    r = invoke("export", "sqlite", "-o", str(tmp_path / "missing" / "x.db"), data=SMALL)
    assert r.exit_code == 2 and "cannot write" in r.stderr
