"""`farchron chart` (and `timeline -f chart`): the Gantt layout, exact for fixed COLUMNS."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from farchron.dates.edtf import parse
from farchron.render import chart
from tests.conftest import invoke, run, write_ledger

CHART_1939 = """\
                                1939
                                Jan        Apr         Jul         Oct
                                ┬──────────┬───────────┬───────────┬────────────
Nomonhan Incident                              █████████████████████
German-Soviet Non-aggression P…                               ●
[bold red]Not bold[/] and :war…                                ●
█ span  ● day
"""

# The default period is the events' span: 216 BC to AD 1945, labelled in round years.
CHART_ALL = """\
                                         500       1000      1500
                            ─────────────┬─────────┬─────────┬────────
Battle of Cannae            ░
Nomonhan Incident                                                    █
German-Soviet Non-aggressi…                                          ●
[bold red]Not bold[/] and …                                          ●
Togo's study at Karuizawa                                            █
Emergency telegram                                                   ●
█ span  ░ sometime in  ● day
"""

CHART_WINTER = """\
                          1944      1945
                          Oct       Jan     Apr      Jul
                        ──┬─────────┬───────┬────────┬──────
Togo's study at Karuiz… ██████████████████
Emergency telegram                                    ●
█ span  ● day
"""

ODD_EVENTS = '''
[[event]]
id = "approx-start"
title = "Approximate start"
date = "1932~/1934"
tags = ["policy"]
citations = [{ note = 1 }]

[[event]]
id = "open-end"
title = "Open end"
date = "1933/.."
tags = ["war"]
citations = [{ note = 1 }]

[[event]]
id = "open-start"
title = "Open start"
date = "../1931"
tags = ["war"]
citations = [{ note = 1 }]

[[event]]
id = "circa-month"
title = "c. December 1932"
date = "1932-12~"
citations = [{ note = 1 }]

[[event]]
id = "cjk"
title = "ノモンハン事件と満洲国の国境紛争"
date = "1934-06-01?"
citations = [{ note = 1 }]
'''


# Open ends are arrows at the period's edge, approximate ends shaded, the CJK title
# cut by cell width (each character is two columns).
CHART_ODD_ASCII = """\
                        1930 1931  1932   1933  1934  1935
                        +----+-----+------+-----+-----+-----
