"""Tables never lose a character: every width from 40 to 160, three listings, real CLI.

Each table is read back the way a person reads it: columns found under their headers,
wrapped lines of a column joined, box lines ignored, and compared with the TSV of the
same command. Ids must be whole on one line, dates may break only between their parts.
"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from farchron.render import widths as tablefit
from tests.conftest import ROOT, invoke

WIDTHS = range(40, 161)

#: (argv, table headers mapped to TSV columns or a function of the TSV row)
LISTINGS = {
    "timeline": (("timeline", "1904/1941"),
                 {"When": 4, "Event": 5, "Id": 0}),
    "search": (("search", "conference", "--min-score", "60"),
               {"Score": lambda r: f"{float(r[6]):.0f}", "When": 4, "Event": 5, "Id": 0}),
    "sources": (("sources",),
                {"Id": 0, "Author": 2, "Year": 3, "Title": 4,
                 "Events": lambda r: str(len(r[5].split()))}),
}
KEY, DATE = "Id", "When"
MAIN = {"Event", "Title"}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cells(line: str) -> list[str]:
    """A line as display cells: a double-width character fills two (the second empty)."""
    out: list[str] = []
    for ch in line:
        out.append(ch)
        if cell_len(ch) == 2:
            out.append("")
    return out


def _expected(argv: tuple[str, ...], mapping: dict) -> list[dict[str, str]]:
    r = invoke(*argv, "-f", "tsv", data=ROOT)
    assert r.exit_code == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    return [{h: (get(row) if callable(get) else row[get]) for h, get in mapping.items()}
            for row in rows]


def _date_pieces(date: str) -> set[str]:
    """Every run of consecutive parts of a date: the only fragments a table may show."""
    parts = [p for p in re.split(r"(?<=–)|(?<=, )", date) if p]  # after a dash or a comma
    return {"".join(parts[a:b]).strip() for a in range(len(parts))
            for b in range(a + 1, len(parts) + 1)}


def _check_table(lines: list[str], records: list[dict[str, str]], headers: list[str]) -> None:
    head = lines[0]
    assert set(lines[1]) <= {"─"}, lines[1]
    idline = re.search(rf"\S / {KEY}(\s|$)", head)  # "Event / Id": ids under the titles
    present = [h for h in headers
               if re.search(rf"(^|\s){h}(\s|$)", head) and not (idline and h == KEY)]
    assert set(headers) - set(present) == ({KEY} if idline else set())
    pos = [len(_cells(head[:head.index(h)])) for h in present]
    frags: dict[str, list[str]] = {h: [] for h in present}
    for line in lines[2:]:
        cells = _cells(line)
        for n, h in enumerate(present):
            end = pos[n + 1] if n + 1 < len(present) else len(cells)
            text = "".join(cells[pos[n]:end]).strip()
            if text:
                frags[h].append(text)
    ids = [r[KEY] for r in records]
    for h in present:
        got = frags[h]
        if h == KEY:
            assert got == ids  # whole, one line each, in order
        elif h in MAIN and KEY not in present:  # the id on its own line under the title
            assert _squeeze("".join(got)) == _squeeze("".join(r[h] + r[KEY] for r in records))
            assert [f for f in got if f in set(ids)] == ids
        else:
            assert _squeeze("".join(got)) == _squeeze("".join(r[h] for r in records)), h
        if h == DATE:
            allowed = set().union(*(_date_pieces(r[h]) for r in records))
            assert all(f in allowed for f in got), [f for f in got if f not in allowed]


def _check_stacked(lines: list[str], records: list[dict[str, str]], headers: list[str],
                   width: int) -> None:
    blocks: list[dict[str, list[str]]] = [{}]
    field = ""
    for line in lines:
        if not line:
            blocks.append({})
            continue
        label = line.split(":", 1)[0]
        if label in headers and line.startswith(label + ":"):
            field = label
            blocks[-1][field] = [line[len(label) + 1:].strip()]
        else:
            blocks[-1][field].append(line.strip())
    assert len(blocks) == len(records)
    for got, want in zip(blocks, records, strict=True):
        assert set(got) == set(headers)
        ident = [p for p in got[KEY] if p]
        if cell_len(want[KEY]) + len(KEY) + 2 <= width:
            assert ident == [want[KEY]]
        else:  # wider than the terminal: it has a line (or lines) of its own
            assert "".join(ident) == want[KEY]
        for h in headers:
            if h != KEY:
                assert " ".join(p for p in got[h] if p) == " ".join(want[h].split()), h


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_no_character_is_lost_at_any_width(listing: str) -> None:
    argv, mapping = LISTINGS[listing]
    records = _expected(argv, mapping)
    headers = list(mapping)
    assert len(records) > 5
    modes = set()
    for width in WIDTHS:
        r = invoke(*argv, "-f", "table", data=ROOT, env={"COLUMNS": str(width)})
        assert r.exit_code == 0, r.stderr
        lines = r.stdout.rstrip("\n").split("\n")
        too_wide = [ln for ln in lines if cell_len(ln) > width]
        assert not too_wide, (width, too_wide)
        try:
            if lines[0].startswith(headers[0] + ":"):
                modes.add("stacked")
                _check_stacked(lines, records, headers, width)
            else:
                modes.add("idline" if f"/ {KEY}" in lines[0] else "table")
                _check_table(lines, records, headers)
        except AssertionError as exc:
            raise AssertionError(f"{listing} at {width} columns:\n{r.stdout}") from exc
    assert {"table", "idline"} <= modes  # the widths 40-160 really exercise the layouts


def test_eighty_columns_give_the_title_the_width_and_keep_dates_whole() -> None:
    r = invoke("search", "liaison conference", "-f", "table", data=ROOT,
               env={"COLUMNS": "80"})
    lines = r.stdout.splitlines()
    assert any(ln.strip() == "liaison-conference-principles-world-situation" for ln in lines)
    assert "Liaison Conference adopts the 'Principles for the" in r.stdout
    assert "17 Jul–2 Aug 1945" in r.stdout  # dates unwrapped when a title has room
    r = invoke("timeline", "1904", "-f", "table", data=ROOT, env={"COLUMNS": "30"})
    assert "8 Feb 1904–" in r.stdout.splitlines() or "8 Feb 1904–" in r.stdout


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("8 Feb 1904–5 Sep 1905", 12, ["8 Feb 1904–", "5 Sep 1905"]),
    ("8 Feb 1904–5 Sep 1905", 30, ["8 Feb 1904–5 Sep 1905"]),
    ("12 Jul 1945, 20:50", 12, ["12 Jul 1945,", "20:50"]),
    ("autumn–winter 1944", 12, ["autumn–", "winter 1944"]),
])
def test_dates_break_only_between_parts(text: str, width: int, lines: list[str]) -> None:
    assert tablefit.wrap(text, width, "parts") == lines


def test_words_wrap_by_display_cells_and_long_words_split_after_hyphens() -> None:
    assert tablefit.wrap("明治維新 明治維新", 8) == ["明治維新", "明治維新"]
    assert tablefit.wrap("Soviet-Mongolian-Manchukuo border", 12) == [
        "Soviet-", "Mongolian-", "Manchukuo", "border"]
    assert tablefit.wrap("id-that-is-long", 5, "never") == ["id-that-is-long"]


def test_an_id_wider_than_the_terminal_folds_into_full_lines() -> None:
    """At 40 columns a 43-character id came out one hyphen-part a line (seven lines of
    'soviet-', 'notice-', 'not-', ...); the parts are packed into as few lines as fit."""
    ident = "soviet-notice-not-to-extend-neutrality-pact"
    specs = [tablefit.Spec("When", "parts"), tablefit.Spec("Event", main=True),
             tablefit.Spec("Id", "never")]
    lines = tablefit.stacked_lines(specs, ["5 Apr 1945", "Soviet notice", ident], 40)
    texts = ["".join(t for t, _ in line) for line in lines]
    at = texts.index("Id:")
    assert texts[at + 1:] == ["soviet-notice-not-to-extend-neutrality-", "pact"]
    assert tablefit.wrap("Soviet-Mongolian-Manchukuo border", 18) == [
        "Soviet-Mongolian-", "Manchukuo border"]


def test_layouts_step_down_from_table_to_idline_to_stacked() -> None:
    specs = [tablefit.Spec("When", "parts"), tablefit.Spec("Event", main=True),
             tablefit.Spec("Id", "never")]
    rows = [["8 Feb 1904–5 Sep 1905", "Russo-Japanese War and a long title to wrap",
             "russo-japanese-war-with-a-long-id"]]
    assert tablefit.fit(specs, rows, 120).mode == "table"
    assert tablefit.fit(specs, rows, 75).mode == "table"
    lay = tablefit.fit(specs, rows, 60)
    assert lay.mode == "idline" and lay.widths[1] >= 33
    assert tablefit.fit(specs, rows, 40).mode == "stacked"
