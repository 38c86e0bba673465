"""Issue 27: the write side under fire. Each test reproduces one failure that lost data,
corrupted a ledger or hung, through real processes (races, SIGKILL, ulimit -f, symlinks).
"""

from __future__ import annotations

import os
import random
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.authoring.writes_helpers import (
    checks,
    editor,
    env,
    farchron,
    files,
    ids,
    make_ledger,
    on_a_terminal,
    records,
    run,
)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return make_ledger(tmp_path / "tanzimat")


def _copies(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("farchron-edit-*"))


@pytest.fixture
def edit_tmp(tmp_path: Path) -> Path:
    """A TMPDIR of its own, so a test sees every edit copy left behind."""
    d = tmp_path / "edit-tmp"
    d.mkdir()
    return d


# --------------------------------------------------------------------------- 1. emptied copy


def test_an_emptied_copy_changes_nothing(ledger: Path, tmp_path: Path, edit_tmp: Path):
    before = files(ledger)
    r = run(ledger, "edit", "davison-1963",
            env=env(VISUAL=editor(tmp_path, "text = ''"), TMPDIR=str(edit_tmp)))
    assert r.returncode == 0, r.stderr
    assert "emptied: no change to davison-1963" in r.stderr and "saved" not in r.stderr
    assert files(ledger) == before
    assert _copies(edit_tmp) == []


def test_a_copy_the_editor_deleted_changes_nothing(ledger: Path, tmp_path: Path,
                                                   edit_tmp: Path):
    before = files(ledger)
    r = run(ledger, "edit", "edict-of-gulhane",
            env=env(VISUAL=editor(tmp_path, "os.unlink(path); text = None"),
                    TMPDIR=str(edit_tmp)))
    assert r.returncode == 0, r.stderr
    assert "removed: no change" in r.stderr and "Errno" not in r.stderr
    assert files(ledger) == before


def test_the_copy_holds_the_record_alone_and_only_it_is_written(ledger: Path,
                                                                tmp_path: Path):
    """Text outside the record never comes from the copy: an editor that puts junk where
    the rest of the file would be gets a refusal naming the copy, not a rewritten file."""
    seen = tmp_path / "seen.txt"
    ed = editor(tmp_path, f"""
        open({str(seen)!r}, 'w', encoding='utf-8').write(text)
        text = text.replace('title = "Reform Edict of 1856"',
                            'title = "Islahat Fermanı"')
    """)
    r = run(ledger, "edit", "reform-edict-of-1856", env=env(VISUAL=ed))
    assert r.returncode == 0, r.stderr
    copy = seen.read_text(encoding="utf-8")
    assert copy.count("[[event]]") == 1 and "edict-of-gulhane" not in copy
    titles = [e["title"] for e in records(ledger, "event")]
    assert titles == ["Edict of Gülhane", "Islahat Fermanı", "First Ottoman Constitution"]
    junk = editor(tmp_path, "text += '\\n[[event]]\\nid = \"x\"\\n'", "junk.py")
    before = files(ledger)
    r = run(ledger, "edit", "reform-edict-of-1856", env=env(VISUAL=junk))
    assert r.returncode == 1 and "must hold one [[event]]" in r.stderr
    assert files(ledger) == before


def test_deleting_a_record_is_asked_on_a_terminal(ledger: Path, tmp_path: Path):
    ed = editor(tmp_path, "text = ''")
    before = files(ledger)
    code, out = on_a_terminal(ledger, ["edit", "reform-edict-of-1856"], "\n",
                              extra={"VISUAL": ed})
    assert code == 0 and "delete reform-edict-of-1856" in out, out
    assert files(ledger) == before  # the default is no
    code, out = on_a_terminal(ledger, ["edit", "reform-edict-of-1856"], "y\n",
                              extra={"VISUAL": ed})
    assert code == 0 and "deleted" in out, out
    assert ids(ledger) == ["edict-of-gulhane", "first-ottoman-constitution"]
    assert checks(ledger).returncode == 0


# --------------------------------------------------------------------------- 2. edit vs edit


def _barrier_editor(tmp: Path, name: str, flags: Path, change: str) -> str:
    """An editor that makes `change`, then waits until both racers are ready to save."""
    return editor(tmp, f"""
        {change}
        pathlib.Path({str(flags)!r}, {name!r}).touch()
        deadline = time.time() + 20
        while len(list(pathlib.Path({str(flags)!r}).iterdir())) < 2 and time.time() < deadline:
            time.sleep(0.005)
    """, f"{name}.py")


