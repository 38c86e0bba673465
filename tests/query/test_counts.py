"""`farchron stats`: counts per year, month, tag and actor; the overlap rule; formats."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from farchron.query import counts as stats
from tests.conftest import invoke, run, write_ledger

ROOT = Path(__file__).resolve().parents[2]

SPAN_EVENTS = '''
[[event]]
id = "sakhalin"
title = "Occupation of Northern Sakhalin"
date = "1920/1925"
tags = ["occupation"]
actors = ["Japan"]
citations = [{ note = 1 }]

[[event]]
id = "winter"
title = "A winter"
date = "1921-24"
tags = ["occupation", "war"]
citations = [{ note = 1 }]

[[event]]
id = "open"
title = "From 1924 on"
date = "1924/.."
citations = [{ note = 1 }]
'''



@pytest.fixture
def spans(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, SPAN_EVENTS)


def test_per_year_tsv_with_empty_years():
    r = invoke("stats", "1939/1945")
    assert r.exit_code == 0, r.stderr
    # autumn-winter 1944 (Sep 1944 - Feb 1945) counts in both years
    assert r.stdout == "1939\t3\n1940\t0\n1941\t0\n1942\t0\n1943\t0\n1944\t1\n1945\t2\n"


def test_a_multi_year_event_counts_once_in_each_year_it_overlaps(spans):
    r = invoke("stats", "1919/1926", data=spans)
    # sakhalin 1920-1925; winter 1921 runs Dec 1921 - Feb 1922; open end runs to 1926
    assert r.stdout == ("1919\t0\n1920\t1\n1921\t2\n1922\t2\n1923\t1\n1924\t2\n"
                        "1925\t2\n1926\t1\n")


def test_default_period_is_the_events_span_and_open_ends_stop_there(spans):
    r = invoke("stats", data=spans)
    assert r.stdout == "1920\t1\n1921\t2\n1922\t2\n1923\t1\n1924\t2\n1925\t2\n"


def test_per_month_json(spans):
    r = invoke("stats", "1921-11/1922-03", "--by", "month", "-f", "json", data=spans)
    assert json.loads(r.stdout) == [
        {"month": "1921-11", "count": 1}, {"month": "1921-12", "count": 2},
        {"month": "1922-01", "count": 2}, {"month": "1922-02", "count": 2},
        {"month": "1922-03", "count": 1},
    ]


def test_years_before_year_one_are_astronomical_in_data():
    r = invoke("stats", "-f", "json", "--", "-0216/-0214")
    assert json.loads(r.stdout) == [
        {"year": -216, "count": 0}, {"year": -215, "count": 1}, {"year": -214, "count": 0},
    ]
    r = invoke("stats", "--by", "month", "--", "-0215")
    assert r.stdout.splitlines()[7] == "-0215-08\t1"


def test_by_tag_and_actor(spans):
    r = invoke("stats", "--by", "tag", data=spans)
    assert r.stdout == "occupation\t2\n(none)\t1\nwar\t1\n"
    r = invoke("stats", "--by", "actor", "-f", "csv")
    assert r.stdout == ("actor,count\n(none),3\nGeorgy Zhukov,1\nKwantung Army,1\n"
                        "Tōgō Shigenori,1\nVyacheslav Molotov,1\n")


def test_filters_apply():
    r = invoke("stats", "1939", "--tag", "battle")
    assert r.stdout == "1939\t1\n"


def test_per_year_agrees_with_timeline_on_the_shipped_ledger():
    r = invoke("stats", "1918/1945", data=ROOT)
    counts = dict(line.split("\t") for line in r.stdout.splitlines())
    assert len(counts) == 28
    for year in ("1918", "1925", "1936", "1939", "1941", "1945"):
        listed = invoke("timeline", year, data=ROOT).stdout.splitlines()
        assert int(counts[year]) == len(listed), year
    assert counts["1936"] == "9" and counts["1945"] == "56"


def test_bar_chart_exact_with_empty_runs_folded():
    r = invoke("stats", "-f", "chart", env={"COLUMNS": "40"})
    assert r.stdout == (
        "216 BC 1 ██████████▍\n"
        "215 BC – 1938: 2153 empty\n"
        "1939   3 ███████████████████████████████\n"
        "1940 – 1943: 4 empty\n"
        "1944   1 ██████████▍\n"
        "1945   2 ████████████████████▋\n"
    )


@pytest.mark.parametrize("columns", [20, 50, 120])
def test_bar_chart_fits_the_width(columns):
    r = invoke("stats", "1918/1945", "-f", "chart", data=ROOT, env={"COLUMNS": str(columns)})
    assert max(cell_len(ln) for ln in r.stdout.splitlines()) <= columns


def test_bar_chart_is_the_default_on_a_terminal_tsv_in_a_pipe():
    tty = run("stats", "1939/1945", env={"FORCE_COLOR": "1", "COLUMNS": "60"},
              shell="| cat")
    assert tty.stdout.startswith("1939\t3\n")  # a pipe: TSV
    if shutil.which("script"):  # a real terminal through script(1)
        cmd = shlex.join([sys.executable, "-m", "farchron", "--data",
                          str(Path(__file__).resolve().parents[1] / "fixtures" / "small"),
                          "stats", "1939/1945"])
        env = {"COLUMNS": "60", "TERM": "xterm", "PATH": "/usr/bin:/bin"}
        out = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True,
                             text=True, env=env, timeout=30).stdout
        assert "█" in out and "\t" not in out


def test_bar_lengths_are_proportional():
    assert stats.bar(8, 8, 10) == "█" * 10
    assert stats.bar(4, 8, 10) == "█" * 5
    assert stats.bar(1, 8, 10) == "█▎"
    assert stats.bar(0, 8, 10) == ""
    assert stats.bar(1, 8, 10, ascii=True) == "#"


def test_nothing_matched_is_exit_1():
    r = invoke("stats", "1800")
    assert r.exit_code == 1 and r.stdout == ""
