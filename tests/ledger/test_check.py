"""`farchron check`: one test per kind of problem, each asserting message, line and exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL, invoke, run

# Line numbers below refer to this text: every test changes one or two lines of it.
BASE = """\
[[event]]
id = "one"
title = "One"
date = "1939-08-23"
citations = [{ note = 1 }, { source = "hata-2014", pages = "1" }]

[[event]]
id = "two"
title = "Two"
date = "1939"
citations = [{ source = "paper" }]
"""


def ledger(tmp_path: Path, events: str = BASE, sources: str | None = None,
           *, raw: bytes | None = None) -> Path:
    """A data folder with the given events.toml and the small fixture's sources.toml."""
    (tmp_path / "events.toml").write_bytes(raw if raw is not None else events.encode())
    src = sources if sources is not None else (SMALL / "sources.toml").read_text("utf-8")
    (tmp_path / "sources.toml").write_text(src, encoding="utf-8")
    return tmp_path


def edit(line: int, new: str, text: str = BASE) -> str:
    """BASE with line `line` (1-based) replaced by `new` (which may hold several lines)."""
    lines = text.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


def check(data: Path, *args: str, env: dict[str, str] | None = None):
    return invoke("check", *args, data=data, env=env)


def only(result, data: Path, file: str = "events.toml") -> str:
    """The single problem line reported, with the data folder stripped."""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    prefix = f"{data / file}:"
    assert lines[0].startswith(prefix), lines[0]
    return lines[0][len(prefix):]


# ----------------------------------------------------------------------------- clean data


def test_base_ledger_is_clean(tmp_path: Path) -> None:
    r = check(ledger(tmp_path))
    assert (r.exit_code, r.stdout) == (0, "")
    assert r.stderr == f"farchron: ok: 2 events, 3 sources, 2 notes in {tmp_path}\n"


def test_shipped_ledger_is_clean() -> None:
    r = check(ROOT)
    assert (r.exit_code, r.stdout) == (0, "")
    assert re.fullmatch(r"farchron: ok: \d+ events, \d+ sources, \d+ notes in the shipped "
                        r"ledger\n", r.stderr)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    r = check(ledger(tmp_path, raw=b"\xef\xbb\xbf" + BASE.encode()))
    assert (r.exit_code, r.stdout) == (0, "")


def test_crlf_is_accepted_and_lines_stay_right(tmp_path: Path) -> None:
    data = ledger(tmp_path, raw=BASE.replace("\n", "\r\n").encode())
    assert check(data).exit_code == 0
    bad = edit(10, 'date = "1939-13"').replace("\n", "\r\n")
    r = check(ledger(tmp_path, raw=bad.encode()))
    assert r.exit_code == 1
    assert only(r, data).startswith("10: invalid EDTF date '1939-13'")


# ----------------------------------------------------------------------------- reading


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(9, 'title = "Two'))
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == ("9:13: TOML syntax error: unterminated string "
                             "(a quoted string must end on its line)")
    assert "farchron: 1 error in" in r.stderr


def test_impossible_toml_date_gets_a_hint(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(4, "date = 1868-13-45"))
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == (
        "4:12: TOML syntax error: Expected newline or end of document after a statement "
        "('1868-13-45' is not a valid TOML date; write date = \"1868-13-45\" as an EDTF "
        "string, or correct the day)")


def test_invalid_utf8_is_line_and_column_not_byte_offset(tmp_path: Path) -> None:
    raw = edit(9, 'title = "Tw\xe9o"').encode("latin-1")  # a Latin-1 é on line 9
    data = ledger(tmp_path, raw=raw)
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == "9:12: invalid UTF-8 (byte 0xe9); save the file as UTF-8"


def test_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    data = ledger(tmp_path, raw=BASE.encode("utf-16"))
    r = check(data)
    assert (r.exit_code, only(r, data)) == (1, "1:1: the file is UTF-16; save it as UTF-8")


def test_nesting_too_deep(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(12, "deep = " + "[" * 500 + "]" * 500))
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == (
        "12:408: arrays or inline tables nested too deep (more than 400 levels)")


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    data = ledger(tmp_path)
    r = check(data, env={"FARCHRON_MAX_BYTES": "100"})
    assert r.exit_code == 1
    line = r.stdout.splitlines()
    assert line == [
        f"{data / 'events.toml'}: file is over the 100-byte limit "
        "(set FARCHRON_MAX_BYTES to raise it)",
        f"{data / 'sources.toml'}: file is over the 100-byte limit "
        "(set FARCHRON_MAX_BYTES to raise it)",
    ]