@pytest.mark.parametrize("round_", range(4))
def test_rename_and_cite_at_once_never_break_the_ledger(ledger: Path, tmp_path: Path,
                                                        round_: int):
    """One edit makes an event cite inalcik-1973 while another renames that work; both
    save at the same moment. The cross-file check runs under the lock: exactly one wins,
    the other is refused (its copy kept), and the ledger checks."""
    flags = tmp_path / f"flags{round_}"
    flags.mkdir()
    cite = _barrier_editor(tmp_path, "cite", flags, """
        text = text.replace('citations = [', 'citations = [{ source = "inalcik-1973" }, ')
    """)
    rename = _barrier_editor(tmp_path, "rename", flags, """
        text = text.replace('id = "inalcik-1973"', 'id = "inalcik-1973-a"')
    """)
    a = farchron(ledger, "edit", "edict-of-gulhane", env=env(VISUAL=cite))
    b = farchron(ledger, "edit", "inalcik-1973", env=env(VISUAL=rename))
    outs = [p.communicate(timeout=60) for p in (a, b)]
    codes = sorted([a.returncode, b.returncode])
    assert codes == [0, 1], outs
    assert checks(ledger).returncode == 0, outs
    loser = outs[0][1] if a.returncode else outs[1][1]
    copy = Path(loser.rsplit("your edited copy is ", 1)[1].strip())
    assert copy.is_file()
    copy.unlink()


# --------------------------------------------------------------------------- 3. symlinked folders


def test_folders_of_symlinks_to_one_ledger_share_its_lock(ledger: Path, tmp_path: Path):
    """Eight adds at once through a folder whose files are symlinks to the ledger's, a
    symlink to the ledger's folder, and the folder itself: every acknowledged id is in
    the file (a lock per folder lost half of them)."""
    other = tmp_path / "other"
    other.mkdir()
    for name in ("events.toml", "sources.toml"):
        (other / name).symlink_to(ledger / name)
    linked = tmp_path / "linked"
    linked.symlink_to(ledger)
    folders = [ledger, other, linked, other]
    procs = [farchron(folders[i % 4], "add", "event", "--title", f"Provincial Reform {i}",
                      "--date", f"{1864 + i}", "--cite", "davison-1963",
                      env=env(FARCHRON_TEST_WRITE_PAUSE="0.3"))
             for i in range(8)]
    said = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        said.append(out.strip())
    assert set(said) <= set(ids(ledger)) and len(set(said)) == 8
    assert (other / "events.toml").is_symlink()
    assert checks(ledger).returncode == 0


# --------------------------------------------------------------------------- 4. conflicts


def test_a_change_elsewhere_in_the_file_is_no_conflict(ledger: Path, tmp_path: Path):
    """While the editor is open another process adds an event: both land."""
    ed = editor(tmp_path, f"""
        subprocess.run([sys.executable, '-m', 'farchron', '--data', {str(ledger)!r}, 'add',
                        'event', '--title', 'Treaty of Paris', '--date', '1856-03-30',
                        '--cite', 'davison-1963'], check=True, capture_output=True)
        text = text.replace('date = "1876-12-23"', 'date = "1876-12-23/1878-02-14"')
    """)
    r = run(ledger, "edit", "first-ottoman-constitution", env=env(VISUAL=ed))
    assert r.returncode == 0, r.stderr
    evs = {e["id"]: e for e in records(ledger, "event")}
    assert "treaty-of-paris" in evs
    assert evs["first-ottoman-constitution"]["date"] == "1876-12-23/1878-02-14"


def _meddling_editor(tmp: Path, ledger: Path, second: str = "") -> str:
    """First run: someone else edits the same record (a nested `farchron edit`), then this
    one saves its own change. Later runs: `second`."""
    other = editor(tmp, "text = text.replace('pages = \"52-80\"', 'pages = \"52-81\"')",
                   "other.py")
    return editor(tmp, f"""
        mark = pathlib.Path({str(tmp / 'opened')!r})
        if not mark.exists():
            mark.touch()
            e = dict(os.environ, VISUAL={other!r})
            subprocess.run([sys.executable, '-m', 'farchron', '--data', {str(ledger)!r},
                            'edit', 'reform-edict-of-1856'], env=e, check=True,
                           stdin=subprocess.DEVNULL, capture_output=True)
            text = text.replace('title = "Reform Edict of 1856"', 'title = "Islahat Edict"')
        else:
{"            " + second if second else "            pass"}
    """, "meddling.py")


