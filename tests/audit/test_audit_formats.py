"""One reading of every format: the same claims and findings from Markdown, plain text,
.docx and .odt (through pandoc), and stdin; notes, headings and invisible characters
handled alike in each.

The .docx and .odt are made by pandoc from the Russia-and-Japan draft inside the test;
the paper (where it sits beside the checkout) is read unchanged as .md and .txt.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from farchron.audit import document
from tests.conftest import ROOT, invoke
from tests.ledger.test_shipped_ledger import PAPER, needs_paper

FIELD = Path(__file__).resolve().parent / "fixtures" / "russia-japan"
DRAFT = FIELD / "draft.md"
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None,
                                  reason="pandoc is not installed")


def _findings(path: Path, data: Path = FIELD) -> list[tuple[object, ...]]:
    res = invoke("audit", str(path), "-f", "json", data=data)
    assert "Traceback" not in res.stderr, res.stderr
    return [(f["code"], f["severity"], f["event"], f["found"], f["expected"])
            for f in json.loads(res.stdout)]


@needs_pandoc
@pytest.mark.parametrize("fmt", ["docx", "odt", "plain"])
def test_docx_odt_and_text_give_the_findings_markdown_gives(tmp_path, fmt):
    suffix = {"plain": "txt"}.get(fmt, fmt)
    out = tmp_path / f"draft.{suffix}"
    args = ["-t", "plain", "--wrap=none"] if fmt == "plain" else []
    subprocess.run(["pandoc", str(DRAFT), *args, "-o", str(out)], check=True)
    want = _findings(DRAFT)
    assert len([f for f in want if f[1] == "error"]) == 12
    assert _findings(out) == want


def test_the_markdown_file_renamed_txt_gives_the_same_findings(tmp_path):
    txt = tmp_path / "draft.txt"
    txt.write_bytes(DRAFT.read_bytes())
    assert _findings(txt) == _findings(DRAFT)


@needs_paper
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_the_paper_unchanged_has_no_contradiction_in_any_form(tmp_path, suffix):
    assert PAPER is not None
    path = tmp_path / f"paper{suffix}"
    path.write_text(PAPER, encoding="utf-8")
    found = _findings(path, ROOT)
    assert [f for f in found if f[1] != "info"] == []


@needs_paper
@needs_pandoc
def test_the_paper_through_pandoc_plain_text_has_no_contradiction(tmp_path):
    """pandoc's plain text puts each page's notes as numbered paragraphs after a rule:
    "34 ... Yamate Shobo Shinsha, 1990." must not date an event, nor lend its year to
    "until August 1" after it."""
    assert PAPER is not None
    src = tmp_path / "paper.md"
    src.write_text(PAPER, encoding="utf-8")
    out = tmp_path / "paper.txt"
    subprocess.run(["pandoc", str(src), "-t", "plain", "--wrap=none", "-o", str(out)],
                   check=True)
    assert [f for f in _findings(out, ROOT) if f[1] != "info"] == []


@pytest.mark.parametrize("text", [
    "# From Shimonoseki to 1905\n\nThe Treaty of Shimonoseki was signed on 17 April 1895.\n",
    "From Shimonoseki to 1905\n\nThe Treaty of Shimonoseki was signed on 17 April 1895.\n",
    "From Shimonoseki to 1905\n========================\n\nThe Treaty of Shimonoseki was "
    "signed on 17 April 1895.\n",
])
@pytest.mark.parametrize("markdown", [True, False])
def test_headings_are_not_claims(text, markdown):
    plain = document.plain_text(text, markdown)
    assert "1905" not in plain.text
    assert plain.text.startswith("The Treaty of Shimonoseki")


@pytest.mark.parametrize(("src", "note_text"), [
    ("Body ends here.[^1] Then until August 1 it held.\n\n[^1]: Nish, Longman, 1985.\n",
     ": Nish, Longman, 1985."),
    ("Body ends here.<sup>1</sup> Then until August 1 it held.\n\n"
     "<sup>1</sup> Nish, Longman, 1985.\n", " Nish, Longman, 1985."),
    ("Body ends here.[1] Then until August 1 it held.\n\n---\n\n[1] Nish, Longman, 1985.\n",
     "[1] Nish, Longman, 1985."),
    ("Body ends here.1 Then until August 1 it held.\n\n1 Nish, Longman, 1985.\n",
     "1 Nish, Longman, 1985."),
    ("Body ends here. Then until August 1 it held.\n\nBibliography\n\n"
     "Nish, Ian. The Origins. London: Longman, 1985.\n",
     "Nish, Ian. The Origins. London: Longman, 1985."),
])
@pytest.mark.parametrize("markdown", [True, False])
def test_notes_are_recognised_in_every_format(src, note_text, markdown):
    plain = document.plain_text(src, markdown)
    (a, b), = plain.notes
    assert plain.text[a:b] == note_text
    assert plain.text.index("until August 1") < a  # the body comes first, note-free


def test_normalising_keeps_columns_in_the_original():
    src = "On ２２ Au\u00adgust 19\u200b11 it was\u2060 signed.\n"
    plain = document.plain_text(src, markdown=False)
    assert plain.text == "On 22 August 1911 it was signed."
    i = plain.text.index("1911")
    assert plain.position(i) == (1, src.index("19\u200b11") + 1)
    assert plain.position(plain.text.index("22")) == (1, 4)


def test_notes_keep_their_place_after_normalising():
    src = "A ２２ line.[^1]\n\n[^1]: Ａ note, 1985.\n"
    plain = document.plain_text(src)
    (a, b), = plain.notes
    assert plain.text[a:b] == ": A note, 1985."


def test_a_draft_over_max_size_is_refused_with_a_clear_message(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("The Treaty of Shimonoseki was signed on 17 April 1895.\n" * 2000,
                   encoding="utf-8")
    res = invoke("audit", str(big), "--max-size", "50KB", data=FIELD)
    assert res.exit_code == 2
    assert f"{big}: 0.1 MB is larger than the 0.05 MB an audit reads" in res.stderr
    assert "--max-size" in res.stderr and "Traceback" not in res.stderr
    assert invoke("audit", str(big), "--max-size", "1MB", data=FIELD).exit_code == 0
    bad = invoke("audit", str(big), "--max-size", "lots", data=FIELD)
    assert bad.exit_code == 2 and "not a size" in bad.stderr


def test_a_long_line_is_read_in_linear_time(tmp_path):
    """One 400 KB line (no paragraph breaks) once took over two minutes."""
    import time

    line = "The Treaty of Shimonoseki was signed on 17 April 1895, and more followed. " * 5500
    d = tmp_path / "line.txt"
    d.write_text(line + "\n", encoding="utf-8")
    t = time.perf_counter()
    res = invoke("audit", str(d), data=FIELD)
    assert res.exit_code == 0
    assert time.perf_counter() - t < 60  # generous: a shared machine; it takes seconds