def test_missing_file_is_unreadable_exit_2(tmp_path: Path) -> None:
    data = ledger(tmp_path)
    (data / "sources.toml").unlink()
    r = check(data)
    assert r.exit_code == 2
    assert r.stdout == f"{data / 'sources.toml'}: no such file\n"


def test_directory_in_place_of_file_is_exit_2(tmp_path: Path) -> None:
    data = ledger(tmp_path)
    (data / "events.toml").unlink()
    (data / "events.toml").mkdir()
    r = check(data)
    assert (r.exit_code, r.stdout) == (2, f"{data / 'events.toml'}: is a directory\n")


def test_syntax_error_in_one_file_does_not_hide_the_other(tmp_path: Path) -> None:
    src = (SMALL / "sources.toml").read_text("utf-8").replace('type = "book"', "type = 5", 1)
    data = ledger(tmp_path, edit(9, 'title = "Two'), src)
    r = check(data)
    assert r.exit_code == 1
    assert [ln.split(": ", 1)[1] for ln in r.stdout.splitlines()] == [
        "TOML syntax error: unterminated string (a quoted string must end on its line)",
        "'type' must be a string, not an integer",
    ]
    assert r.stdout.splitlines()[1].startswith(f"{data / 'sources.toml'}:10: ")


# ----------------------------------------------------------------------------- records


@pytest.mark.parametrize(("line", "new", "where", "message"), [
    (3, "", "1", "event 'one' has no 'title'"),
    (4, "", "1", "event 'one' has no 'date'"),
    (10, "date = 1939", "10",
     "'date' must be an EDTF string such as \"1939-08-23\", not an integer"),
    (9, "title = ['Two']", "9", "'title' must be a string, not an array"),
    (10, 'date = "19x9"', "10", "invalid EDTF date '19x9': not a date (expected e.g. "
     "1939, 1939-08, 1939-08-23, 1944-23, 193X)"),
    (10, 'date = "1939-02-30"', "10",
     "invalid EDTF date '1939-02-30': February 1939 has 28 days"),
    (10, 'date = "1939-09/1939-05"', "10",
     "invalid EDTF date '1939-09/1939-05': interval ends before it starts"),
    (8, 'id = "Two_B"', "8",
     "id 'Two_B' must be lowercase letters, digits and single hyphens ([a-z0-9-])"),
    (8, 'id = "one"', "8", "duplicate id 'one' (first used by event #1, line 2)"),
    (11, "citations = []", "11",
     "event 'two' has an empty 'citations': every event must be cited"),
    (11, 'citations = [{ source = "hata-2041" }]', "11",
     "event 'two' cites unknown source 'hata-2041' (did you mean 'hata-2014'?)"),
    (11, "citations = [{ note = 7 }]", "11",
     "event 'two' cites note 7, which sources.toml does not have"),
])
def test_one_problem(tmp_path: Path, line: int, new: str, where: str, message: str) -> None:
    text = edit(line, new)
    if line == 11:  # keep "paper" cited elsewhere
        text = text.replace('{ note = 1 }', '{ note = 1 }, { source = "paper" }')
    data = ledger(tmp_path, text)
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == f"{where}: {message}"
    # every other command refuses the same ledger, with exit 2 and the same first problem
    t = invoke("timeline", data=data)
    assert (t.exit_code, t.stdout) == (2, "")
    assert f"{data / 'events.toml'}:{where}: {message}" in t.stderr
    assert "run 'farchron check' for every problem" in t.stderr


def test_citation_line_is_the_line_of_the_bad_entry(tmp_path: Path) -> None:
    text = edit(11, 'citations = [\n  { source = "paper" },\n  { note = 9 },\n]')
    data = ledger(tmp_path, text)
    r = check(data)
    assert only(r, data) == "13: event 'two' cites note 9, which sources.toml does not have"


def test_bad_record_still_has_its_citations_checked(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(10, 'date = "1939-02-30"\nsummary = "x"').replace(
        '{ source = "paper" }', '{ source = "nope" }, { source = "paper" }'))
    r = check(data)
    assert [ln.split(":", 2)[1:] for ln in r.stdout.splitlines()] == [
        ["10", " invalid EDTF date '1939-02-30': February 1939 has 28 days"],
        ["12", " event 'two' cites unknown source 'nope'"],
    ]


