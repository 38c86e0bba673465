"""Bad input never gets past, and output never breaks: invalid ledgers, full disks, closed
and broken pipes, narrow and ASCII terminals, colour settings. Real processes where the
behaviour lives in the interpreter (buffers, fds, encodings)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from farchron.cli import cli
from tests.conftest import SMALL, invoke, run

# ----------------------------------------------------------------------------- invalid ledger

#: Arguments that make each command read the ledger; a new command must be added here,
#: so that its refusal of an invalid ledger is tested too.
COMMAND_ARGS: dict[str, list[str]] = {
    "timeline": [], "search": ["nomonhan"], "show": ["nomonhan"], "cite": ["nomonhan"],
    "sources": [], "notes": [], "chart": [], "stats": [], "audit": ["{tmp}/draft.md"],
    "export html": ["-o", "{tmp}/out.html"], "export timelinejs": ["-o", "{tmp}/out.json"],
    "add event": ["--title", "T", "--date", "1939", "--note", "1"],
    "add source": ["--type", "book", "--title", "T"],
    "import": [str(Path(__file__).resolve().parents[1] / "fixtures" / "import" / "rjw.ris")],
    "export sqlite": ["-o", "{tmp}/out.db"],
    "fmt": [],
}
#: Commands that do not read the ledger as a whole (check reports instead of refusing;
#: init makes a new one; edit is how an invalid ledger gets mended, visudo-style; date
#: reads no ledger at all; lsp keeps serving and shows the ledger's problems as diagnostics,
#: tests/lsp/test_lsp_server.py::test_ledger_that_does_not_parse).
EXEMPT = {"check", "init", "edit", "date", "lsp",
          # diff and merge read texts, not a ledger: a conflicted file must be diffable
          # and mergeable (issue 25)
          "diff", "merge"}


def _commands(group: click.Group = cli, prefix: str = "") -> list[str]:
    names = []
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            names += _commands(cmd, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def _invalid(tmp: Path) -> Path:
    for name in ("events.toml", "sources.toml"):
        (tmp / name).write_bytes((SMALL / name).read_bytes())
    text = (tmp / "events.toml").read_text("utf-8")
    (tmp / "events.toml").write_text(text.replace('date = "1939-09-01"', 'date = "1939-09-31"'),
                                     encoding="utf-8")
    return tmp


def test_every_command_is_covered() -> None:
    assert sorted(set(_commands()) - EXEMPT) == sorted(COMMAND_ARGS)


@pytest.mark.parametrize("command", sorted(COMMAND_ARGS))
def test_every_command_refuses_an_invalid_ledger(tmp_path: Path, command: str) -> None:
    data = _invalid(tmp_path)
    args = [a.format(tmp=tmp_path) for a in COMMAND_ARGS[command]]
    r = invoke(*command.split(), *args, data=data)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"farchron: {data / 'events.toml'}:35: invalid EDTF date '1939-09-31': "
        "September 1939 has 30 days\n"
        "farchron: the ledger is invalid: run 'farchron check' for every problem\n")
    assert not list(tmp_path.glob("out.*"))  # nothing written either


def test_invalid_ledger_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    data = _invalid(tmp_path)
    r = run("timeline", "-f", "json", data=data)
    assert (r.returncode, r.stdout) == (2, "")
    assert "Traceback" not in r.stderr and "farchron check" in r.stderr


def test_unparsable_ledger_is_refused_with_its_position(tmp_path: Path) -> None:
    data = _invalid(tmp_path)
    (data / "sources.toml").write_text('[[source]]\nid = "x\n', encoding="utf-8")
    r = invoke("timeline", data=data)
    assert r.exit_code == 2
    assert r.stderr.splitlines()[1] == (
        f"farchron: {data / 'sources.toml'}:2:8: TOML syntax error: unterminated string "
        "(a quoted string must end on its line)")


def test_a_folder_without_a_ledger_says_so_not_invalid(tmp_path: Path) -> None:
    """--data on an existing folder holding neither file said 'the ledger is invalid'
    (issue 11: say what is wrong, and how to start a ledger there)."""
    for cmd in (["timeline"], ["search", "x"], ["check"]):
        r = invoke(*cmd, data=tmp_path)
        assert r.exit_code == 2, cmd
        assert "invalid" not in r.stderr, cmd
        assert r.stderr == (f"farchron: {tmp_path / 'events.toml'}: no such file: {tmp_path} "
                            f"holds no ledger (farchron init {tmp_path} starts one)\n"), cmd


def test_missing_data_folder(tmp_path: Path) -> None:
    r = invoke("timeline", data=tmp_path / "nowhere")
    assert r.exit_code == 2
    assert f"{tmp_path / 'nowhere' / 'events.toml'}: no such file" in r.stderr


# ----------------------------------------------------------------------------- stdout trouble

BUFFERING = pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])


def _env(unbuffered: bool, **extra: str) -> dict[str, str]:
    return {**({"PYTHONUNBUFFERED": "1"} if unbuffered else {}), **extra}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger whose output is far larger than a pipe's buffer (64 KiB)."""
    tmp = tmp_path_factory.mktemp("big")
    (tmp / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    parts = [(SMALL / "events.toml").read_text("utf-8")]
    for i in range(700):  # ~150 bytes a line in every format: 100 KiB and more
        parts.append(f'\n[[event]]\nid = "filler-{i}"\ntitle = "Filler event {i} {"x" * 80}"\n'
                     f'date = "{1900 + i % 100}-0{1 + i % 9}"\n'
                     f'summary = "{"A long summary. " * 4}"\ncitations = [{{ note = 1 }}]\n')
    (tmp / "events.toml").write_text("".join(parts), encoding="utf-8")
    return tmp


@BUFFERING
@pytest.mark.parametrize("fmt", ["tsv", "json", "table"])
def test_full_disk_is_a_write_error(fmt: str, unbuffered: bool) -> None:
    r = run("timeline", "-f", fmt, data=SMALL, env=_env(unbuffered), shell="> /dev/full")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == "farchron: write error: No space left on device\n"


def test_full_disk_with_check_output(tmp_path: Path) -> None:
    data = _invalid(tmp_path)
    r = run("check", data=data, shell="> /dev/full")
    assert r.returncode == 1
    assert r.stderr.startswith("farchron: write error: No space left on device\n")


@BUFFERING
def test_closed_stdout_exits_2(unbuffered: bool) -> None:
    r = run("timeline", data=SMALL, env=_env(unbuffered), shell=">&-")
    assert (r.returncode, r.stderr) == (2, "farchron: write error: standard output is closed\n")


@BUFFERING
@pytest.mark.parametrize("fmt", ["tsv", "csv", "json", "jsonl", "markdown", "table"])
def test_head_ends_quietly(big: Path, fmt: str, unbuffered: bool) -> None:
    r = run("timeline", "-f", fmt, data=big, env=_env(unbuffered),
            shell="| head -1; exit ${PIPESTATUS[0]}")
    assert r.stderr == ""
    assert len(r.stdout.splitlines()) == 1
    assert r.returncode == 141  # the shell's status for a writer whose reader left


@BUFFERING
def test_head_on_short_output_is_quiet_and_succeeds(unbuffered: bool) -> None:
    r = run("timeline", "-f", "tsv", data=SMALL, env=_env(unbuffered),
            shell="| head -1; exit ${PIPESTATUS[0]}")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("cannae\t")


def test_reader_closing_before_any_output_is_quiet(big: Path) -> None:
    r = run("timeline", data=big, shell="| true; exit ${PIPESTATUS[0]}")
    assert (r.returncode, r.stderr) == (141, "")


# ----------------------------------------------------------------------------- terminals

SMALL_IDS = ["cannae", "nomonhan", "pact", "markup", "autumn", "telegram"]


@pytest.mark.parametrize("columns", [20, 30, 40, 50, 60, 80, 120])
def test_narrow_terminal_never_drops_a_column(columns: int) -> None:
    r = run("timeline", "-f", "table", data=SMALL, env={"COLUMNS": str(columns)})
    assert (r.returncode, r.stderr) == (0, "")
    out = r.stdout
    assert all(len(line) <= columns for line in out.splitlines()), out
    for header in ("When", "Event", "Id"):
        assert header in out
    for eid in SMALL_IDS:
        assert re.search(rf"(^|\s){eid}(\s|$)", out, re.M), (eid, out)
    if "Event:" in out:  # stacked, one field a line: each title is whole, perhaps folded
        squeezed = re.sub(r"\s+", "", out)
        titles = ("Battle of Cannae", "German-Soviet Non-aggression Pact", "Emergency telegram")
        assert all(t.replace(" ", "") in squeezed for t in titles)
    else:  # a table: cells wrap at word boundaries
        assert all(word in out for word in ("Battle", "Cannae", "Emergency", "telegram"))
    assert ("Event:" in out) == (columns < 40)


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "markdown"])
def test_ascii_output_encoding_does_not_crash(fmt: str) -> None:
    r = run("timeline", "-f", fmt, data=SMALL, env={"PYTHONIOENCODING": "ascii"})
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.isascii()
    assert "Nomonhan Incident" in r.stdout
    if fmt == "tsv":
        assert all(line.count("\t") == 5 for line in r.stdout.splitlines())
        assert "May\\u2013Sep 1939" in r.stdout  # readable escapes, not '?'


