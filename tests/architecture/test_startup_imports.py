"""The module layout's promises: start-up stays light, the core has no CLI, rows match models.

Written before the split of ledger.py and cli.py so that it cannot quietly slow start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import SMALL

from farchron.ledger.folder import shipped_data_dir

HEAVY = ("rich", "rapidfuzz", "tomli", "numpy", "anyascii",
         # the parsers of dates as people write them load only when EDTF fails (issue 12)
         "farchron.dates.written", "farchron.dates.calendars", "farchron.dates.inprose")
#: The validation chain behind the farchron.ledger.load facade: a run the store answers needs none.
VALIDATION = ("farchron.ledger.load", "farchron.ledger.check", "farchron.ledger.parallel",
              "farchron.ledger.read", "farchron.ledger.crossfile", "farchron.model.csl",
              "farchron.ledger.locate")

#: Runs farchron.cli.main in-process and reports, at exit, which heavy modules were imported.
PROBE = """
import atexit, json, os, sys
heavy = {heavy!r}
def report():
    loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)
    with open(os.environ['PROBE_OUT'], 'w') as fh:
        json.dump(loaded, fh)
atexit.register(report)
from farchron.cli import main
main(sys.argv[1:])
"""


def _imported(args: list[str], tmp_path: Path, env: dict[str, str],
              watch: tuple[str, ...] = HEAVY, stream: str = "stdout") -> list[str]:
    out = tmp_path / "probe.json"
    out.unlink(missing_ok=True)
    full = {k: v for k, v in os.environ.items() if k not in ("FARCHRON_NO_CACHE",)}
    full.update(env, PROBE_OUT=str(out))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=watch), *args],
        capture_output=True, text=True, env=full, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert getattr(proc, stream).strip(), "the command printed nothing"
    return json.loads(out.read_text())


def test_warm_timeline_in_a_pipe_imports_nothing_heavy(tmp_path: Path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ["--data", str(SMALL), "timeline", "1939"]
    _imported(args, tmp_path, env)  # cold: parses the TOML and fills the cache
    assert (tmp_path / "cache").is_dir(), "the first run wrote no cache"
    assert _imported(args, tmp_path, env) == []


def test_warm_runs_of_the_shipped_ledger_import_no_validation(tmp_path: Path):
    """`timeline 1939 | cat` and the other store-answered commands never reach the validation
    chain (nor the heavy modules): it cost a warm timeline 14 ms of a 70 ms start-up."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "FARCHRON_DATA": str(shipped_data_dir())}
    watch = HEAVY + VALIDATION
    cold = _imported(["timeline", "1939"], tmp_path, env, watch)
    assert "farchron.ledger.check" in cold, "the probe cannot see the validation chain"
    for args in (["timeline", "1939"], ["show", "nomonhan-incident"], ["stats"],
                 ["chart", "1939"]):
        assert _imported(args, tmp_path, env, watch) == [], args
    assert _imported(["check"], tmp_path, env, watch, stream="stderr") == []  # says "ok" there