def test_later_lines_stay_right_after_a_dropped_record(tmp_path: Path) -> None:
    src = (SMALL / "sources.toml").read_text("utf-8")
    src = src.replace('id = "paper"\ntype = "article"\n', 'id = "paper"\n', 1)  # now invalid
    src = src.replace('source = "krivosheev-2010", pages = "160"', 'source = "krivo"', 1)
    data = ledger(tmp_path, sources=src)
    r = check(data)
    assert r.stdout.splitlines() == [
        f"{data / 'sources.toml'}:1: source 'paper' has no 'type'",
        f"{data / 'sources.toml'}:36: note 2 cites unknown source 'krivo'",
    ]


def test_note_citing_unknown_source(tmp_path: Path) -> None:
    src = (SMALL / "sources.toml").read_text("utf-8").replace(
        '[{ source = "krivosheev-2010", pages = "159" }]',
        '[{ source = "krivoshev-2010", pages = "159" }]')
    data = ledger(tmp_path, sources=src)
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data, "sources.toml") == (
        "32: note 1 cites unknown source 'krivoshev-2010' (did you mean 'krivosheev-2010'?)")


def test_unknown_field_is_a_warning_with_the_nearest_name(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(9, 'title = "Two"\nsumary = "typo"'))
    r = check(data)
    assert r.exit_code == 0  # warnings alone do not fail the check...
    assert only(r, data) == (
        "10: warning: unknown field 'sumary' in event 'two' (did you mean 'summary'?)")
    assert r.stderr == f"farchron: ok: 2 events, 3 sources, 2 notes in {data} (1 warning)\n"
    assert check(data, "--strict").exit_code == 1  # ...unless --strict
    assert invoke("timeline", data=data).exit_code == 0  # nor stop other commands


def test_unknown_field_in_a_citation(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(11, 'citations = [{ source = "paper", page = "3" }]'))
    r = check(data)
    assert only(r, data) == (
        "11: warning: unknown field 'page' in a citation (did you mean 'pages'?)")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    data = ledger(tmp_path, "meta = 1\n\n" + BASE)
    r = check(data)
    assert only(r, data) == "1: warning: unknown top-level key 'meta'"


def test_a_misnamed_array_is_an_error_and_its_records_are_still_checked(tmp_path: Path):
    # Issue 11: `[[events]]` used to be a warning, and every record in it vanished.
    data = ledger(tmp_path, BASE.replace("[[event]]", "[[events]]", 1).replace(
        'date = "1939-08-23"', 'date = "1939-13"', 1))
    r = check(data)
    assert r.exit_code == 1
    lines = [ln.split(str(data) + "/", 1)[1] for ln in r.stdout.splitlines()]
    assert lines[0].startswith("events.toml:1: unknown table [[events]] (did you mean "
                               "[[event]]?): its 1 record is checked as [[event]]")
    assert any("'1939-13'" in ln for ln in lines), lines  # still checked, line and all
    assert not r.stderr.startswith("farchron: ok")


def test_source_never_cited_is_a_warning(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(5, "citations = [{ note = 1 }]"))
    r = check(data)
    assert r.exit_code == 0
    assert only(r, data, "sources.toml") == "9: warning: source 'hata-2014' is never cited"
    assert check(data, "--strict").exit_code == 1


def test_every_problem_at_once_in_file_order(tmp_path: Path) -> None:
    text = edit(10, "date = 1939", edit(8, 'id = "one"', edit(3, 'titel = "One"')))
    data = ledger(tmp_path, text)
    r = check(data)
    assert r.exit_code == 1
    assert [ln.split(":", 2)[1:] for ln in r.stdout.splitlines()] == [
        ["1", " event 'one' has no 'title'"],
        ["3", " warning: unknown field 'titel' in event 'one' (did you mean 'title'?)"],
        ["8", " duplicate id 'one' (first used by event #1, line 2)"],
        ["10", " 'date' must be an EDTF string such as \"1939-08-23\", not an integer"],
    ]
    assert r.stderr == f"farchron: 3 errors, 1 warning in {data}\n"


