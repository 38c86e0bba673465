"""Properties (hypothesis) of the export writers: no text in a work unbalances a BibTeX
entry, RIS stays one tag a line, CSL-JSON stays valid JSON, smart quotes leave no
straight quote, and the CSV guard leaves no cell a spreadsheet would run."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.cite import chicago as cite
from farchron.exporters import bibliography as export
from farchron.model.records import Source
from farchron.render.output import csv_cell

FAST = settings(max_examples=300, deadline=None)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def _work(title: str, note: str, publisher: str) -> Source:
    fields = {"title": title, "note": note, "publisher": publisher, "issued": "2001",
              "language": "ja", "translated-title": title, "original-title": note,
              "volume": publisher}
    return Source("w", "book", title, ("Tomita, Takeshi",), "2001", fields)


@FAST
@given(TEXT, TEXT, TEXT)
def test_bibtex_entry_always_balances(title: str, note: str, publisher: str):
    entry = export.bibtex_entry(_work(title, note, publisher))
    # BibTeX counts braces even after a backslash: the raw counts must agree, and never
    # go below zero inside the entry.
    depth = 0
    for ch in entry:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, entry
    assert depth == 0, entry
    assert re.search(r"^  year = \{2001\}", entry, re.M)


@FAST
@given(TEXT, TEXT, TEXT)
def test_ris_is_one_tag_a_line_and_csl_is_json(title: str, note: str, publisher: str):
    work = _work(title, note, publisher)
    for line in export.ris_entry(work).splitlines():
        assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    item = json.loads(export.csl_json([work]))[0]
    assert "original-title" not in item and item["title"].endswith(f"[{title}]")


@FAST
@given(TEXT)
def test_smart_quotes_leave_no_straight_quote(text: str):
    out = cite.smart(text)
    assert "'" not in out and '"' not in out
    assert len(out) == len(text)


@FAST
@given(TEXT)
def test_csv_guard(text: str):
    out = csv_cell(text)
    assert out == text or out == "'" + text
    if out.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert re.fullmatch(r"[+-]?[\d.eE+-]+|-?\d{4,}[-\d/T:~?%.]*", out), out
