"""The filter below pandoc: notes from items, dates in prose, the walk over an AST of
either API version (1.22 from pandoc 2.17, 1.23 from pandoc 3)."""

from __future__ import annotations

import copy
import io
import json
import sys

import pytest

from farchron.ledger.load import load
from farchron.pandoc import filter as pf
from farchron.pandoc.notes import (
    DAY_MONTH,
    MONTH_DAY,
    Citer,
    Item,
    date_style,
    styled_date,
)
from farchron.pandoc.tree import inlines, stringify
from tests.conftest import FIXTURES

CONSTANCE = FIXTURES / "constance"


@pytest.fixture(scope="module")
def ledger():
    return load(CONSTANCE)


@pytest.mark.parametrize(("shown", "dmy", "mdy"), [
    ("23 Aug 1939", "23 August 1939", "August 23, 1939"),
    ("May–Sep 1939", "May–September 1939", "May–September 1939"),
    ("16 Nov 1414–22 Apr 1418", "16 November 1414–22 April 1418",
     "November 16, 1414–April 22, 1418"),
    ("1–3 Sep 1939", "1–3 September 1939", "September 1–3, 1939"),
    ("20 Dec 1904 OS (2 Jan 1905)", "20 December 1904 OS (2 January 1905)",
     "December 20, 1904 OS (January 2, 1905)"),
    ("c. 1933", "c. 1933", "c. 1933"),
    ("autumn 1944", "autumn 1944", "autumn 1944"),
])
def test_dates_in_prose(shown: str, dmy: str, mdy: str):
    assert styled_date(shown, DAY_MONTH) == dmy
    assert styled_date(shown, MONTH_DAY) == mdy


def test_date_style_from_its_example():
    assert date_style(None) == date_style("23 August 1939") == DAY_MONTH
    assert date_style("August 23, 1939") == date_style("month-day") == MONTH_DAY
    with pytest.raises(ValueError, match="farchron-date-style"):
        date_style("ISO")


def _text(runs) -> str:
    return "".join(t for t, _i in runs)


def test_notes_full_short_ibid_prefix_suffix(ledger):
    c = Citer(ledger)
    assert _text(c.note([Item("hus-burned")])) == (
        "Phillip H. Stump, The Reforms of the Council of Constance (1414–1418) (Leiden: "
        "Brill, 1994), 12–14; Thomas A. Fudge, The Trial of Jan Hus: Medieval Heresy and "
        "Criminal Procedure (New York: Oxford University Press, 2013), 290.")
    assert _text(c.note([Item("stump-1994", [("see", False)], "7")])) == \
        "See Stump, Reforms, 7."
    assert _text(c.note([Item("stump-1994", [], "8", [(", on the decrees", False)])])) == \
        "Ibid., 8, on the decrees."
    assert _text(c.note([Item("stump-1994", [("cf.", False)], "8")])) == "Cf. ibid."
    c.gap()  # the author's own note: no Ibid. across it
    assert _text(c.note([Item("stump-1994", [], "8")])) == "Stump, Reforms, 8."
    assert _text(c.note([Item("fudge-2013", [], "1"), Item("stump-1994", [("also", False)],
                                                            "9", [(" (the decree)", False)])])
                 ) == "Fudge, Trial of Jan Hus, 1; also Stump, Reforms, 9 " \
                      "(the decree)."
    assert _text(c.note([Item("fudge-2013", [], "2")], inline=True, after_text=True)) == \
        "Fudge, Trial of Jan Hus, 2"
    bib = [_text(e) for e in c.bibliography()]
    assert [b.split(".")[0] for b in bib] == ["Fudge, Thomas A", "Stump, Phillip H"]


def test_inlines_keep_italics_and_typographic_quotes():
    nodes = inlines([("Kniga poter'", True), (" (Veche, 2010), 159.", False)])
    assert nodes[0] == {"t": "Emph", "c": [{"t": "Str", "c": "Kniga"}, {"t": "Space"},
                                          {"t": "Str", "c": "poter’"}]}
    assert stringify(nodes) == "Kniga poter’ (Veche, 2010), 159."