def test_array_in_a_multiline_string_does_not_shift_lines(tmp_path: Path) -> None:
    text = edit(9, 'title = "Two"\nsummary = """\n[[event]]\n"""\ndate = "1939-13"')
    text = text.replace('date = "1939"\n', "")
    data = ledger(tmp_path, text)
    r = check(data)
    assert only(r, data).startswith("13: invalid EDTF date '1939-13'")


def test_control_characters_in_messages_are_made_visible(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(9, 'title = "Two"\n"x\\u001b[2J" = 1'))
    r = check(data)
    assert "\x1b" not in r.stdout
    assert "unknown field 'x␛[2J'" in r.stdout


# ----------------------------------------------------------------------------- json


def test_json_output(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(9, 'title = "Two'))
    r = check(data, "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout) == [{
        "file": str(data / "events.toml"), "line": 9, "column": 13, "code": "toml-syntax",
        "severity": "error",
        "message": "TOML syntax error: unterminated string (a quoted string must end on its line)",
    }]


def test_json_output_of_records_and_warnings(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(5, "citations = [{ note = 1 }]", edit(10, 'date = "1939-13"')))
    got = json.loads(check(data, "-f", "json").stdout)
    assert [(p["file"][-12:], p["line"], p["column"], p["code"], p["severity"])
            for p in got] == [
        ("/events.toml", 10, None, "invalid-date", "error"),
        ("sources.toml", 9, None, "unused-source", "warning"),
    ]


def test_json_of_a_clean_ledger_is_an_empty_array(tmp_path: Path) -> None:
    r = check(ledger(tmp_path), "-f", "json")
    assert (r.exit_code, json.loads(r.stdout)) == (0, [])


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    assert check(ledger(tmp_path), "-f", "xml").exit_code == 2


# ----------------------------------------------------------------------------- JSON Schema