def test_ascii_stderr_does_not_crash(tmp_path: Path) -> None:
    data = _invalid(tmp_path)
    (data / "events.toml").write_text(
        (data / "events.toml").read_text("utf-8").replace('id = "pact"', 'id = "пакт"'),
        encoding="utf-8")
    r = run("check", data=data, env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 1
    assert "id '\\u043f\\u0430\\u043a\\u0442' must be lowercase" in r.stdout
    assert "Traceback" not in r.stderr


def _in_terminal(*args: str, env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal (what a user sees); returns what it printed."""
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "PYTHONUNBUFFERED")}
    full_env.update({"COLUMNS": "100", "FARCHRON_NO_CACHE": "1", "TERM": "xterm-256color",
                     **env})
    proc = subprocess.run([sys.executable, "-m", "farchron", "--data", str(SMALL), *args],
                          stdout=slave, stderr=subprocess.PIPE, env=full_env, timeout=60)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.returncode == 0, proc.stderr
    return b"".join(chunks).decode("utf-8")


def test_terminal_gets_a_coloured_table() -> None:
    out = _in_terminal("timeline", env={})
    assert "\x1b[" in out and "Battle of Cannae" in out


def test_no_color_on_a_terminal_means_no_escape_codes_at_all() -> None:
    out = _in_terminal("timeline", env={"NO_COLOR": "1"})
    assert "\x1b" not in out and "Battle of Cannae" in out


def test_pipe_gets_no_escape_codes_even_as_a_table() -> None:
    r = run("timeline", "-f", "table", data=SMALL)
    assert "\x1b" not in r.stdout and "Battle of Cannae" in r.stdout


def test_force_color_is_honoured_in_a_pipe_but_no_color_wins() -> None:
    forced = run("timeline", "-f", "table", data=SMALL, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    both = run("timeline", "-f", "table", data=SMALL, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b" not in both.stdout
    empty = run("timeline", "-f", "table", data=SMALL, env={"FORCE_COLOR": ""})
    assert "\x1b" not in empty.stdout


def test_force_color_never_colours_tsv() -> None:
    r = run("timeline", data=SMALL, env={"FORCE_COLOR": "1"})
    assert "\x1b" not in r.stdout and r.stdout.startswith("cannae\t")