def _cite(key: str, mode: str = "NormalCitation", suffix: str = "") -> dict:
    return {"t": "Cite", "c": [[{
        "citationId": key, "citationPrefix": [],
        "citationSuffix": [{"t": "Str", "c": suffix}] if suffix else [],
        "citationMode": {"t": mode}, "citationNoteNum": 1, "citationHash": 0}],
        [{"t": "Str", "c": f"[@{key}]"}]]}


def _doc(version: list[int]) -> dict:
    return {"pandoc-api-version": version,
            "meta": {"farchron-data": {"t": "MetaInlines",
                                       "c": [{"t": "Str", "c": str(CONSTANCE)}]}},
            "blocks": [{"t": "Para", "c": [
                {"t": "Str", "c": "Hus"}, {"t": "Space"}, _cite("hus-burned"),
                {"t": "Str", "c": "."}, {"t": "Space"}, _cite("hus-burned", "AuthorInText"),
                {"t": "Space"}, _cite("fudge-2013", suffix=", 291"), {"t": "Str", "c": ","},
                {"t": "Space"}, _cite("zotero-key")]}]}


@pytest.mark.parametrize("version", [[1, 22, 2, 1], [1, 23, 1]])
def test_run_reads_and_echoes_either_api_version(version, monkeypatch, capsys):
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")
    doc = _doc(version)
    out = pf.run(copy.deepcopy(doc))
    assert out["pandoc-api-version"] == version
    para = out["blocks"][0]["c"]
    notes = [n for n in para if n["t"] == "Note"]
    assert stringify(para) == "Hus. 6 July 1415, [@zotero-key]"  # notes print no text
    assert [n["t"] for n in para[:3]] == ["Str", "Str", "Note"]  # the note after the stop
    assert stringify(notes[1]["c"]) == "Fudge, Trial of Jan Hus, 291."
    assert para[-1] == doc["blocks"][0]["c"][-1]  # the unknown key, untouched
    assert out["blocks"][-2]["t"] == "Header" and out["blocks"][-1]["t"] == "Div"
    assert "zotero-key" in capsys.readouterr().err


def test_main_reads_stdin_and_writes_json(monkeypatch, capsys):
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")
    data = json.dumps(_doc([1, 22, 2, 1])).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    buf = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buf))
    pf.main(["plain"])
    sys.stdout.flush()
    assert json.loads(buf.getvalue())["pandoc-api-version"] == [1, 22, 2, 1]


def test_main_refuses_what_is_not_pandoc_json(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"# Markdown\n")))
    with pytest.raises(SystemExit) as exc:
        pf.main(["plain"])
    assert exc.value.code == 2
    assert "[ERROR] farchron: standard input is not pandoc's JSON" in capsys.readouterr().err


@pytest.mark.parametrize(("field", "value", "message"), [
    ("farchron-edition", "16", 'farchron-edition is 17 or 18, not "16"'),
    ("farchron-date-style", "ISO", "farchron-date-style is"),
])
def test_bad_metadata_is_one_error(field, value, message, capsys):
    doc = _doc([1, 22, 2, 1])
    doc["meta"][field] = {"t": "MetaString", "c": value}
    with pytest.raises(pf.Stop):
        pf.run(doc)
    assert message in capsys.readouterr().err


def test_a_note_takes_the_line_break_before_it_and_the_stop_after_it(monkeypatch):
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")
    doc = _doc([1, 22, 2, 1])
    doc["blocks"] = [{"t": "Para", "c": [{"t": "Str", "c": "followed"}, {"t": "SoftBreak"},
                                         _cite("hus-burned"), {"t": "Str", "c": ".)"}]}]
    para = pf.run(doc)["blocks"][0]["c"]
    assert [n["t"] for n in para] == ["Str", "Str", "Note", "Str"]
    assert [para[1]["c"], para[3]["c"]] == [".", ")"]