Open start              <###########
Approximate start                  ~~~~~~~############
c. December 1932                         ~
Open end                                  #################>
ノモンハン事件と満洲国…                           *
# span  * c. day  ~ approximate  <> open end
"""


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, ODD_EVENTS)


def test_chart_of_a_year_is_exact():
    r = invoke("chart", "1939", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout == CHART_1939
    assert r.stderr == ""


def test_default_period_is_the_span_of_the_events_bc_included():
    r = invoke("chart", env={"COLUMNS": "70"})
    assert r.stdout == CHART_ALL


def test_months_across_a_year_end():
    r = invoke("chart", "1944-09/1945-08", env={"COLUMNS": "60"})
    assert r.stdout == CHART_WINTER


def test_open_and_approximate_ends_ascii(odd):
    r = invoke("chart", "1930/1935", "--ascii", data=odd, env={"COLUMNS": "60"})
    assert r.stdout == CHART_ODD_ASCII


def test_open_ends_in_unicode_and_default_period_closes_them(odd):
    r = invoke("chart", data=odd, env={"COLUMNS": "60"})
    rows = {ln.split("  ")[0]: ln for ln in r.stdout.splitlines()}
    assert rows["Open start"].rstrip().endswith("█") and "◀" in rows["Open start"]
    assert rows["Open end"].endswith("▶")
    assert "▒" in rows["Approximate start"] and "○" in r.stdout
    assert r.stdout.splitlines()[1].split() == ["Jan", "Jul"] * 4  # period 1931-1934


@pytest.mark.parametrize("columns", [20, 31, 47, 60, 80, 101, 157])
def test_never_wider_than_columns_with_cjk_titles(odd, columns):
    for data in (odd, None):
        args = ("chart",) if data else ("chart", "1918/1945")
        kw = {"data": data} if data else {"data": Path(__file__).resolve().parents[2]}
        r = invoke(*args, env={"COLUMNS": str(columns)}, **kw)
        assert r.exit_code == 0, r.stderr
        widths = [cell_len(line) for line in r.stdout.splitlines()]
        assert max(widths) <= columns
        assert max(widths) >= columns - 2  # and it does use the width


def test_shipped_ledger_has_one_row_per_event_in_date_order():
    """One row an event; wholes in date order, each part ("└ ") right under its whole."""
    root = Path(__file__).resolve().parents[2]
    ids = invoke("timeline", "1939/1941", data=root).stdout.splitlines()
    r = invoke("chart", "1939/1941", data=root, env={"COLUMNS": "200"})
    titles = [ln.split("\t")[5] for ln in ids]
    body = r.stdout.splitlines()[3:3 + len(titles)]
    cells = [line[:79].rstrip() for line in body]  # the title column: 2/5 of 200 columns
    parts = [c[2:] for c in cells if c.startswith("└ ")]
    assert parts  # the Nomonhan Incident's parts in 1939

    def same(cell: str, title: str) -> bool:
        return cell == title or (cell.endswith("…") and title.startswith(cell[:-1]))

    left = list(titles)
    for cell in (c.removeprefix("└ ") for c in cells):  # each event once
        left.remove(next(t for t in left if same(cell, t)))
    assert left == []
    wholes = [c for c in cells if not c.startswith("└ ")]
    rest = [t for t in titles if not any(same(p, t) for p in parts)]
    assert len(wholes) == len(rest) and all(map(same, wholes, rest))
    assert len(titles) > 20  # a long chart repeats the axis at its foot
    assert r.stdout.splitlines()[3 + len(titles)].strip().startswith("┬")


def test_timeline_format_chart_is_the_same_picture():
    a = invoke("chart", "1939", env={"COLUMNS": "80"})
    b = invoke("timeline", "1939", "-f", "chart", env={"COLUMNS": "80"})
    assert a.stdout == b.stdout


def test_width_option_and_filters():
    r = invoke("chart", "1939", "--tag", "treaty", "--width", "40")
    assert r.stdout.splitlines()[3].startswith("German-Soviet … ")  # 2/5 of 40 columns
    assert len(r.stdout.splitlines()) == 5
    assert all(cell_len(ln) <= 40 for ln in r.stdout.splitlines())


def test_nothing_to_draw_is_exit_1():
    r = invoke("chart", "1800")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "nothing to draw" in r.stderr


def test_bad_period_is_exit_2():
    r = invoke("chart", "1939-13")
    assert r.exit_code == 2
    assert "1939-13" in r.stderr


def test_colour_on_a_terminal_only():
    forced = run("chart", "1939", env={"FORCE_COLOR": "1", "COLUMNS": "80"})
    assert "\x1b[" in forced.stdout
    plain = run("chart", "1939", env={"COLUMNS": "80"})
    assert plain.stdout == CHART_1939
    no_color = run("chart", "1939", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80"})
    assert no_color.stdout == CHART_1939


def test_hostile_title_is_shown_literally_in_colour():
    r = run("chart", "1939", env={"FORCE_COLOR": "1", "COLUMNS": "80"})
    assert "[bold red]Not bold[/] and :war…" in r.stdout


def test_day_numbers_round_trip_across_year_zero():
    assert chart.day_number((1970, 1, 1)) == 0
    assert chart.day_number((2000, 3, 1)) - chart.day_number((2000, 2, 28)) == 2  # leap
    assert chart.day_number((1, 1, 1)) - chart.day_number((0, 12, 31)) == 1
    assert chart.day_number((0, 3, 1)) - chart.day_number((0, 2, 28)) == 2  # 1 BC is leap
    for n in range(chart.day_number((-401, 1, 1)), chart.day_number((-399, 1, 1)), 7):
        assert chart.day_number(chart.from_day_number(n)) == n
    for n in range(-800_000, 800_000, 997):
        assert chart.day_number(chart.from_day_number(n)) == n


@pytest.mark.parametrize(
    ("text", "shape", "qualifiers"),
    [
        ("1939-08-23", "point", ("",)),
        ("1945-07-12T20:50", "point", ("",)),
        ("1939", "window", ("",)),
        ("193X", "window", ("",)),
        ("1944-23", "window", ("",)),
        ("1932-12~", "window", ("~",)),
        ("1939-05/1939-09", "span", ("", "")),
        ("1932~/1934?", "span", ("~", "?")),
        ("../1931", "span", ("", "")),
    ],
)
def test_shapes(text, shape, qualifiers):
    d = parse(text)
    assert chart.shape(d) == shape
    assert tuple(s.qualifier for s in chart.sides(d)) == qualifiers