def test_a_conflict_in_a_script_keeps_the_copy_and_names_it(ledger: Path, tmp_path: Path,
                                                           edit_tmp: Path):
    r = run(ledger, "edit", "reform-edict-of-1856",
            env=env(VISUAL=_meddling_editor(tmp_path, ledger), TMPDIR=str(edit_tmp)))
    assert r.returncode == 1, r.stderr
    assert "was changed while you were editing it" in r.stderr
    copy = Path(r.stderr.rsplit("your edited copy is ", 1)[1].strip())
    assert 'title = "Islahat Edict"' in copy.read_text(encoding="utf-8")
    assert _copies(edit_tmp) == [copy]
    ev = {e["id"]: e for e in records(ledger, "event")}["reform-edict-of-1856"]
    assert ev["title"] == "Reform Edict of 1856"  # the other edit stands, ours is kept aside
    assert ev["citations"] == [{"source": "davison-1963", "pages": "52-81"}]


def test_a_conflict_on_a_terminal_reopens_the_editor_on_both(ledger: Path, tmp_path: Path,
                                                             edit_tmp: Path):
    second = ("assert 'someone else changed this record' in text and '52-81' in text; "
              "text = text.replace('52-80', '52-81')")
    code, out = on_a_terminal(ledger, ["edit", "reform-edict-of-1856"], "e\n",
                              extra={"VISUAL": _meddling_editor(tmp_path, ledger, second),
                                     "TMPDIR": str(edit_tmp)})
    assert code == 0, out
    ev = {e["id"]: e for e in records(ledger, "event")}["reform-edict-of-1856"]
    assert ev["title"] == "Islahat Edict"
    assert ev["citations"] == [{"source": "davison-1963", "pages": "52-81"}]
    assert _copies(edit_tmp) == []


# --------------------------------------------------------------------------- kills


def _import_file(tmp: Path, n: int, tag: str = "") -> Path:
    """farchron's own jsonl: works and events citing them, so the import writes both files."""
    import json

    lines = []
    for i in range(n):
        k = f"{tag}-{i}" if tag else str(i)
        lines.append(json.dumps({"id": f"karpat-{k}", "type": "book",
                                 "title": f"Population {k}", "authors": ["Karpat, Kemal H."],
                                 "issued": str(1900 + i)}))
        lines.append(json.dumps({"id": f"census-{k}", "title": f"Ottoman Census {k}",
                                 "date": str(1831 + i),
                                 "citations": [{"source": f"karpat-{k}", "pages": "3"}]}))
    path = tmp / f"batch{n}{tag}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sigkill_at_random_points_of_a_two_file_import_is_all_or_nothing(ledger: Path,
                                                                         tmp_path: Path):
    """Each round kills an import somewhere in its write phase (from its first temp file
    on). Whatever a reader sees then checks, and once the next writer has run, the
    import is all there or not at all."""
    from tests.conftest import invoke

    rng = random.Random(27)
    for round_ in range(8):
        batch = _import_file(tmp_path, 2, f"r{round_}")
        p = farchron(ledger, "import", str(batch), env=env(FARCHRON_TEST_WRITE_PAUSE="0.3"))
        deadline = time.time() + 30
        while not list(ledger.glob(".*.farchron-*")) and time.time() < deadline:
            if p.poll() is not None:
                break
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.9))
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
        assert invoke("check", data=ledger).exit_code == 0, round_
        r = invoke("add", "event", "--title", f"Vilayet Law {round_}", "--date", "1864",
                   "--cite", "davison-1963", data=ledger)
        assert r.exit_code == 0, r.stderr
        works, events = set(ids(ledger, "source")), set(ids(ledger))
        for i in range(2):
            assert (f"karpat-r{round_}-{i}" in works) == (f"census-r{round_}-{i}" in events), \
                (round_, sorted(works))
        assert invoke("check", data=ledger).exit_code == 0
        assert not list(ledger.glob(".*staged")) and not list(ledger.glob(".*journal"))