def test_a_written_date_loads_its_parser_only_then(tmp_path: Path):
    """The probe above can see the date parser: "summer 1945" needs it, "1939" does not."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    _imported(["--data", str(SMALL), "timeline", "1939"], tmp_path, env)
    loaded = _imported(["--data", str(SMALL), "timeline", "summer 1939"], tmp_path, env)
    assert "farchron.dates.written" in loaded and "farchron.dates.inprose" not in loaded


def test_the_core_imports_no_click_or_rich():
    code = ("import sys, farchron.ledger.load, farchron.model.records, farchron.dates.edtf, "
            "farchron.query.selection, farchron.settings; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == "[]"


def test_event_rows_round_trip_every_field():
    from farchron.dates import edtf as dates
    from farchron.model.records import Citation, Event, event_from_row, event_row

    cits = (Citation("paper", None, "12-13", None), Citation(None, 4, None, "ch. 2"))
    e = Event("nomonhan", "Battle of Khalkhin Gol", dates.parse("1939-05/1939-09"),
              "A summary.", ("Nomonhan",), ("battle",), ("Zhukov",), ("Mongolia",), cits)
    row = event_row(e)
    # One slot a field, in the model's order: adding a field without a row slot fails here.
    assert len(row) == len(Event._fields) + 2  # the date is stored as text, start and end
    back = event_from_row(row)
    assert back == e
    for f in Event._fields:
        assert getattr(back, f) == getattr(e, f), f
    assert [tuple(getattr(c, f) for f in Citation._fields) for c in back.citations] == [
        tuple(getattr(c, f) for f in Citation._fields) for c in cits]
    assert event_from_row(tuple(row)) == e


def test_the_shipped_ledger_survives_event_rows():
    from farchron.ledger.load import load, shipped_data_dir
    from farchron.model.records import event_from_row, event_row

    events = load(shipped_data_dir()).events
    assert events
    assert [event_from_row(event_row(e)) for e in events] == list(events)


def test_the_registry_says_what_each_command_says():
    import click

    from farchron.cli.commands import COMMANDS, EXPORT_COMMANDS, load_command

    for registry in (COMMANDS, EXPORT_COMMANDS):
        for name, (target, short) in registry.items():
            cmd = load_command(target)
            assert isinstance(cmd, click.Command)
            assert (cmd.help or "").split("\n\n")[0] == short, name


def test_help_lists_every_command_without_importing_them():
    code = ("import sys\n"
            "from farchron.cli import main\n"
            "try:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('farchron.cli.commands.')),"
            " file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.stderr.strip() == "[]"
    from farchron.cli.commands import COMMANDS

    for name in COMMANDS:
        assert f"\n  {name} " in proc.stdout


PACKAGE = Path(__file__).resolve().parents[2] / "farchron"


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every `from farchron... import name` in a file."""
    import ast

    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("farchron"):
            out += [(node.module or "", a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names if a.name.startswith("farchron")]
    return out


def test_no_module_imports_another_modules_private_names():
    for path in PACKAGE.rglob("*.py"):
        for module, name in _imports(path):
            private = name.startswith("_") and not name.startswith("__")  # __version__ is public
            assert not private, f"{path.name} imports {module}.{name}"
            assert not any(p.startswith("_") and p != "__init__"
                           for p in module.split(".")), f"{path.name} imports {module}"


def test_pictures_other_than_the_chart_do_not_import_the_terminal_chart():
    for name in ("exporters/html.py", "query/counts.py", "exporters/timelinejs.py"):
        mods = {m for m, n in _imports(PACKAGE / name)} | {
            f"{m}.{n}" for m, n in _imports(PACKAGE / name)}
        assert "farchron.render.chart" not in mods, name


def test_environment_variables_are_read_only_in_settings():
    """Issue 10: every environment variable declared once, in settings.py ($VISUAL/$EDITOR
    and FZF_PREVIEW_COLUMNS were read in authoring.py and views.py)."""
    readers = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                     if "os.environ" in p.read_text(encoding="utf-8")
                     or "os.getenv" in p.read_text(encoding="utf-8"))
    assert readers == ["settings.py"]


def test_modules_stay_small():
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert sizes["ledger/load.py"] <= 250 and sizes["cli/__init__.py"] <= 600
    assert max(sizes.values()) <= 650, max(sizes.items(), key=lambda kv: kv[1])


def test_the_date_carries_its_precision():
    from farchron.dates.edtf import Precision, parse

    assert parse("1939-08-23").precision == Precision.DAY == "day"
    assert parse("1945-07-12T20:50").precision == "time"
    assert parse("1944-23").precision == "season"
    assert parse("1939-08-XX").precision == "month"
    assert [parse(t).precision for t in ("1939", "193X", "19XX", "1XXX", "Y17000")] == [
        "year", "decade", "century", "millennium", "year"]
    assert [s.precision for s in parse("1932~/1934-05?").sides()] == ["year", "month"]
    assert [s.kind for s in parse("../1931").sides()] == ["open", "date"]


def test_match_args_are_the_fields():
    from farchron.dates import edtf as dates
    from farchron.model import records as model
    from farchron.query import selection as query

    for cls in (model.Citation, model.Event, model.Note, model.Ledger, model.Problem,
                dates.Date, dates.Side, query.Period):
        assert cls.__match_args__ == cls._fields, cls
    assert model.Source.__match_args__ == model.Source._init_args


def test_no_cache_option_leaves_the_environment_alone(monkeypatch, capsys):
    from farchron.cli import cli

    monkeypatch.delenv("FARCHRON_NO_CACHE", raising=False)
    before = dict(os.environ)
    # Not through CliRunner: it restores the environment it was given, hiding a write.
    cli.main(["--data", str(SMALL), "--no-cache", "timeline", "1939", "-f", "jsonl"],
             standalone_mode=False)
    assert capsys.readouterr().out
    assert dict(os.environ) == before


def test_atomic_writer_keeps_mode_follows_links_and_leaves_no_temp(tmp_path: Path):
    from farchron.files import locked, write_atomic

    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert write_atomic(link, "nouveau ✓\n") == target
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "nouveau ✓\n"
    assert target.stat().st_mode & 0o777 == 0o640
    write_atomic(tmp_path / "new.bin", b"\x00\x01", mode=0o600)
    assert (tmp_path / "new.bin").stat().st_mode & 0o777 == 0o600
    with locked(target):
        write_atomic(target, "inside the lock")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "link.txt", "new.bin", "out.txt", "out.txt.lock"]
