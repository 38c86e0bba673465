"""Issue 16 through real processes: exports that never replace what is not a file, signals
that leave nothing behind, limits with messages instead of crashes."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from farchron import files
from tests.conftest import SMALL, run

EXPORT = ("export", "timelinejs", "1939")


def test_export_to_a_fifo_writes_into_it_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run(*EXPORT, "-o", str(fifo))
    reader.join(timeout=30)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO, not a regular file
    assert json.loads(got[0])["events"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to make a device node")
def test_export_to_a_device_node_never_replaces_it(tmp_path: Path) -> None:
    dev = tmp_path / "null"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null
    os.chmod(dev, 0o666)
    r = run(*EXPORT, "-o", str(dev))
    assert r.returncode == 0, r.stderr
    st = os.stat(dev)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert stat.S_IMODE(st.st_mode) == 0o666


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_export_to_standard_output(name: str) -> None:
    r = run(*EXPORT, "-o", name)
    assert r.returncode == 0 and json.loads(r.stdout)["events"]
    assert "wrote" not in r.stderr


def test_a_read_only_target_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    out.write_text("old")
    out.chmod(0o444)
    r = run(*EXPORT, "-o", str(out))
    assert r.returncode == 2 and "read-only" in r.stderr and "--force" in r.stderr
    assert out.read_text() == "old"
    r = run(*EXPORT, "-o", str(out), "--force")
    assert r.returncode == 0 and json.loads(out.read_text())["events"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o444  # its mode kept


def test_a_symlink_is_followed_and_said(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = run(*EXPORT, "-o", str(link))
    assert r.returncode == 0
    assert link.is_symlink() and json.loads(target.read_text())["events"]
    assert "symbolic link" in r.stderr and str(target) in r.stderr


def test_a_symlink_loop_is_a_clear_error(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    r = run(*EXPORT, "-o", str(a))
    assert r.returncode == 2 and "loop" in r.stderr and "internal error" not in r.stderr


def test_export_sqlite_goes_through_the_same_writer(tmp_path: Path) -> None:
    """main's `export sqlite` under the reliability rules of the other exports."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run("export", "sqlite", "-o", str(fifo))
    reader.join(timeout=30)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and got[0][:16] == b"SQLite format 3\x00"
    out = tmp_path / "ro.db"
    out.write_text("old")
    out.chmod(0o444)
    r = run("export", "sqlite", "-o", str(out))
    assert r.returncode == 2 and "read-only" in r.stderr and out.read_text() == "old"
    r = run("export", "sqlite", "-o", str(out), "--force")
    assert r.returncode == 0 and out.read_bytes()[:6] == b"SQLite"
    assert stat.S_IMODE(out.stat().st_mode) == 0o444
    for name in ("-", "/dev/stdout"):
        r = run("export", "sqlite", "-o", name)
        assert r.returncode == 2 and "standard output" in r.stderr and not r.stdout


def test_a_folder_as_output_is_a_clear_error(tmp_path: Path) -> None:
    r = run(*EXPORT, "-o", str(tmp_path))
    assert r.returncode == 2 and "folder" in r.stderr


