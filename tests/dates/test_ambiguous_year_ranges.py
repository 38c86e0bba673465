"""Never misread in silence: '1918-22' is summer 1918 in EDTF and 1918 to 1922 as historians
write it. On the command line, in `add` and in a CSV import such a date is refused with both
readings and how to write each, unless --edtf; `check` warns about one in the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import given
from hypothesis import strategies as st

from farchron.dates.ambiguity import ambiguous_reading
from farchron.dates.edtf import parse


@pytest.mark.parametrize(("text", "range_", "edtf_words"), [
    ("1918-22", "1918/1922", "summer 1918"),
    ("1905-07", "1905/1907", "Jul 1905"),
    ("1904-5", "1904/1905", "May 1904"),
    ("1901-12", "1901/1912", "Dec 1901"),
])
def test_both_readings_are_named(text: str, range_: str, edtf_words: str):
    why = ambiguous_reading(text)
    assert why is not None and range_ in why and edtf_words in why and "--edtf" in why


@pytest.mark.parametrize("text", ["1939-08", "1944-23", "1939-45", "1914-18", "1918",
                                  "1918-02-14", "1918/1922", "summer 1918"])
def test_one_reading_only_passes(text: str):
    assert ambiguous_reading(text) is None


@given(st.integers(1000, 2999), st.integers(1, 12))
def test_a_refused_month_is_always_a_later_year_too(y: int, m: int):
    text = f"{y}-{m:02d}"
    parse(text)  # a valid EDTF month
    assert (ambiguous_reading(text) is not None) == (y - y % 100 + m > y)


@pytest.mark.parametrize("args", [["timeline", "1918-22"], ["timeline", "--from", "1905-07"],
                                  ["timeline", "--to", "1918-22"], ["chart", "1918-22"]])
def test_the_command_line_refuses_them(args: list[str]):
    r = invoke(*args)
    assert r.exit_code == 2
    assert "1918/1922" in r.stderr or "1905/1907" in r.stderr
    assert "Traceback" not in r.stderr


def test_edtf_says_the_input_is_edtf():
    r = invoke("timeline", "1939-08", "-f", "tsv")
    assert invoke("timeline", "--edtf", "1939-08", "-f", "tsv").stdout == r.stdout
    assert invoke("timeline", "--edtf", "1918-22").exit_code in (0, 1)  # read, as summer 1918


def _ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "qing"
    assert invoke("init", str(folder), data=None).exit_code == 0
    r = invoke("add", "source", "--type", "book", "--title", "The Rise of Modern China",
               "--author", "Hsü, Immanuel C. Y.", "--issued", "2000", "--id", "hsu-2000",
               data=folder)
    assert r.exit_code == 0, r.stderr
    return folder


def test_add_refuses_and_check_warns(tmp_path: Path):
    folder = _ledger(tmp_path)
    before = (folder / "events.toml").read_text(encoding="utf-8")
    r = invoke("add", "event", "--title", "Warlord era", "--date", "1916-28",
               "--cite", "hsu-2000", data=folder)
    assert r.exit_code == 0, r.stderr  # 1916-28: no EDTF, only the range
    before = (folder / "events.toml").read_text(encoding="utf-8")
    r = invoke("add", "event", "--title", "Reform years", "--date", "1905-07",
               "--cite", "hsu-2000", data=folder)
    assert r.exit_code == 2 and "1905/1907" in r.stderr and "Jul 1905" in r.stderr
    assert (folder / "events.toml").read_text(encoding="utf-8") == before
    r = invoke("add", "event", "--title", "Reform summer", "--date", "1905-07", "--edtf",
               "--cite", "hsu-2000", data=folder)
    assert r.exit_code == 0, r.stderr
    r = invoke("check", data=folder)
    assert "ambiguous" in r.stdout and "1905-07" in r.stdout and "events.toml:" in r.stdout
    assert "1 warning" in r.stderr


def test_csv_import_refuses_the_row_with_its_line(tmp_path: Path):
    folder = _ledger(tmp_path)
    csv = tmp_path / "events.csv"
    csv.write_text("date,title,cite\n1898,Hundred Days' Reform,hsu-2000:380\n"
                   "1918-22,Warlord wars,hsu-2000:475\n", encoding="utf-8")
    r = invoke("import", str(csv), data=folder)
    assert r.exit_code == 2 and "events.csv:3" in r.stderr and "1918/1922" in r.stderr
    r = invoke("import", "--edtf", str(csv), data=folder)
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize(("text", "edtf"), [("1939-45", "1939/1945"), ("1914–18", "1914/1918"),
                                            ("1918–22", "1918/1922")])
def test_the_unambiguous_hyphen_ranges_read_as_ranges(text: str, edtf: str):
    from farchron.dates.written import parse_human

    assert parse_human(text).edtf == edtf
