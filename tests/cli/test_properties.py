"""Properties (hypothesis): no input makes the loader raise anything but a FarchronError, and
no text in the data breaks an output format (control characters, column counts)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.dates import edtf as dates
from farchron.errors import FarchronError
from farchron.ledger import load as ledger
from farchron.ledger.load import Citation, Event
from farchron.render import listings
from tests.conftest import SMALL, invoke

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# ----------------------------------------------------------------------------- loading


def _load_never_crashes(folder: Path) -> None:
    """The property: collect() never raises; load() raises only a FarchronError."""
    got, problems = ledger.collect(folder)
    assert got is not None or problems
    try:
        ledger.load(folder)
    except FarchronError as exc:
        assert str(exc)


def _with_events(tmp: Path, events: bytes, sources: bytes | None = None) -> Path:
    (tmp / "events.toml").write_bytes(events)
    (tmp / "sources.toml").write_bytes(sources if sources is not None
                                       else (SMALL / "sources.toml").read_bytes())
    return tmp


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes_load_or_give_one_farchron_error(tmp_path_factory, raw: bytes) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    _load_never_crashes(_with_events(tmp, raw))
    _load_never_crashes(_with_events(tmp, (SMALL / "events.toml").read_bytes(), raw))


def _toml_str(text: str) -> str:
    """A TOML basic string holding `text` exactly (controls and DEL escaped, as TOML asks)."""
    out = []
    for ch in text:
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


KEYS = [*ledger.EVENT_FIELDS, *ledger.SOURCE_FIELDS, *ledger.NOTE_FIELDS, "event", "source",
        "note", "sumary", "x"]
VALUES = st.one_of(
    st.text(max_size=12).map(_toml_str),
    st.sampled_from(['"1939"', '"1939-02-30"', '"1939-09/1939-05"', '"193X"', '"-0215"',
                     '"../1945"', '"1944-23"', '"1933~"', '"1945-07-12T20:50"', '"19x9"',
                     "1939-08-23", "1939-08-23T10:00:00", "0005-01-01T00:00:00Z", "07:32:00",
                     '"nomonhan"', '"paper"', '"hata-2014"', '"Bad_ID"', '""']),
    st.integers(-3, 10**20).map(str),
    st.sampled_from(["true", "1.5", "inf", "nan", "[]", "{}", "[1, 'a']", "[[[[]]]]",
                     "[{ note = 1 }]", "[{ source = 'paper' }]", "[{ note = 99 }]",
                     "[{ source = 'nope', pages = 3 }]", "[{ pages = '1' }]", "['a', 'b']",
                     "[{ note = true }]", "{ a = 1 }", "[" * 30 + "]" * 30]),
)
LINE = st.one_of(
    st.sampled_from(["[[event]]", "[[source]]", "[[note]]", "[event]", "[[event.x]]", "",
                     "# comment", "[[ 'event' ]]", "\ufeff", "=", '"""', "[[event]] x"]),
    st.tuples(st.sampled_from(KEYS), VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.text(max_size=8),
)


