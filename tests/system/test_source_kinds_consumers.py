"""An archive, a newspaper, a thesis, a translated book and a Japanese article (issue 26)
through their real consumers: pandoc --citeproc and citeproc-js (Zotero's engine) with the
vendored Chicago 17 notes style, and biber + biblatex-chicago under LuaLaTeX, compared with
the notes `farchron cite` prints for the same citations.

Where a consumer prints a work differently from farchron, the comment at the assertion says
how and why; the parts that must agree (names, titles, dates, call numbers, thesis genre,
"ed. and trans.", locators) are compared exactly. Consumers that are missing skip (CI
installs them all: .ci/run, citeproc-js into tests/.npm beside TimelineJS).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, invoke, need_biblatex_chicago, need_program

LEDGER = FIXTURES / "sourcekinds"
HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
CSL_STYLE = DATA / "chicago-notes-bibliography-17th-edition.csl"
CSL_LOCALE = DATA / "locales-en-US.xml"
NODE_MODULES = HERE.parent / ".npm" / "node_modules"

#: The citations, in note order: each work once in full, then once short. The ledger's
#: events cite the same works with the same locators.
WORKS = ["garf-1700-7-42", "izvestiia-1918", "white-1950", "smele-1993", "hara-1989"]
FIRST = {"garf-1700-7-42": "ll. 3-4", "izvestiia-1918": "1", "white-1950": "112",
         "smele-1993": "45", "hara-1989": "40-41"}
LATER = {"garf-1700-7-42": "l. 5", "izvestiia-1918": "2", "white-1950": "113",
         "smele-1993": "46", "hara-1989": "42"}


def _csl_locator(work: str, pages: str) -> tuple[str, str]:
    """(label, locator) for CSL: a Russian archival list (l., ll.) is a folio. CSL has no
    "list" term, and pandoc reads "ll." as lines, so both CSL engines get `folio`."""
    if pages.startswith(("l. ", "ll. ")):
        return "folio", pages.split(" ", 1)[1]
    return "page", pages


@pytest.fixture(scope="module")
def farchron_notes() -> dict[str, tuple[str, str]]:
    """work id -> (first note, short note) as `farchron cite` prints them."""
    r = invoke("cite", "Intervention", "-f", "json", data=LEDGER)
    assert r.exit_code == 0, r.stderr
    out: dict[str, list[str]] = {}
    for note in json.loads(r.stdout)["notes"]:
        out.setdefault(note["source"]["id"], []).append(note["text"])
    assert sorted(out) == sorted(WORKS) and all(len(v) == 2 for v in out.values())
    return {k: (v[0], v[1]) for k, v in out.items()}


@pytest.fixture(scope="module")
def csl_items() -> list[dict[str, object]]:
    r = invoke("sources", "-f", "csl-json", data=LEDGER)
    assert r.exit_code == 0, r.stderr
    items: list[dict[str, object]] = json.loads(r.stdout)
    return items


@pytest.fixture(scope="module")
def pandoc_notes(csl_items: list[dict[str, object]], tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[str, tuple[str, str]]:
    need_program("pandoc", "apt-get install pandoc")
    tmp = tmp_path_factory.mktemp("pandoc")
    (tmp / "works.json").write_text(json.dumps(csl_items), encoding="utf-8")
    cites = []
    for locs in (FIRST, LATER):
        for w in WORKS:
            label, loc = _csl_locator(w, locs[w])
            cites.append(f"[@{w}, {'fols.' if label == 'folio' else 'p.'} {loc}]")
    (tmp / "doc.md").write_text(" ".join(f"{n}.{c}" for n, c in enumerate(cites)) + "\n",
                                encoding="utf-8")
    r = subprocess.run(["pandoc", str(tmp / "doc.md"), "--citeproc", "--bibliography",
                        str(tmp / "works.json"), "--csl", str(CSL_STYLE), "--metadata",
                        "locale=en-US", "--resource-path", str(DATA), "-t", "plain",
                        "--wrap=none"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    notes = {int(m.group(1)): m.group(2)
             for m in re.finditer(r"^\[(\d+)\] (.*)$", r.stdout, re.M)}
    n = len(WORKS)
    return {w: (notes[i + 1], notes[i + 1 + n]) for i, w in enumerate(WORKS)}


@pytest.fixture(scope="module")
def citeproc_js(csl_items: list[dict[str, object]]) -> dict[str, object]:
    node = need_program("node", "apt-get install nodejs")
    if not (NODE_MODULES / "citeproc").exists():
        if os.environ.get("CI"):
            pytest.fail("citeproc-js is required in CI (npm install --prefix tests/.npm citeproc)")
        pytest.skip("citeproc-js not installed: npm install --prefix tests/.npm citeproc")
    cites = []
    for locs in (FIRST, LATER):
        for w in WORKS:
            label, loc = _csl_locator(w, locs[w])
            cites.append({"id": w, "locator": loc, "label": label})
    job = {"items": csl_items, "style": CSL_STYLE.read_text("utf-8"),
           "locale": CSL_LOCALE.read_text("utf-8"), "cites": cites}
    r = subprocess.run([node, str(HERE / "citeproc_notes.js")], input=json.dumps(job),
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "NODE_PATH": str(NODE_MODULES)})
    assert r.returncode == 0 and r.stderr == "", r.stderr
    out: dict[str, object] = json.loads(r.stdout)
    return out


@pytest.fixture(scope="module")
def citeproc_notes(citeproc_js: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    notes = citeproc_js["notes"]
    n = len(WORKS)
    return {w: (notes[i], notes[i + n]) for i, w in enumerate(WORKS)}


ENGINES = ["pandoc_notes", "citeproc_notes"]


@pytest.mark.parametrize("engine", ENGINES)
def test_thesis_reads_the_same_everywhere(engine: str, request: pytest.FixtureRequest,
                                          farchron_notes: dict[str, tuple[str, str]]):
    first, short = request.getfixturevalue(engine)["white-1950"]
    assert (first, short) == farchron_notes["white-1950"]
    assert first == ("John Albert White, “The Siberian Intervention: The Allied Phase” "
                     "(PhD diss., Stanford University, 1950), 112.")


@pytest.mark.parametrize("engine", ENGINES)
def test_edited_and_translated_book(engine: str, request: pytest.FixtureRequest,
                                    farchron_notes: dict[str, tuple[str, str]]):
    first, short = request.getfixturevalue(engine)["smele-1993"]
    ours_first, ours_short = farchron_notes["smele-1993"]
    assert "ed. and trans. Michael J. Carley" in first and "trans. Michael J. Carley" not in \
        first.replace("ed. and trans. Michael J. Carley", "")
    # The CSL style adds the original work's title to the note as well; CMOS 17 14.114 asks
    # for it in the bibliography only, where farchron prints it. Without it they agree.
    assert first.replace("; originally published as Dopros Kolchaka", "") == ours_first
    assert short == ours_short == "Smele, The Admiral’s Last Days, 46."


@pytest.mark.parametrize("engine", ENGINES)
def test_archival_file_names_its_call_number_once(engine: str, request: pytest.FixtureRequest,
                                                  farchron_notes: dict[str, tuple[str, str]]):
    first, short = request.getfixturevalue(engine)["garf-1700-7-42"]
    ours_first, ours_short = farchron_notes["garf-1700-7-42"]
    for text in (first, ours_first):
        # The style quotes a descriptive title; Chicago sets it plain (CMOS 17 14.232).
        assert text.lstrip("“").startswith("Telegram of the Supreme Ruler to General Otani")
        assert "January 12, 1919" in text
        assert text.count("f. 176, op. 5, d. 42") == 1 and text.count("GARF") == 1
        assert "Moscow" in text and "ГАРФ" not in text
    # The style orders call number, folio, archive (CMOS 18 14.127); farchron follows CMOS
    # 17 14.232: archive, place, call number, then the folio last.
    assert first == ("“Telegram of the Supreme Ruler to General Otani,” January 12, 1919, "
                     "f. 176, op. 5, d. 42, fols. 3–4, GARF, Moscow.")
    assert ours_first.endswith("GARF, Moscow, f. 176, op. 5, d. 42, ll. 3–4.")
    # The style's short form is the title alone; farchron keeps the call number, so a
    # reader can find the file from any note.
    assert short == "“Telegram,” fol. 5." and ours_short.endswith("f. 176, op. 5, d. 42, l. 5.")


def test_newspaper_keeps_its_day_in_every_engine(pandoc_notes: dict[str, tuple[str, str]],
                                                 citeproc_notes: dict[str, tuple[str, str]],
                                                 farchron_notes: dict[str, tuple[str, str]]):
    ours_first, ours_short = farchron_notes["izvestiia-1918"]
    assert ours_first == ("“Iaponskii desant vo Vladivostoke Японский десант во Владивостоке” "
                          "[The Japanese Landing at Vladivostok], Izvestiia, April 7, 1918, "
                          "sec. 1, 1.")
    assert ours_short == "“Iaponskii desant,” 2."
    for first, short in (pandoc_notes["izvestiia-1918"], citeproc_notes["izvestiia-1918"]):
        # The original script reaches CSL only in `note`/`custom`, which no style prints;
        # the section comes before the paper's name in the style.
        assert first == ("“Iaponskii desant vo Vladivostoke [The Japanese Landing at "
                         "Vladivostok],” sec. 1, Izvestiia, April 7, 1918, 1.")
        assert "Iaponskii desant" in short and short.endswith(" 2.")
    # An unsigned article's short note starts with the paper in the style (CMOS 14.198);
    # pandoc 2.17 does not quote the short title there, citeproc-js does.
    assert pandoc_notes["izvestiia-1918"][1] == "Izvestiia, Iaponskii desant, 2."
    assert citeproc_notes["izvestiia-1918"][1] == "Izvestiia, “Iaponskii desant,” 2."


@pytest.mark.parametrize("engine", ENGINES)
def test_japanese_article(engine: str, request: pytest.FixtureRequest,
                          farchron_notes: dict[str, tuple[str, str]]):
    first, short = request.getfixturevalue(engine)["hara-1989"]
    ours_first, ours_short = farchron_notes["hara-1989"]
    assert ours_first == ("Hara Teruyuki, “Shiberia shuppei to Nihon no tairiku seisaku "
                          "シベリア出兵と日本の大陸政策” [The Siberian Intervention and Japan’s "
                          "Continental Policy], Rekishigaku kenkyu 4-1, no. 2 (1989): 40–41.")
    assert ours_short == "Hara, “Shiberia shuppei,” 42."
    # The volume "4-1" is text, not a range: both engines keep its hyphen (as U+2011)
    # instead of printing "4–1"; the style adds the month, which farchron leaves to the
    # bibliography of a journal. The original script reaches CSL only in note/custom.
    # A romanised Japanese name is family/given with `static-ordering` (issue 26; it was a
    # literal, printed whole in short notes too). citeproc-js keeps the order as printed;
    # pandoc's citeproc (2.17 and 3.x) ignores static-ordering and puts the given name
    # first in a full note. Both short notes give the family name alone, as farchron's.
    name = "Hara Teruyuki" if engine == "citeproc_notes" else "Teruyuki Hara"
    assert first == (f"{name}, “Shiberia shuppei to Nihon no tairiku seisaku [The "
                     "Siberian Intervention and Japan’s Continental Policy],” Rekishigaku "
                     "kenkyu 4\u20111, no. 2 (February 1989): 40–41.")
    assert short == ours_short == "Hara, “Shiberia shuppei,” 42."


def test_citeproc_js_bibliography(citeproc_js: dict[str, list[str]]):
    bib = citeproc_js["bibliography"]
    assert ("White, John Albert. “The Siberian Intervention: The Allied Phase.” PhD diss., "
            "Stanford University, 1950.") in bib
    assert ("Smele, Jonathan D. The Admiral’s Last Days: Testimony of the Kolchak Inquiry. "
            "Edited and translated by Michael J. Carley. Columbus: Ohio State University "
            "Press, 1993. Originally published as Dopros Kolchaka.") in bib
    assert ("“Telegram of the Supreme Ruler to General Otani.” January 12, 1919. F. 176, "
            "op. 5, d. 42. GARF, Moscow.") in bib
    ours = invoke("sources", "-f", "chicago", data=LEDGER).stdout
    assert "Edited and translated by Michael J. Carley" in ours
    assert "Originally published as Dopros Kolchaka." in ours


# =========================================================================== biblatex


def _pdf_text(pdf: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)


def test_biblatex_chicago_prints_the_kinds_cleanly(tmp_path: Path):
    need_biblatex_chicago()
    r = invoke("sources", "-f", "bibtex", data=LEDGER)
    assert r.exit_code == 0, r.stderr
    (tmp_path / "works.bib").write_text(r.stdout, encoding="utf-8")
    cites = [f"\\autocite[{(FIRST if n < 5 else LATER)[w].replace('-', '--')}]{{{w}}}."
             for n, w in enumerate(WORKS * 2)]
    (tmp_path / "draft.tex").write_text(
        "\\documentclass{article}\n"
        "\\usepackage[notes,backend=biber,cmsnameparts,ptitleaddon=space,ctitleaddon=space]"
        "{biblatex-chicago}\n\\addbibresource{works.bib}\n\\begin{document}\n"
        + "\n".join(f"X{c}" for c in cites) + "\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8")
    for cmd in (("lualatex", "-interaction=nonstopmode", "draft"), ("biber", "draft"),
                ("lualatex", "-interaction=nonstopmode", "draft")):
        done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-3000:]
    log = (tmp_path / "draft.log").read_text(encoding="utf-8", errors="replace")
    assert "Package biblatex Warning: Data" not in log
    text = re.sub(r"-\n", "", _pdf_text(tmp_path / "draft.pdf"))  # hyphenated line ends
    flat = " ".join(text.split())
    assert "()" not in flat
    assert not re.search(r",\s*[,.]|\s,|\.\s+,", flat), flat  # "diss.," is an abbreviation
    assert ("3. John Albert White, “The Siberian Intervention: The Allied Phase” (PhD diss., "
            "Stanford University, 1950), 112.") in flat
    assert ("4. Jonathan D. Smele, The Admiral’s Last Days: Testimony of the Kolchak Inquiry, "
            "ed. and trans. Michael J. Carley (Columbus: Ohio State University Press, 1993), "
            "45.") in flat
    assert "8. White, “The Siberian Intervention,” 113." in flat
    # Issue 26: a name printed family first uses biblatex-chicago's cjk name template
    # (`cmsnameparts`): in order in the full note and the bibliography, the family name
    # alone in the short note (it was braced whole: "10. Hara Teruyuki, “Shiberia ...").
    assert "5. Hara Teruyuki, “Shiberia shuppei to Nihon no tairiku seisaku" in flat
    assert "10. Hara, “Shiberia shuppei,” 42." in flat
    assert "Hara Teruyuki. “Shiberia shuppei to Nihon no tairiku seisaku" in flat
    # The archival file: its call number once in each note, the folio after it. biblatex
    # prints the archive in its own script (howpublished, as the paper printed it); Latin
    # Modern has no Cyrillic glyphs, so only the call number is compared here.
    start = flat.index("1. Telegram")
    first = flat[start:flat.index(" 2. ", start) + 1]
    assert first.count("f. 176, op. 5, d. 42") == 1 and first.endswith("Moscow, ll. 3–4. ")
    assert "Edited and translated by Michael J. Carley." in flat
    # biblatex-chicago's short note for an archival file is its short title and the folio.
    assert "6. Telegram, l. 5." in flat
    assert "April 7, 1918" in flat  # the newspaper's day


# =========================================================================== SQLite FTS


def test_sqlite_fts_finds_cyrillic_and_kana_queries(tmp_path: Path):
    """Datasette's search box is FTS5 MATCH on the *_fts tables: a Russian reader types
    номонхан (the ledger writes Nomonhan), a Japanese reader ノモンハン (one token with 事件
    in the alias ノモンハン事件 unless the runs are split), Кривошеев (a name the ledger keeps
    as printed beside its romanisation)."""
    import sqlite3

    from tests.conftest import ROOT

    out = tmp_path / "ledger.db"
    assert invoke("export", "sqlite", "-o", str(out), data=ROOT).exit_code == 0
    con = sqlite3.connect(out)

    def events(q: str) -> list[str]:
        return [r[0] for r in con.execute(
            "select e.id from events_fts join events e on e.rowid = events_fts.rowid "
            "where events_fts match ? order by rank", (q,))]

    def sources(q: str) -> list[str]:
        return [r[0] for r in con.execute(
            "select s.id from sources_fts join sources s on s.rowid = sources_fts.rowid "
            "where sources_fts match ? order by rank", (q,))]

    assert "nomonhan-incident" in events("номонхан")
    assert "nomonhan-incident" in events("ノモンハン")
    assert "nomonhan-incident" in events("Nomonhan")
    assert sources("Кривошеев") == ["krivosheev-2010"]
    assert "krivosheev-2010" in sources("кривошеев")
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(out)
    assert "nomonhan-incident" in [h["id"] for h in db["events"].search("номонхан")]


def test_biblatex_chicago_with_the_preamble_the_export_names(tmp_path: Path):
    """Issue 26, the Zotero-style second ledger (romanised) through biber and
    biblatex-chicago, loaded exactly as the .bib's first lines say: names as printed
    (Hosoya Chihiro, short "Hosoya"), a quoted title inside a title alternates its quotes,
    and a newspaper's section reads "sec. 2", not "chap. 2"."""
    need_biblatex_chicago()
    ledger = tmp_path / "siberia"
    assert invoke("init", str(ledger), data=None).exit_code == 0
    zotero = FIXTURES / "zotero-siberia"
    r = invoke("import", "--romanise", *(str(zotero / n) for n in
                                         ("zotero.json", "zotero.ris", "zotero.bib")),
               data=ledger)
    assert r.exit_code == 0, r.stderr
    bib = invoke("sources", "-f", "bibtex", data=ledger).stdout
    (tmp_path / "works.bib").write_text(bib, encoding="utf-8")
    preamble = [line[2:] for line in bib.splitlines() if line.startswith("% \\usepackage")]
    assert len(preamble) == 2
    works = ["hosoya-1961", "dunscomb-2001", "shuppei-sengen-1918"]
    cites = [f"X\\autocite[{n}]{{{w}}}." for n, w in enumerate(works * 2, 1)]
    (tmp_path / "draft.tex").write_text(
        "\\documentclass{article}\n" + "\n".join(preamble) + "\n\\addbibresource{works.bib}\n"
        "\\begin{document}\n" + "\n".join(cites) + "\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8")
    for cmd in (("lualatex", "-interaction=nonstopmode", "draft"), ("biber", "draft"),
                ("lualatex", "-interaction=nonstopmode", "draft")):
        done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-3000:]
    flat = " ".join(re.sub(r"-\n", "", _pdf_text(tmp_path / "draft.pdf")).split())
    assert "1. Hosoya Chihiro, “Shiberia shuppei womeguru nichibei kankei”" in flat
    assert "4. Hosoya, “Shiberia shuppei womeguru nichibei,” 4." in flat
    assert "2. Paul E. Dunscomb, “‘A Great Disobedience Against the People’: Popular" in flat
    assert "5. Dunscomb, “‘A Great Disobedience Against the People,’” 5." in flat
    assert "Dunscomb, Paul E. “‘A Great Disobedience" in flat  # the bibliography
    assert "sec. 2, August 3, 1918" in flat and "Sec. 2, August 3, 1918" in flat
    assert "chap." not in flat