def _big_events(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    parts = [f'[[event]]\nid = "ev-{i}"\ntitle = "Event number {i} of a long ledger"\n'
             f'date = "{1900 + i % 90}-0{1 + i % 9}"\nsummary = "{"x" * 120}"\n'
             'citations = [{ note = 1 }, { source = "hata-2014", pages = "3" }]\n\n'
             for i in range(n)]
    (folder / "events.toml").write_text("".join(parts), encoding="utf-8")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        st = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return st.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    _big_events(folder, 40_000)  # over chunked.CHUNK_MIN: parsed by 2 processes
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_a_killed_first_run_leaves_no_worker(big: Path, tmp_path: Path, sig: int) -> None:
    """SIGTERM/SIGHUP unwind (worker killed, temp files removed); even kill -9 of the
    parent takes the forked parse worker with it (PR_SET_PDEATHSIG)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"), "FARCHRON_NO_CACHE": "",
           "FARCHRON_WORKERS": "2"}
    p = subprocess.Popen([sys.executable, "-m", "farchron", "--data", str(big), "timeline",
                          "1939"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    kids: list[int] = []
    deadline = time.monotonic() + 30
    while not kids and time.monotonic() < deadline and p.poll() is None:
        kids = _children(p.pid)
        time.sleep(0.01)
    if not kids:
        p.kill()
        pytest.skip("the parse finished before a worker was seen")
    p.send_signal(sig)
    p.wait(timeout=30)
    assert p.returncode == -sig
    deadline = time.monotonic() + 5
    while any(map(_alive, kids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, kids)), "the parse worker outlived farchron"
    assert b"Traceback" not in (p.stderr.read() if p.stderr else b"")
    folder = tmp_path / "xdg" / "farchron"
    left = [f.name for f in folder.iterdir()] if folder.exists() else []
    if sig != signal.SIGKILL:
        assert not [n for n in left if files.TMP_MARK in n], left


def test_sigterm_while_writing_the_cache_removes_the_temp_file(tmp_path: Path) -> None:
    """The handler removes every temp file this process is writing before unwinding."""
    code = f"""
import os, signal, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from farchron.cli import stdio
from farchron import files
from farchron.store import sections as store
stdio.on_termination()
tmp = files.temp_name({str(tmp_path)!r}, "x.store")
open(tmp, "wb").write(b"half")
files.live_temp_files().add(tmp)
try:
    print("ready", flush=True)
    time.sleep(30)
except stdio.Terminated:
    sys.exit(7)
"""
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=10) == 7
    assert not [f for f in tmp_path.iterdir() if files.TMP_MARK in f.name]


# --------------------------------------------------------------------------- limits


def test_numbers_over_4300_digits_are_errors_with_positions(tmp_path: Path) -> None:
    big = "1" * 5000
    (tmp_path / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    (tmp_path / "events.toml").write_text(
        f'[[event]]\nid = "a"\ntitle = "A"\ndate = "1939"\ncitations = [{{ note = {big} }}]\n',
        encoding="utf-8")
    for cmd in (["check"], ["timeline"]):
        r = run(*cmd, data=tmp_path)
        assert r.returncode in (1, 2) and "4,300 digits" in r.stdout + r.stderr
        assert "events.toml:5:" in r.stdout + r.stderr and "internal error" not in r.stderr
    (tmp_path / "events.toml").write_text(
        f'[[event]]\nid = "a"\ntitle = "A"\ndate = "{big}"\ncitations = [{{ note = 1 }}]\n',
        encoding="utf-8")
    r = run("check", data=tmp_path)
    assert r.returncode == 1 and "too long" in r.stdout
    for args in ([big], ["--from", big], ["--to", "-" + big]):
        r = run("timeline", *args)
        assert r.returncode == 2 and "too long" in r.stderr and len(r.stderr) < 300


@pytest.mark.parametrize("env", [{"COLUMNS": "99999999999999"}, {"COLUMNS": "0"},
                                 {"COLUMNS": "-5"}, {"COLUMNS": "junk"}])
def test_odd_columns_neither_crash_nor_print_nothing(env: dict[str, str]) -> None:
    for cmd in (["timeline", "1939", "-f", "table"], ["chart", "1939"], ["stats", "1939"]):
        r = run(*cmd, env=env)
        assert r.returncode == 0, (cmd, r.stderr)
        assert r.stdout.strip() and max(map(len, r.stdout.splitlines())) <= 1000


def test_a_huge_width_is_clamped() -> None:
    r = run("chart", "1939", "--width", "99999999999999999")
    assert r.returncode == 0 and max(map(len, r.stdout.splitlines())) <= 1000


def test_stats_over_an_absurd_span_says_so_and_suggests_a_period(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    (tmp_path / "events.toml").write_text(
        '[[event]]\nid = "a"\ntitle = "A"\ndate = "1939"\ncitations = [{ note = 1 }]\n'
        '[[event]]\nid = "b"\ntitle = "B"\ndate = "Y999998"\ncitations = [{ note = 1 }]\n',
        encoding="utf-8")
    r = run("stats", data=tmp_path)
    assert r.returncode == 2 and "PERIOD" in r.stderr and r.stdout == ""
    r = run("stats", "--by", "month", "1939/..", data=tmp_path)
    assert r.returncode == 2 and "PERIOD" in r.stderr
    r = run("stats", "1930/1950", data=tmp_path)
    assert r.returncode == 0 and r.stdout.count("\n") == 21


@pytest.mark.parametrize("encoding", ["iso-8859-1", "KOI8-R", "latin_1", "cp1252", "ascii"])
def test_tables_in_any_encoding_python_knows(encoding: str) -> None:
    for cmd in (["timeline", "1939", "-f", "table"], ["sources", "-f", "table"],
                ["stats", "1939", "-f", "chart"], ["chart", "1939"]):
        r = subprocess.run([sys.executable, "-m", "farchron", "--data", str(SMALL), *cmd],
                           capture_output=True,
                           env={**os.environ, "PYTHONIOENCODING": encoding,
                                "FARCHRON_NO_CACHE": "1"}, timeout=60)
        assert r.returncode == 0, (cmd, r.stderr)
        r.stdout.decode(encoding)  # valid in the declared encoding


def test_undecodable_arguments_are_printed_safely(tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    argv = [os.fsencode(sys.executable), b"-m", b"farchron", b"--data", os.fsencode(SMALL)]
    for extra in ([b"export", b"html", b"--title", b"\xff\xfe bad", b"-o", os.fsencode(out)],
                  [b"search", b"\xffNomonhan"], [b"show", b"\xff"],
                  [b"timeline", b"--tag", b"\xff"], [b"export", b"timelinejs", b"-o", b"-",
                                                     b"--tag", b"\xff"]):
        r = subprocess.run(argv + extra, capture_output=True, timeout=60,
                           env={**os.environ, "FARCHRON_NO_CACHE": "1"})
        assert r.returncode in (0, 1, 2), (extra, r.stderr)
        assert b"internal error" not in r.stderr
        r.stdout.decode("utf-8")
        r.stderr.decode("utf-8")
    out.read_bytes().decode("utf-8")


@pytest.mark.parametrize(("toml", "want"), [
    ("1945-08-06T08:15:00+09:00", "1945-08-06T08:15:00+09:00"),
    ("1945-08-06T08:15:00Z", "1945-08-06T08:15:00Z"),
    ("1945-08-06T08:15:00-05:30", "1945-08-06T08:15:00-05:30"),
    ("1945-08-06T08:15:00", "1945-08-06T08:15"),
    ("1945-08-06T08:15:17", "1945-08-06T08:15:17"),
])
def test_toml_datetimes_keep_their_offset(tmp_path: Path, toml: str, want: str) -> None:
    (tmp_path / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    (tmp_path / "events.toml").write_text(
        f'[[event]]\nid = "a"\ntitle = "A"\ndate = {toml}\ncitations = [{{ note = 1 }}]\n',
        encoding="utf-8")
    r = run("timeline", "-f", "json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["date"] == want


def test_toml_datetimes_with_fractions_are_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_bytes((SMALL / "sources.toml").read_bytes())
    (tmp_path / "events.toml").write_text(
        '[[event]]\nid = "a"\ntitle = "A"\ndate = 1945-08-06T08:15:00.5+09:00\n'
        'citations = [{ note = 1 }]\n', encoding="utf-8")
    r = run("check", data=tmp_path)
    assert r.returncode == 1 and "events.toml:4" in r.stdout and "fractional" in r.stdout
