"""`farchron timeline`: selection, order, every output format, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import SMALL, invoke

TSV_1939 = (
    "nomonhan\t1939-05/1939-09\t1939-05-01\t1939-09-30\tMay–Sep 1939\tNomonhan Incident\n"
    "pact\t1939-08-23\t1939-08-23\t1939-08-23\t23 Aug 1939\tGerman-Soviet Non-aggression Pact\n"
    "markup\t1939-09-01\t1939-09-01\t1939-09-01\t1 Sep 1939\t"
    "[bold red]Not bold[/] and :warning: and [/] closing\n"
)


def test_tsv_is_the_default_in_a_pipe_and_exact():
    r = invoke("timeline", "1939")
    assert r.exit_code == 0
    assert r.stdout == TSV_1939
    assert r.stderr == ""


def test_events_are_chronological_over_the_whole_ledger():
    r = invoke("timeline")
    ids = [line.split("\t")[0] for line in r.stdout.splitlines()]
    assert ids == ["cannae", "nomonhan", "pact", "markup", "autumn", "telegram"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("1939-08", ["nomonhan", "pact"]),
        ("1939-08-23", ["nomonhan", "pact"]),
        ("1939-05/1939-06", ["nomonhan"]),
        ("1939..1941", ["nomonhan", "pact", "markup"]),
        ("1944-23", ["autumn"]),          # autumn 1944 overlaps autumn-winter 1944
        ("1945-01", ["autumn"]),          # winter 1944 runs into February 1945
        ("1945-07-12", ["telegram"]),     # a time is within its day
        ("216BC", ["cannae"]),
        ("-0215", ["cannae"]),
        ("../1000", ["cannae"]),
        ("1945/..", ["autumn", "telegram"]),
        ("193X", ["nomonhan", "pact", "markup"]),
        ("1939~", ["nomonhan", "pact", "markup"]),
    ],
)
def test_periods(period, expected):
    r = invoke("timeline", "--", period)
    assert r.exit_code == 0, r.stderr
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == expected


def test_from_to_cover_whole_units():
    r = invoke("timeline", "--from", "1939", "--to", "1939")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["nomonhan", "pact", "markup"]
    r = invoke("timeline", "--from", "1939-08-24", "--to", "1944-09")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["nomonhan", "markup", "autumn"]


def test_match_within_keeps_only_events_wholly_inside():
    r = invoke("timeline", "1939-08", "--match", "within")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["pact"]


def test_filters():
    assert invoke("timeline", "--tag", "battle").stdout.count("\n") == 2
    assert invoke("timeline", "--tag", "BATTLE", "--tag", "treaty").stdout.count("\n") == 3
    r = invoke("timeline", "--actor", "zhukov")
    assert r.stdout.startswith("nomonhan\t")
    r = invoke("timeline", "--actor", "Togo")  # accent-insensitive: Tōgō
    assert r.stdout.startswith("autumn\t")
    r = invoke("timeline", "--place", "apulia")
    assert r.stdout.startswith("cannae\t")


def test_no_events_exits_1_silently():
    r = invoke("timeline", "1920")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", "")


@pytest.mark.parametrize("bad", ["1939-13", "1939-02-30", "soon", "1945/1939", "1939/1940/1941"])
def test_bad_period_is_a_usage_error(bad):
    r = invoke("timeline", "--", bad)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert bad in r.stderr and "Traceback" not in r.stderr


def test_empty_from_to_range_is_a_usage_error():
    r = invoke("timeline", "--from", "1945", "--to", "1939")
    assert r.exit_code == 2
    assert "empty" in r.stderr


def test_json_matches_the_contract():
    r = invoke("timeline", "1939-08-23", "-f", "json")
    data = json.loads(r.stdout)
    assert [e["id"] for e in data] == ["nomonhan", "pact"]
    pact = data[1]
    assert set(pact) == {"id", "title", "date", "start", "end", "summary", "aliases", "tags",
                         "actors", "places", "citations"}
    assert (pact["date"], pact["start"], pact["end"]) == ("1939-08-23", "1939-08-23",
                                                          "1939-08-23")
    assert pact["citations"] == [{"source": None, "pages": None, "note": 2}]
    nomonhan = data[0]
    assert nomonhan["aliases"] == ["Battle of Khalkhin Gol", "Халхин-Гол", "ノモンハン事件"]
    assert nomonhan["citations"][1] == {"source": "hata-2014", "pages": "347", "note": None}


def test_json_open_interval_bounds_are_null(tmp_ledger):
    text = (tmp_ledger / "events.toml").read_text()
    (tmp_ledger / "events.toml").write_text(text.replace('date = "1944-23/1944-24"',
                                                         'date = "1944/.."'))
    data = json.loads(invoke("timeline", "1950", "-f", "json", data=tmp_ledger).stdout)
    assert [(e["id"], e["start"], e["end"]) for e in data] == [("autumn", "1944-01-01", None)]


def test_jsonl_one_object_per_line():
    lines = invoke("timeline", "1939", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["nomonhan", "pact", "markup"]


def test_csv_parses_with_a_header():
    rows = list(csv.reader(io.StringIO(invoke("timeline", "1939", "-f", "csv").stdout)))
    assert rows[0] == ["id", "date", "start", "end", "when", "title"]
    assert rows[2] == ["pact", "1939-08-23", "1939-08-23", "1939-08-23", "23 Aug 1939",
                       "German-Soviet Non-aggression Pact"]
    assert all(len(r) == 6 for r in rows)


def test_markdown_table_escapes_pipes_and_markup():
    out = invoke("timeline", "1939", "-f", "markdown").stdout.splitlines()
    assert out[0] == "| id | date | start | end | when | title |"
    assert out[1] == "|---|---|---|---|---|---|"
    assert out[2] == ("| nomonhan | 1939-05/1939-09 | 1939-05-01 | 1939-09-30 | May–Sep 1939 "
                      "| Nomonhan Incident |")
    assert "\\[bold red\\]" in out[4]


def test_table_shows_human_dates_and_literal_markup():
    r = invoke("timeline", "1939", "-f", "table", env={"COLUMNS": "120"})
    assert "May–Sep 1939" in r.stdout
    assert "[bold red]Not bold[/] and :warning: and [/] closing" in r.stdout
    assert "\x1b" not in r.stdout


@pytest.mark.parametrize("cols", ["20", "40", "60"])
def test_narrow_terminal_never_loses_a_column(cols):
    r = invoke("timeline", "1939", "-f", "table", env={"COLUMNS": cols})
    assert r.exit_code == 0
    flat = r.stdout.replace("\n", "")
    for word in ("When", "Event", "Id"):
        assert word in r.stdout
    assert "nomonhan"[:4] in flat


def test_hostile_text_is_made_safe_in_every_format():
    for fmt in ("tsv", "csv", "markdown", "table", "json", "jsonl"):
        out = invoke("timeline", "1939-09-01", "--match", "within", "-f", fmt,
                     "--tag", "test").stdout
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "\u202e" not in out
    tsv = invoke("timeline", "1939-09-01", "--tag", "test").stdout
    assert tsv.count("\t") == 5 and tsv.count("\n") == 1


def test_json_keeps_hostile_text_losslessly_escaped():
    out = invoke("timeline", "1939-09-01", "--tag", "test", "-f", "json").stdout
    assert "\\u001b[2J" in out and "\\u009b" in out and "\\u202e" in out
    summary = json.loads(out)[0]["summary"]
    assert "\x1b[2J" in summary and "\t" in summary and "\u202e" in summary


def test_help_has_examples():
    r = invoke("timeline", "--help")
    assert r.exit_code == 0 and "Examples:" in r.stdout and "216BC" in r.stdout


def test_version():
    r = invoke("--version", data=None)
    assert r.exit_code == 0 and r.stdout.startswith("farchron ")


def test_data_env_var_and_current_directory(monkeypatch, tmp_ledger):
    r = invoke("timeline", "1939", data=None, env={"FARCHRON_DATA": str(SMALL)})
    assert r.stdout == TSV_1939
    monkeypatch.chdir(tmp_ledger)
    r = invoke("timeline", "1939", data=None)
    assert r.stdout == TSV_1939