def test_a_journal_left_by_a_killed_import_is_finished_by_the_next_writer(ledger: Path,
                                                                         tmp_path: Path):
    """Killed between the two renames (the pause before each rename lets us aim there)."""
    batch = _import_file(tmp_path, 2)
    p = farchron(ledger, "import", str(batch), env=env(FARCHRON_TEST_WRITE_PAUSE="1"))
    journal = ledger / ".events.toml.journal"
    deadline = time.time() + 30
    while not journal.exists() and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(1.4)  # sources.toml renamed, events.toml not yet
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=30)
    assert journal.exists()
    assert "karpat-1" in ids(ledger, "source") and "census-1" not in ids(ledger)
    assert checks(ledger).returncode == 0
    r = run(ledger, "add", "event", "--title", "Vilayet Law", "--date", "1864",
            "--cite", "davison-1963")
    assert r.returncode == 0, r.stderr
    assert {"census-0", "census-1"} <= set(ids(ledger)) and not journal.exists()


# --------------------------------------------------------------------------- disk full, ulimit


def _small_files(limit: int):
    def pre() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def test_ulimit_f_names_the_file_and_changes_nothing(ledger: Path):
    before = files(ledger)
    limit = len((ledger / "events.toml").read_bytes()) + 10
    r = run(ledger, "add", "event", "--title", "Land Code of 1858", "--date", "1858-04-21",
            "--summary", "x" * 200, "--cite", "davison-1963", preexec_fn=_small_files(limit))
    assert r.returncode == 2, r.stderr
    assert f"{ledger / 'events.toml'}: cannot write" in r.stderr and "ulimit -f" in r.stderr
    assert "Traceback" not in r.stderr
    assert files(ledger) == before


def test_init_that_cannot_write_leaves_nothing_behind(tmp_path: Path):
    target = tmp_path / "new" / "ledger"
    r = subprocess.run([sys.executable, "-m", "farchron", "init", str(target)],
                       capture_output=True, text=True, env=env(), preexec_fn=_small_files(2000))
    assert r.returncode == 2 and "cannot write" in r.stderr, r.stderr
    assert not (tmp_path / "new").exists()
    # an existing empty folder stays empty
    (tmp_path / "empty").mkdir()
    r = subprocess.run([sys.executable, "-m", "farchron", "init", str(tmp_path / "empty")],
                       capture_output=True, text=True, env=env(), preexec_fn=_small_files(2000))
    assert r.returncode == 2 and list((tmp_path / "empty").iterdir()) == []
    r = subprocess.run([sys.executable, "-m", "farchron", "init", str(tmp_path / "empty")],
                       capture_output=True, text=True, env=env())
    assert r.returncode == 0, r.stderr
    assert checks(tmp_path / "empty").returncode == 0


def test_init_replaces_empty_files_a_crashed_init_left(tmp_path: Path):
    (tmp_path / "events.toml").write_text("")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "events.schema.json").write_text("")
    r = subprocess.run([sys.executable, "-m", "farchron", "init", str(tmp_path)],
                       capture_output=True, text=True, env=env())
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "schema" / "events.schema.json").stat().st_size > 1000
    assert checks(tmp_path).returncode == 0


# --------------------------------------------------------------------------- read-only, bytes


def test_a_read_only_ledger_file_is_refused_never_replaced(ledger: Path, tmp_path: Path):
    events = ledger / "events.toml"
    events.chmod(0o444)
    before = files(ledger)
    r = run(ledger, "add", "event", "--title", "Land Code", "--date", "1858",
            "--cite", "davison-1963")
    assert r.returncode == 2 and f"{events}: read-only" in r.stderr, r.stderr
    assert files(ledger) == before and stat.S_IMODE(events.stat().st_mode) == 0o444
    r = run(ledger, "edit", "edict-of-gulhane", env=env(VISUAL=editor(tmp_path, "")))
    assert r.returncode == 2 and "read-only" in r.stderr
    batch = _import_file(tmp_path, 1)
    r = run(ledger, "import", str(batch))
    assert r.returncode == 2 and "read-only" in r.stderr
    assert files(ledger) == before


def test_arguments_that_are_not_utf8_are_a_clear_usage_error(ledger: Path):
    before = files(ledger)
    argv = [sys.executable.encode(), b"-m", b"farchron", b"--data", os.fsencode(ledger),
            b"add", b"event", b"--title", b"Tanzimat \xff", b"--date", b"1839",
            b"--cite", b"davison-1963"]
    r = subprocess.run(argv, capture_output=True, env=env())
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == 2, err
    assert "--title: not valid UTF-8 (byte 0xFF" in err and "internal error" not in err
    assert files(ledger) == before