def _as_taplo_sees_it(value: object) -> object:
    """TOML dates and times become strings, as in taplo's (and JSON's) view of the file."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _as_taplo_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_taplo_sees_it(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _validator(name: str):
    import jsonschema

    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _doc(path: Path) -> object:
    import tomli

    return _as_taplo_sees_it(tomli.loads(path.read_text("utf-8")))


@pytest.mark.parametrize("folder", [ROOT, SMALL], ids=["shipped", "small"])
def test_ledger_validates_against_the_schema(folder: Path) -> None:
    for name in ("events", "sources"):
        errors = [f"{list(e.absolute_path)}: {e.message}"
                  for e in _validator(name).iter_errors(_doc(folder / f"{name}.toml"))]
        assert errors == [], name


def test_shipped_files_point_editors_at_the_schema() -> None:
    for name in ("events", "sources"):
        first = (ROOT / f"{name}.toml").read_text("utf-8").split("\n", 1)[0]
        assert first == f"#:schema ./schema/{name}.schema.json"
    import tomli

    include = tomli.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["hatch"][
        "build"]["targets"]["sdist"]["include"]
    assert "schema" in include


def test_schema_knows_the_fields_the_loader_knows() -> None:
    from farchron.ledger import load as ledger

    ev = json.loads((ROOT / "schema/events.schema.json").read_text("utf-8"))["definitions"]
    src = json.loads((ROOT / "schema/sources.schema.json").read_text("utf-8"))["definitions"]
    assert set(ev["event"]["properties"]) == set(ledger.EVENT_FIELDS)
    assert set(ev["event"]["required"]) == {"id", "title", "date", "citations"}
    assert set(ev["citation"]["properties"]) == set(ledger.CITATION_FIELDS)
    assert set(src["source"]["properties"]) == set(ledger.SOURCE_FIELDS)
    assert set(src["note"]["properties"]) == set(ledger.NOTE_FIELDS)


@pytest.mark.parametrize(("record", "path"), [
    ({"id": "Bad_Id", "title": "t", "date": "1939", "citations": [{"note": 1}]}, ["id"]),
    ({"id": "a", "title": "t", "date": "1939"}, []),
    ({"id": "a", "title": "t", "date": "1939", "citations": []}, ["citations"]),
    ({"id": "a", "title": "t", "date": "1939", "citations": [{"pages": "3"}]},
     ["citations", 0]),
    ({"id": "a", "title": "t", "date": "spring", "citations": [{"note": 1}]}, ["date"]),
    ({"id": "a", "title": "t", "date": 1939, "citations": [{"note": 1}]}, ["date"]),
    ({"id": "a", "title": "t", "date": "1939", "sumary": "", "citations": [{"note": 1}]}, []),
])
def test_schema_flags_what_an_editor_should(record: dict, path: list) -> None:
    errors = list(_validator("events").iter_errors({"event": [record]}))
    assert errors, record
    assert list(errors[0].absolute_path) == ["event", 0, *path]


def test_an_array_as_id_is_a_type_error_not_a_crash(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(8, 'id = ["two"]'))
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == "8: 'id' must be a string, not an array"


def test_toml_datetime_before_year_1000_is_read_as_written(tmp_path: Path) -> None:
    data = ledger(tmp_path, edit(10, "date = 0005-03-01T10:30:00"))
    assert check(data).exit_code == 0
    r = invoke("show", "two", "-f", "json", data=data)
    assert json.loads(r.stdout)["start"] == "0005-03-01"


# ----------------------------------------------------------------------------- issue 11


def test_a_source_type_must_be_a_csl_type(tmp_path: Path) -> None:
    src = (SMALL / "sources.toml").read_text("utf-8")
    assert 'type = "book"' in src
    data = ledger(tmp_path, sources=src.replace('type = "book"', 'type = "journal-article"', 1))
    for args in ((), ("--strict",)):
        r = check(data, *args)
        assert r.exit_code == 1
        assert ("type 'journal-article' is not a CSL item type (did you mean "
                "'article-journal'?)") in r.stdout


def test_field_names_of_other_tools_get_a_hint(tmp_path: Path) -> None:
    src = (SMALL / "sources.toml").read_text("utf-8").replace(
        'type = "book"', 'type = "book"\nyear = "1990"\njournal = "J"\nauthor = ["A, B"]', 1)
    r = check(ledger(tmp_path, sources=src))
    assert "unknown field 'year' in source" in r.stdout
    assert "(farchron calls it 'issued')" in r.stdout
    assert "(farchron calls it 'container-title')" in r.stdout
    assert "(farchron calls it 'authors')" in r.stdout


def test_misnamed_source_and_note_arrays_are_errors(tmp_path: Path) -> None:
    src = (SMALL / "sources.toml").read_text("utf-8")
    src = src.replace("[[source]]", "[[sources]]").replace("[[note]]", "[[notes]]")
    r = check(ledger(tmp_path, sources=src))
    assert r.exit_code == 1
    assert "unknown table [[sources]] (did you mean [[source]]?)" in r.stdout
    assert "unknown table [[notes]] (did you mean [[note]]?)" in r.stdout
    # the works and notes are still known, so the events' citations are not "unknown"
    assert "unknown source" not in r.stdout and "does not have" not in r.stdout


def test_a_works_table_in_events_toml_is_named(tmp_path: Path) -> None:
    r = check(ledger(tmp_path, BASE + '\n[[source]]\nid = "x"\ntype = "book"\ntitle = "X"\n'))
    assert r.exit_code == 1 and "[[source]] belongs in sources.toml" in r.stdout


def test_the_tag_vocabulary_is_enforced(tmp_path: Path) -> None:
    vocab = '[vocabulary]\ntags = ["battle", "treaty"]\n\n'
    data = ledger(tmp_path, vocab + edit(4, 'date = "1939-08-23"\ntags = ["batle"]'))
    r = check(data)
    assert r.exit_code == 1
    assert only(r, data) == ("8: tag 'batle' is not in the [vocabulary] of this ledger "
                             "(did you mean 'battle'?)")
    data = ledger(tmp_path, vocab + edit(4, 'date = "1939-08-23"\ntags = ["battle"]'))
    assert check(data).exit_code == 0


def test_check_names_the_ledger_it_checked(tmp_path: Path) -> None:
    r = run("check", data=None, cwd=tmp_path)
    assert r.returncode == 0
    assert r.stderr.startswith("farchron: ok: ") and r.stderr.endswith(
        "in the shipped ledger\n")
    (tmp_path / "rjw").mkdir()
    ledger(tmp_path / "rjw")
    r = run("check", data=Path("rjw"), cwd=tmp_path)
    assert r.stderr == "farchron: ok: 2 events, 3 sources, 2 notes in ./rjw\n"


def test_check_of_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    r = check(tmp_path / "nowhere")
    assert r.exit_code == 2
    assert f"there is no folder {tmp_path / 'nowhere'}" in r.stderr
    assert "invalid" not in r.stderr
