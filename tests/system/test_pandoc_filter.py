"""farchron-pandoc through real pandoc (Debian 12: 2.17, API 1.22): a chapter citing the
ledger's events and works, built to plain text and to .docx, with --citeproc resolving
the keys the ledger does not know, and a ledger change reaching the next build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

DATA = ROOT / "tests" / "data"
CSL_STYLE = DATA / "chicago-notes-bibliography-17th-edition.csl"
CONSTANCE = FIXTURES / "constance"

pytestmark = pytest.mark.skipif(shutil.which("pandoc") is None and not os.environ.get("CI"),
                                reason="pandoc is not installed (.ci/run installs it)")

CHAPTER = """\
---
title: The Nomonhan chapter
farchron-data: {data}
---

Fighting on the Khalkha began in the spring [@nomonhan-incident]. The Soviet
offensive opened on @khalkhin-gol-august-offensive [@khalkhin-gol-august-offensive].
A ceasefire followed [@nomonhan-ceasefire-agreement]. It held [@nomonhan-ceasefire-agreement].

The losses were heavy [see @krivosheev-2010, 159-160]. Japan's were lighter
[@hata-2014, pp. 12--14, for the Japanese figures]. A work in English agrees
[@smith-2001, 12].
"""

REFS = [{"id": "smith-2001", "type": "book", "title": "Soviet Power in Asia",
         "author": [{"family": "Smith", "given": "Jane"}], "publisher": "Example Press",
         "issued": {"date-parts": [[2001]]}}]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _pandoc(folder: Path, *args: str, ok: bool = True, **env: str
            ) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(["pandoc", *args], cwd=folder, env=_env(**env), capture_output=True,
                       text=True, timeout=120)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def _notes(plain: str) -> dict[int, str]:
    """pandoc -t plain --wrap=none: the notes "[n] text", one a line at the end."""
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\[(\d+)\] (.*)$", plain, re.M)}


def _cite_notes(data: Path, *ids: str, edition: str = "17") -> list[str]:
    r = subprocess.run([sys.executable, "-m", "farchron", "--data", str(data), "cite",
                        "--edition", edition, "-f", "json", *ids], capture_output=True,
                       text=True, env=_env(FARCHRON_NO_CACHE="1"), timeout=60, check=True)
    return [n["text"] for n in json.loads(r.stdout)["notes"]]


@pytest.fixture
def chapter(tmp_path: Path) -> Path:
    (tmp_path / "chapter.md").write_text(CHAPTER.format(data=ROOT), encoding="utf-8")
    (tmp_path / "refs.json").write_text(json.dumps(REFS), encoding="utf-8")
    return tmp_path


def test_plain_notes_are_cites_notes(chapter: Path):
    r = _pandoc(chapter, "chapter.md", "--filter", "farchron-pandoc", "-t", "plain",
                "--wrap=none")
    notes = _notes(r.stdout)
    same = _cite_notes(ROOT, "nomonhan-incident", "khalkhin-gol-august-offensive",
                       "nomonhan-ceasefire-agreement")
    assert [notes[1], notes[2], notes[3]] == same  # exactly as `cite` writes them
    assert notes[4] == "Ibid."  # the note before cited that work alone, same place
    assert notes[5] == "See Krivosheev, Rossiia i SSSR, 159–160."  # short, en dash
    assert notes[6] == "Hata, Mei to Ann, 12–14, for the Japanese figures."
    assert "poter’" in notes[1] and "'" not in r.stdout.split("[1] ")[1]  # typographic
    assert len(notes) == 6
    # the in-text key is the event's date; the notes sit after the punctuation
    assert "opened on 20 August 1939.[2]" in r.stdout.replace("\n", " ")
    assert "in the spring.[1]" in r.stdout
    assert "[@smith-2001, 12]" in r.stdout  # left for citeproc
    assert "@smith-2001 is neither an event nor a work" in r.stderr
    assert "at chapter.md line 12 column 2" in r.stderr  # found through pandoc's command line
    # the bibliography of the works cited
    bib = r.stdout.split("Bibliography", 1)[1]
    assert "Krivosheev, G. F. Rossiia i SSSR" in bib and "Hata Ikuhiko. Mei to Ann" in bib


def test_docx_has_real_footnotes(chapter: Path):
    _pandoc(chapter, "chapter.md", "--filter", "farchron-pandoc", "-o", "chapter.docx")
    with zipfile.ZipFile(chapter / "chapter.docx") as z:
        xml = z.read("word/footnotes.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    notes = re.findall(r'<w:footnote (?:(?!w:type=)[^>])*w:id="(\d+)"', xml)
    assert len(notes) == 6, notes
    assert body.count("<w:footnoteReference") == 6
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert "Ibid." in text and "159–160" in text and "Kniga poter’" in text
    assert "<w:i" in xml  # titles of books in italics


def test_citeproc_resolves_the_unknown_key_in_the_same_run(chapter: Path):
    r = _pandoc(chapter, "chapter.md", "--filter", "farchron-pandoc", "--citeproc",
                "--bibliography", "refs.json", "--csl", str(CSL_STYLE), "--metadata",
                "locale=en-US", "--resource-path", str(DATA), "-t", "plain", "--wrap=none")
    notes = _notes(r.stdout)
    assert notes[7] == "Jane Smith, Soviet Power in Asia (Example Press, 2001), 12."
    assert notes[4] == "Ibid."
    assert "@smith" not in r.stdout and "neither" not in r.stderr  # a bibliography is given
    assert "Smith, Jane. Soviet Power in Asia." in r.stdout  # citeproc's bibliography too


def test_a_mixed_citation_is_one_note(chapter: Path):
    (chapter / "mixed.md").write_text(
        f"---\nfarchron-data: {ROOT}\n---\n\nBoth [@hata-2014, 3; @smith-2001, 12]. "
        "Again [@hata-2014, 4].\n", encoding="utf-8")
    r = _pandoc(chapter, "mixed.md", "--filter", "farchron-pandoc", "--citeproc",
                "--bibliography", "refs.json", "--csl", str(CSL_STYLE), "--metadata",
                "locale=en-US", "--resource-path", str(DATA), "-t", "plain", "--wrap=none")
    notes = _notes(r.stdout)
    assert notes[1].endswith("(PHP Institute, 2014), 3; Jane Smith, Soviet Power in Asia "
                             "(Example Press, 2001), 12.")
    assert notes[2] == "Hata, Mei to Ann, 4."  # not Ibid.: note 1 cited two works


def test_a_ledger_change_reaches_the_next_build(tmp_path: Path):
    data = tmp_path / "ledger"
    shutil.copytree(CONSTANCE, data)
    (tmp_path / "ch.md").write_text(
        f"---\nfarchron-data: {data}\nfarchron-date-style: \"August 23, 1939\"\n---\n\n"
        "Hus died on @hus-burned [@hus-burned].\n", encoding="utf-8")
    cache = tmp_path / "cache"  # the cache on: a stale one must not survive the edit
    args = ("ch.md", "--filter", "farchron-pandoc", "-t", "plain", "--wrap=none")
    first = _pandoc(tmp_path, *args, XDG_CACHE_HOME=str(cache)).stdout
    assert "Hus died on July 6, 1415.[1]" in first
    assert _notes(first)[1] == _cite_notes(data, "hus-burned")[0]
    events = data / "events.toml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        'date = "1415-07-06"', 'date = "1415-07-07"').replace(
        'pages = "12-14"', 'pages = "15-17"'), encoding="utf-8")
    second = _pandoc(tmp_path, *args, XDG_CACHE_HOME=str(cache)).stdout
    assert "Hus died on July 7, 1415.[1]" in second
    assert "1994), 15–17" in second and "12–14" not in second


def test_another_ledger_in_the_18th_edition(tmp_path: Path):
    (tmp_path / "ch.md").write_text(
        f"---\nfarchron-data: {CONSTANCE}\nfarchron-edition: 18\n---\n\n"
        "Martin V [@martin-v-elected]. Again [@martin-v-elected]. Hus [@hus-burned].\n",
        encoding="utf-8")
    r = _pandoc(tmp_path, "ch.md", "--filter", "farchron-pandoc", "-t", "plain",
                "--wrap=none", FARCHRON_NO_CACHE="1")
    notes = _notes(r.stdout)
    assert notes[1] == _cite_notes(CONSTANCE, "martin-v-elected", edition="18")[0]
    assert notes[1].startswith("Louise R. Loomis et al., The Council of Constance")
    assert notes[2] == "Loomis et al., The Council of Constance, 469."  # no Ibid. in CMOS 18
    assert "Leiden" not in r.stdout  # no place of publication
    assert notes[3].startswith("Phillip H. Stump, The Reforms of the Council of Constance "
                               "(1414–1418) (Brill, 1994), 12–14; Thomas A. Fudge")


def test_bibliography_where_the_div_stands_or_none(tmp_path: Path):
    body = f"---\nfarchron-data: {CONSTANCE}\n{{meta}}---\n\nHus [@hus-burned].\n\n" \
        "# Works cited\n\n::: {{#farchron-bibliography}}\n:::\n\n# Appendix\n\nEnd.\n"
    (tmp_path / "a.md").write_text(body.format(meta=""), encoding="utf-8")
    (tmp_path / "b.md").write_text(body.format(meta="farchron-bibliography: false\n"),
                                   encoding="utf-8")
    a = _pandoc(tmp_path, "a.md", "--filter", "farchron-pandoc", "-t", "plain",
                "--wrap=none", FARCHRON_NO_CACHE="1").stdout
    assert re.search(r"Works cited\n\nFudge, Thomas A\. The Trial of Jan Hus.*\n\nStump, "
                     r"Phillip H\..*\n\nAppendix", a), a
    assert "Bibliography" not in a
    b = _pandoc(tmp_path, "b.md", "--filter", "farchron-pandoc", "-t", "plain",
                "--wrap=none", FARCHRON_NO_CACHE="1").stdout
    assert "Fudge, Thomas A." not in b and "[1] Phillip H. Stump" in b


def test_a_key_both_event_and_work_is_an_error_naming_both(tmp_path: Path):
    data = tmp_path / "ledger"
    shutil.copytree(CONSTANCE, data)
    with (data / "sources.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[source]]\nid = "hus-burned"\ntype = "book"\ntitle = "A book"\n')
    (tmp_path / "ch.md").write_text(f"---\nfarchron-data: {data}\n---\n\nLine.\n\n"
                                    "Hus [@hus-burned].\n", encoding="utf-8")
    r = _pandoc(tmp_path, "ch.md", "--filter", "farchron-pandoc", "-t", "plain", ok=False,
                FARCHRON_NO_CACHE="1")
    assert r.returncode != 0
    assert "[ERROR] farchron: @hus-burned is both an event" in r.stderr
    assert "events.toml" in r.stderr and "sources.toml" in r.stderr
    assert "at ch.md line 7 column 6" in r.stderr


def test_a_missing_or_unreadable_ledger_is_one_message(tmp_path: Path):
    (tmp_path / "ch.md").write_text(f"---\nfarchron-data: {tmp_path / 'nowhere'}\n---\n\n"
                                    "A [@x].\n", encoding="utf-8")
    r = _pandoc(tmp_path, "ch.md", "--filter", "farchron-pandoc", "-t", "plain", ok=False)
    assert r.returncode != 0
    ours = [ln for ln in r.stderr.splitlines() if "farchron:" in ln]
    assert len(ours) == 1 and "no ledger" in ours[0] and "nowhere" in ours[0], r.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "events.toml").write_text("[[event]]\nid = \n", encoding="utf-8")
    (bad / "sources.toml").write_text("", encoding="utf-8")
    (tmp_path / "ch.md").write_text(f"---\nfarchron-data: {bad}\n---\n\nA [@x].\n",
                                    encoding="utf-8")
    r = _pandoc(tmp_path, "ch.md", "--filter", "farchron-pandoc", "-t", "plain", ok=False,
                FARCHRON_NO_CACHE="1")
    ours = [ln for ln in r.stderr.splitlines() if "farchron:" in ln]
    assert r.returncode != 0 and len(ours) == 1 and "events.toml" in ours[0], r.stderr


def test_cite_keys_lists_a_chapters_keys(chapter: Path):
    r = subprocess.run([sys.executable, "-m", "farchron", "--data", str(ROOT), "cite",
                        "--keys", "chapter.md"], cwd=chapter, capture_output=True, text=True,
                       env=_env(FARCHRON_NO_CACHE="1"), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "nomonhan-incident\tevent\tchapter.md:6",
        "khalkhin-gol-august-offensive\tevent\tchapter.md:7",
        "nomonhan-ceasefire-agreement\tevent\tchapter.md:8",
        "krivosheev-2010\twork\tchapter.md:10",
        "hata-2014\twork\tchapter.md:11",
        "smith-2001\tunknown\tchapter.md:12",
    ]
