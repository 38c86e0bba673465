"""`add event` with --part-of, --other-date, --calendar and --as-printed, and date-as-printed
kept by itself for a date typed as a source prints it; the ledger then checks clean.
Field: the first Sino-Japanese war and the 1905 Russian revolution (not the seed paper's)."""

from __future__ import annotations

from pathlib import Path

import tomli
from conftest import invoke


def _ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "war-1894"
    assert invoke("init", str(folder), data=None).exit_code == 0
    for sid, title in (("paine-2003", "The Sino-Japanese War of 1894-1895"),
                       ("ascher-1988", "The Revolution of 1905")):
        r = invoke("add", "source", "--type", "book", "--title", title, "--id", sid,
                   data=folder)
        assert r.exit_code == 0, r.stderr
    return folder


def _events(folder: Path) -> dict[str, dict]:
    doc = tomli.loads((folder / "events.toml").read_text(encoding="utf-8"))
    return {e["id"]: e for e in doc.get("event", [])}


def test_every_new_option_gives_a_ledger_check_accepts(tmp_path: Path):
    folder = _ledger(tmp_path)
    war = invoke("add", "event", "--title", "First Sino-Japanese War",
                 "--date", "1894-07-25/1895-04-17", "--cite", "paine-2003", data=folder)
    assert war.exit_code == 0, war.stderr
    r = invoke("add", "event", "--title", "Treaty of Shimonoseki", "--date", "明治28年4月17日",
               "--part-of", "first-sino-japanese-war",
               "--other-date", "光緒二十一年三月二十三日:paine-2003:247",
               "--cite", "paine-2003:247", data=folder)
    assert r.exit_code == 0, r.stderr
    sunday = invoke("add", "event", "--title", "Bloody Sunday", "--date", "1905-01-09",
                    "--calendar", "julian", "--as-printed", "9 января 1905 г.",
                    "--other-date", "9 January 1905 OS:ascher-1988:90",
                    "--cite", "ascher-1988:90", data=folder)
    assert sunday.exit_code == 0, sunday.stderr
    typed = invoke("add", "event", "--title", "Gapon's petition", "--date", "8 January 1905 OS",
                   "--cite", "ascher-1988:89", data=folder)
    assert typed.exit_code == 0, typed.stderr
    ev = _events(folder)
    treaty = ev["treaty-of-shimonoseki"]
    assert treaty["date"] == "1895-04-17" and treaty["date-as-printed"] == "明治28年4月17日"
    assert treaty["part-of"] == "first-sino-japanese-war"
    assert treaty["other-dates"] == [{"date": "1895-04-17", "source": "paine-2003",
                                      "pages": "247"}]
    assert ev["bloody-sunday"]["calendar"] == "julian"
    assert ev["bloody-sunday"]["date"] == "1905-01-09"
    assert ev["bloody-sunday"]["date-as-printed"] == "9 января 1905 г."
    assert ev["bloody-sunday"]["other-dates"][0]["calendar"] == "julian"
    assert ev["gapons-petition"]["date-as-printed"] == "8 January 1905 OS"
    assert "date-as-printed" not in ev["first-sino-japanese-war"]  # EDTF typed: nothing kept
    check = invoke("check", data=folder)
    assert check.exit_code == 0, check.stderr
    shown = invoke("show", "bloody-sunday", data=folder)
    assert "22 Jan 1905" in shown.stdout


def test_bad_options_are_usage_errors_and_write_nothing(tmp_path: Path):
    folder = _ledger(tmp_path)
    before = (folder / "events.toml").read_bytes()
    for extra, message in ((["--other-date", "1895-04-17"], "needs its evidence"),
                           (["--calendar", "gregorian", "--date", "9 Jan 1905 OS"],
                            "says it is Old Style"),
                           (["--calendar", "julian", "--date", "9 Jan 1905"],
                            "as EDTF as the source prints it"),
                           (["--part-of", "No Such"], "is not an event id")):
        args = ["add", "event", "--title", "T", "--cite", "paine-2003", *extra]
        if "--date" not in extra:
            args += ["--date", "1895"]
        r = invoke(*args, data=folder)
        assert r.exit_code == 2 and message in r.stderr, (extra, r.stderr)
        assert "Traceback" not in r.stderr
    assert (folder / "events.toml").read_bytes() == before
    r = invoke("add", "event", "--title", "T", "--date", "1895", "--cite", "paine-2003",
               "--part-of", "no-such-war", data=folder)
    assert r.exit_code == 2 and "no-such-war" in r.stderr