@FAST
@given(st.lists(LINE, max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_toml_from_fragments_loads_or_gives_one_farchron_error(
        tmp_path_factory, lines: list[str], newline: str) -> None:
    tmp = tmp_path_factory.mktemp("frag")
    text = newline.join(lines).encode("utf-8", "surrogatepass")
    _load_never_crashes(_with_events(tmp, text))
    _load_never_crashes(_with_events(tmp, (SMALL / "events.toml").read_bytes(), text))


@FAST
@given(st.text(max_size=30))
def test_date_parser_raises_only_date_error(text: str) -> None:
    try:
        d = dates.parse(text)
    except dates.DateError:
        return
    assert d.start <= d.end
    assert isinstance(d.display(), str)


# ----------------------------------------------------------------------------- output

ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\t\n\r\x0b\x0c\x1b\x07\x00\x7f\x85\x9b\u2028\u2029\u202e\u2066|\\`*_"
                        "[]<>#\",;:"),
    ),
    max_size=40,
)
EVENT_DATES = [dates.parse(t) for t in ("1939", "-0215-08", "1944-23/1944-24", "../1945",
                                         "1945-07-12T20:50", "193X")]
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    n = draw(st.integers(1, 4))
    return [Event(id=f"e{i}", title=draw(ANY_TEXT), date=draw(st.sampled_from(EVENT_DATES)),
                  summary=draw(ANY_TEXT), aliases=(draw(ANY_TEXT),), tags=(draw(ANY_TEXT),),
                  citations=(Citation(source=draw(ANY_TEXT), pages=draw(ANY_TEXT)),))
            for i in range(n)]


def _render(fmt: str, evs: list[Event]) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        listings.write_events(fmt, evs)
    return buf.getvalue()


def _unsafe(text: str, allowed: str) -> list[str]:
    return [c for c in text if c not in allowed and (
        unicodedata.category(c) == "Cc" or c in BIDI or c in "\u2028\u2029")]


def _markdown_cells(line: str) -> int:
    """Unescaped pipes in a markdown row, less one: its number of cells."""
    pipes, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        pipes += line[i] == "|"
        i += 1
    return pipes - 1


@FAST
@given(events())
def test_flat_formats_keep_their_columns_and_no_controls(evs: list[Event]) -> None:
    ncol = len(listings.EVENT_COLUMNS_FLAT)
    tsv = _render("tsv", evs)
    assert _unsafe(tsv, "\t\n") == []
    rows = tsv.split("\n")
    assert rows[-1] == "" and len(rows) == len(evs) + 1
    assert all(r.count("\t") == ncol - 1 for r in rows[:-1])
    assert [r.split("\t")[0] for r in rows[:-1]] == [e.id for e in evs]

    out = _render("csv", evs)
    assert _unsafe(out, "\n") == []
    assert out.count("\n") == len(evs) + 1  # no line break inside a field
    parsed = list(csv.reader(io.StringIO(out)))
    assert len(parsed) == len(evs) + 1 and all(len(r) == ncol for r in parsed)

    md = _render("markdown", evs)
    assert _unsafe(md, "\n") == []
    lines = md.rstrip("\n").split("\n")
    assert len(lines) == len(evs) + 2
    assert all(_markdown_cells(ln) == ncol for ln in lines)


@FAST
@given(events())
def test_json_formats_round_trip_with_no_raw_controls(evs: list[Event]) -> None:
    for fmt in ("json", "jsonl"):
        out = _render(fmt, evs)
        assert _unsafe(out, "\n") == []
        docs = (json.loads(out) if fmt == "json"
                else [json.loads(ln) for ln in out.splitlines()])
        assert docs == [e.to_json() for e in evs]


@settings(max_examples=40, deadline=None)
@given(events(), st.sampled_from([20, 45, 100]))
def test_table_has_no_controls_and_every_id(evs: list[Event], width: int) -> None:
    import os

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        out = _render("table", evs)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    assert _unsafe(out, "\n") == []
    assert all(e.id in out for e in evs)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=ANY_TEXT, summary=ANY_TEXT, fmt=st.sampled_from(["tsv", "csv", "markdown"]))
def test_through_the_whole_cli(tmp_path_factory, title: str, summary: str, fmt: str) -> None:
    tmp = tmp_path_factory.mktemp("cli")
    (tmp / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    (tmp / "events.toml").write_text(
        f'[[event]]\nid = "x"\ntitle = {_toml_str("T" + title)}\ndate = "1939"\n'
        f"summary = {_toml_str(summary)}\n"
        'citations = [{ note = 1 }, { source = "paper" }, { source = "hata-2014" }]\n',
        encoding="utf-8")
    r = invoke("timeline", "-f", fmt, data=tmp)
    assert r.exit_code == 0, r.stderr
    assert _unsafe(r.stdout, "\t\n") == []
    body = r.stdout.rstrip("\n").split("\n")
    assert len(body) == {"tsv": 1, "csv": 2, "markdown": 3}[fmt]
