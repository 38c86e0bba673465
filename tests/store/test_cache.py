"""The ledger cache: never stale, never wrong, private, rebuildable, and warm runs cheap."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from farchron import files
from farchron.ledger import load as ledger
from farchron.store import cache as ledgercache
from farchron.store import sections as store
from tests.conftest import ROOT, invoke, run

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def env_of(home: Path, **more: str) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(home), "FARCHRON_NO_CACHE": "", **more}


def cached(tmp_ledger: Path, *args: str, **env: str) -> list[dict[str, object]]:
    """`timeline -f json` with the cache on, in the xdg fixture's home."""
    ledgercache._SAID.clear()
    r = invoke(*args, "timeline", "-f", "json", data=tmp_ledger,
               env=env_of(Path(os.environ["XDG_CACHE_HOME"]), **env))
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def cache_files(home: Path, kind: str = "ledger") -> list[Path]:
    return sorted((home / "farchron").glob(f"*.{kind}.store"))


def titles(records: list[dict[str, object]]) -> dict[object, object]:
    return {r["id"]: r["title"] for r in records}


def test_second_load_comes_from_the_cache_and_equals_a_parse(xdg: Path, tmp_ledger: Path
                                                            ) -> None:
    first = ledgercache.open_ledger(tmp_ledger)
    assert len(cache_files(xdg)) == 1

    def no_parse(_: Path) -> tuple[None, list[object]]:
        raise AssertionError("parsed although the cache matches")

    second = ledgercache.open_ledger(tmp_ledger, collect=no_parse)  # type: ignore[arg-type]
    assert isinstance(second.events, ledgercache.Events)
    assert tuple(second.events) == tuple(first.events) == ledger.load(tmp_ledger).events
    assert second.sources == first.sources and second.notes == first.notes
    assert second.warnings == first.warnings == ledger.load(tmp_ledger).warnings
    assert [e.date.display() for e in second.events] == [e.date.display() for e in first.events]


def test_check_on_unchanged_files_is_answered_from_the_cache(xdg: Path, tmp_ledger: Path
                                                             ) -> None:
    (tmp_ledger / "sources.toml").write_text(
        (tmp_ledger / "sources.toml").read_text(encoding="utf-8")
        + '\n[[source]]\nid = "never-cited"\ntype = "book"\ntitle = "X"\nzzz = 1\n',
        encoding="utf-8")
    want = invoke("check", data=tmp_ledger)  # no cache: a parse
    assert want.exit_code == 0 and "never-cited" in want.stdout
    ledgercache.open_ledger(tmp_ledger)

    def no_parse(_: Path) -> tuple[None, list[object]]:
        raise AssertionError("parsed although the cache matches")

    _got_ledger, problems = ledgercache.open_checked(tmp_ledger,
                                                    collect=no_parse)  # type: ignore[arg-type]
    assert problems == ledger.collect(tmp_ledger)[1]
    for fmt in ("text", "json"):
        w = invoke("check", "-f", fmt, data=tmp_ledger)
        g = invoke("check", "-f", fmt, data=tmp_ledger, env=env_of(xdg))
        assert (g.exit_code, g.stdout, g.stderr) == (w.exit_code, w.stdout, w.stderr)


def test_edit_keeping_size_and_mtime_is_seen(xdg: Path, tmp_ledger: Path) -> None:
    ev = tmp_ledger / "events.toml"
    assert titles(cached(tmp_ledger))["nomonhan"] == "Nomonhan Incident"
    st = ev.stat()
    text = ev.read_bytes()
    with open(ev, "r+b") as f:  # in place: same inode, same size
        f.write(text.replace(b"Nomonhan Incident", b"Nomonhan Accident"))
    os.utime(ev, ns=(st.st_atime_ns, st.st_mtime_ns))
    st2 = ev.stat()
    assert (st2.st_size, st2.st_mtime_ns, st2.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    assert titles(cached(tmp_ledger))["nomonhan"] == "Nomonhan Accident"


def test_an_old_file_is_trusted_by_stat_and_a_recent_one_by_checksum(
        xdg: Path, tmp_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm runs read no data file unless it changed within seconds of the cache."""
    old = time.time() - 3600
    for name in ("events.toml", "sources.toml"):
        os.utime(tmp_ledger / name, (old, old))
    time.sleep(0.01)
    ledgercache.open_ledger(tmp_ledger)
    reads: list[object] = []
    real, real_crc = files.read_capped, files.crc_capped  # the racy check reads by crc_capped
    monkeypatch.setattr(files, "read_capped", lambda *a: reads.append(a) or real(*a))
    monkeypatch.setattr(files, "crc_capped", lambda *a: reads.append(a) or real_crc(*a))
    ledgercache.open_ledger(tmp_ledger)
    # ctime is recent (we just set mtime), so the files are racy and checksummed
    assert reads
    # a store built long after the last change trusts stat alone
    path = cache_files(xdg)[0]
    st = store.Store(path)
    meta = list(st.meta)
    meta[3] = time.time_ns() + 10 * files.RACY_NS
    sections = {n: bytes(st.section(n)) for n in st._table}
    store.write(path, tuple(meta), sections)
    reads.clear()
    ledgercache.open_ledger(tmp_ledger)
    assert reads == []


def test_replace_by_rename_is_seen(xdg: Path, tmp_ledger: Path) -> None:
    ev = tmp_ledger / "events.toml"
    cached(tmp_ledger)
    st = ev.stat()
    new = tmp_ledger / "events.toml.new"
    new.write_bytes(ev.read_bytes().replace(b"Battle of Cannae", b"Battle of CANNAE"))
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(new, ev)
    assert titles(cached(tmp_ledger))["cannae"] == "Battle of CANNAE"


def test_touching_only_sources_is_seen(xdg: Path, tmp_ledger: Path) -> None:
    src = tmp_ledger / "sources.toml"
    before = ledgercache.open_ledger(tmp_ledger)
    st = src.stat()
    text = src.read_text(encoding="utf-8")
    old = next(n.text for n in before.notes.values())
    new = old[:-1] + ("X" if old[-1] != "X" else "Y")
    src.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = ledgercache.open_ledger(tmp_ledger)
    assert new in [n.text for n in after.notes.values()]
    assert after.notes == ledger.load(tmp_ledger).notes


def _rewrite(path: Path, change_meta=None, change_section=None) -> None:  # type: ignore[no-untyped-def]
    """Rewrite a store with valid checksums: a crafted payload, not damage."""
    st = store.Store(path)
    meta = change_meta(st.meta) if change_meta else st.meta
    sections = {n: bytes(st.section(n, verify=False)) for n in st._table}
    if change_section:
        change_section(sections)
    store.write(path, meta, sections)


def _bad_row(sections: dict[str, bytes]) -> None:
    import marshal
    from array import array

    w = store.RowsWriter()
    offs = array("Q")
    offs.frombytes(sections["ev.offs"])
    for i in range(len(offs) - 1):
        row = marshal.loads(sections["ev.blobs"][offs[i]:offs[i + 1]])
        w.add((row[0], 12345, *row[2:]) if i == 1 else row)  # a title that is an int
    sections.update(w.sections("ev"))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "flip-header",
                                    "flip-row", "wrong-shape", "bad-row", "unsorted"])
def test_a_damaged_cache_is_rebuilt_with_one_line(xdg: Path, tmp_ledger: Path,
                                                  damage: str) -> None:
    want = cached(tmp_ledger)
    (path,) = cache_files(xdg)
    raw = bytearray(path.read_bytes())
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "flip-header":
        raw[40] ^= 0x10
        path.write_bytes(raw)
    elif damage == "flip-row":
        raw[-20] ^= 0x01  # the last section written: the rows
        path.write_bytes(raw)
    elif damage == "wrong-shape":
        _rewrite(path, change_section=lambda s: s.update({"meta": b"\x00not marshal"}))
    elif damage == "bad-row":
        _rewrite(path, change_section=_bad_row)
    else:
        def unsort(s: dict[str, bytes]) -> None:
            s["ev.starts"] = s["ev.starts"][8:16] + s["ev.starts"][:8] + s["ev.starts"][16:]
        _rewrite(path, change_section=unsort)
    r = run("timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == want
    assert r.stderr.count("\n") == 1 and "cache" in r.stderr and "rebuil" in r.stderr, r.stderr
    again = run("timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert (again.returncode, again.stderr) == (0, "")  # rebuilt whole: no more messages
    assert json.loads(again.stdout) == want


def test_a_cache_of_another_version_is_rebuilt_silently(xdg: Path, tmp_ledger: Path) -> None:
    want = cached(tmp_ledger)
    (path,) = cache_files(xdg)
    _rewrite(path, change_meta=lambda m: (("farchron-ledger", -1), *m[1:]))
    r = run("timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert (r.returncode, r.stderr) == (0, "") and json.loads(r.stdout) == want


def test_permissions_are_owner_only(xdg: Path, tmp_ledger: Path) -> None:
    old = os.umask(0)
    try:
        (xdg / "farchron").mkdir(parents=True, mode=0o755)
        os.chmod(xdg / "farchron", 0o755)  # a folder left too open is tightened
        cached(tmp_ledger)
    finally:
        os.umask(old)
    assert stat.S_IMODE((xdg / "farchron").stat().st_mode) == 0o700
    (path,) = cache_files(xdg)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_cache_writable_by_others_is_not_trusted(xdg: Path, tmp_ledger: Path) -> None:
    want = cached(tmp_ledger)
    (path,) = cache_files(xdg)
    _rewrite(path, change_section=_bad_row)  # would be noticed; here it is not even read
    os.chmod(path, 0o666)
    r = run("timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert r.returncode == 0 and json.loads(r.stdout) == want
    assert r.stderr.count("\n") == 1 and "writable by group or others" in r.stderr
    assert stat.S_IMODE(cache_files(xdg)[0].stat().st_mode) == 0o600  # replaced by ours


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to plant another user's file")
def test_another_users_forged_cache_is_ignored(xdg: Path, tmp_ledger: Path) -> None:
    want = cached(tmp_ledger)
    (path,) = cache_files(xdg)

    def forge(sections: dict[str, bytes]) -> None:
        import marshal
        from array import array

        w = store.RowsWriter()
        offs = array("Q")
        offs.frombytes(sections["ev.offs"])
        for i in range(len(offs) - 1):
            row = marshal.loads(sections["ev.blobs"][offs[i]:offs[i + 1]])
            w.add((row[0], "FORGED", *row[2:]))
        sections.update(w.sections("ev"))

    _rewrite(path, change_section=forge)
    os.chown(path, 65534, 65534)
    r = run("timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert r.returncode == 0 and json.loads(r.stdout) == want and "FORGED" not in r.stdout
    assert r.stderr.count("\n") == 1 and "another user" in r.stderr
    os.chown(xdg / "farchron", 65534, 65534)
    r = run("timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert r.returncode == 0 and json.loads(r.stdout) == want
    assert r.stderr.count("\n") == 1 and "another user" in r.stderr


def test_no_cache_option_and_env_bypass_the_cache(xdg: Path, tmp_ledger: Path) -> None:
    cached(tmp_ledger)
    (path,) = cache_files(xdg)
    _rewrite(path, change_section=_bad_row)
    r = invoke("--no-cache", "timeline", "-f", "json", data=tmp_ledger, env=env_of(xdg))
    assert r.exit_code == 0 and r.stderr == ""
    r = invoke("timeline", "-f", "json", data=tmp_ledger,
               env=env_of(xdg, FARCHRON_NO_CACHE="1"))
    assert r.exit_code == 0 and r.stderr == ""


def test_bypass_writes_nothing(xdg: Path, tmp_ledger: Path) -> None:
    invoke("--no-cache", "timeline", data=tmp_ledger, env=env_of(xdg))
    invoke("--no-cache", "search", "Nomonhan", data=tmp_ledger, env=env_of(xdg))
    assert not (xdg / "farchron").exists()


def test_a_ledger_with_errors_is_not_cached(xdg: Path, tmp_ledger: Path) -> None:
    ev = tmp_ledger / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace('date = "1939-05/1939-09"',
                                                         'date = "1939-13"'), encoding="utf-8")
    r = invoke("timeline", data=tmp_ledger, env=env_of(xdg))
    assert r.exit_code == 2 and "1939-13" in r.stderr
    assert cache_files(xdg) == []


def test_an_unwritable_cache_folder_falls_back_to_parsing(tmp_path: Path,
                                                           tmp_ledger: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    r = invoke("timeline", "-f", "json", data=tmp_ledger,
               env={"XDG_CACHE_HOME": str(blocker), "FARCHRON_NO_CACHE": ""})
    assert r.exit_code == 0 and r.stderr == ""
    assert len(json.loads(r.stdout)) == 6


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "too-big"])
@pytest.mark.parametrize("warm", [False, True])
def test_the_size_cap_and_file_type_come_before_any_read(xdg: Path, tmp_ledger: Path,
                                                         kind: str, warm: bool) -> None:
    """/dev/zero, a FIFO fed by nobody, or a file over the cap: exit 2 at once, cached or
    not (a warm cache must not bypass the cap)."""
    if warm:
        cached(tmp_ledger)
    ev = tmp_ledger / "events.toml"
    env = env_of(xdg)
    if kind == "dev-zero":
        ev.unlink()
        ev.symlink_to("/dev/zero")
    elif kind == "fifo":
        ev.unlink()
        os.mkfifo(ev)
    else:
        env["FARCHRON_MAX_BYTES"] = "1000"
    for cmd in (["timeline"], ["check"], ["search", "Nomonhan"], ["stats"]):
        r = run(*cmd, data=tmp_ledger, env=env)
        # check: exit 1 for a file over the cap (a problem found), 2 when unreadable
        want = 1 if (kind == "too-big" and cmd == ["check"]) else 2
        assert r.returncode == want, (cmd, r.returncode, r.stderr)
        assert ("regular file" if kind != "too-big" else "1000-byte limit") in r.stdout + r.stderr
        assert "Traceback" not in r.stderr


def big_ledger(folder: Path, n: int) -> None:
    """The small fixture's sources and n copies of one event with distinct ids and dates."""
    small = ROOT / "tests" / "fixtures" / "small"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.toml").write_bytes((small / "sources.toml").read_bytes())
    forms = ["1939-05/1939-09", "1944-23", "1933~", "193X", "-0215", "1945-07-12T20:50",
             "../1920", "1941/..", "1939-08-23"]
    parts = []
    for i in range(n):
        parts.append(f'[[event]]\nid = "ev-{i}"\ntitle = "Event {i} at Халхин-Гол"\n'
                     f'date = "{forms[i % len(forms)]}"\naliases = ["ノモンハン {i}"]\n'
                     'citations = [{ note = 1 }, { source = "hata-2014", pages = "3" }]\n\n')
    (folder / "events.toml").write_text("".join(parts), encoding="utf-8")


def test_a_large_cached_ledger_decodes_lazily_and_equals_a_parse(xdg: Path,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "big"
    big_ledger(folder, 2500)
    ledgercache.open_ledger(folder)
    got = ledgercache.open_ledger(folder)
    assert isinstance(got.events, ledgercache.Events)
    want = ledger.load(folder)
    assert len(got.events) == len(want.events)
    assert got.events[7] == want.events[7] and got.events[-1] == want.events[-1]
    assert got.events[:3] == want.events[:3]
    assert got.events._events.count(None) > 2000  # only what was asked for was decoded
    assert tuple(got.events) == want.events
    assert got.events.ids() == [e.id for e in want.events]
    from farchron.query.selection import Period, select

    for text in ("1939", "1944-23", "-0300/-0200", "1950/..", "../-0215", "1945-07-12"):
        p = Period.build(text)
        for within in (False, True):
            assert select(got.events, p, within=within) == select(want.events, p,
                                                                  within=within)


def test_stats_from_the_bounds_equals_counting_events(xdg: Path, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    big_ledger(folder, 900)
    for args in (["stats"], ["stats", "1930/1950"], ["stats", "1939", "--by", "month"],
                 ["stats", "--from", "-0300", "--to", "-0100"]):
        want = invoke("--no-cache", *args, "-f", "tsv", data=folder)
        got = invoke(*args, "-f", "tsv", data=folder, env=env_of(xdg))
        assert got.exit_code == want.exit_code == 0
        assert got.stdout == want.stdout and got.stdout.count("\n") > 1


def test_two_processes_building_at_once(xdg: Path, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    big_ledger(folder, 3000)
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "FARCHRON_NO_CACHE": ""}
    argv = [sys.executable, "-m", "farchron", "--data", str(folder), "timeline", "1939",
            "-f", "tsv"]
    want = subprocess.run([*argv[:3], "--no-cache", *argv[3:]], capture_output=True,
                          text=True, env=env, timeout=60).stdout
    assert want.count("\n") > 100
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert all(o == want and e == "" for o, e in outs)
    files = list((xdg / "farchron").iterdir())
    assert [f.name.split(".", 1)[1] for f in files] == ["ledger.store"], files  # no temp files
    again = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert again.stdout == want and again.stderr == ""


def test_stale_temp_files_of_dead_writers_are_swept(xdg: Path, tmp_ledger: Path) -> None:
    folder = xdg / "farchron"
    folder.mkdir(parents=True, mode=0o700)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = folder / f".x.ledger.store{files.TMP_MARK}{dead}.abcd.tmp"
    stale.write_bytes(b"half a cache")
    cached(tmp_ledger)
    assert not stale.exists()


def test_search_reads_its_index_from_the_cache_and_sees_edits(xdg: Path,
                                                              tmp_ledger: Path) -> None:
    env = env_of(xdg)
    want = invoke("--no-cache", "search", "Khalkhin", "-f", "json", data=tmp_ledger, env=env)
    for _ in range(2):
        got = invoke("search", "Khalkhin", "-f", "json", data=tmp_ledger, env=env)
        assert got.exit_code == 0 and got.stdout == want.stdout
    assert len(cache_files(xdg)) == 1
    (sx,) = (xdg / "farchron").glob("*.search")
    assert store.Store(sx).meta[1] == "search-events-5"  # the text index (query/textsearch.py)
    ev = tmp_ledger / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace("Battle of Khalkhin Gol",
                                                         "Battle of Khalkhyn Gol"),
                  encoding="utf-8")
    got = invoke("search", "Khalkhyn", "-f", "json", data=tmp_ledger, env=env)
    assert got.exit_code == 0 and "Khalkhyn" in got.stdout


def test_a_damaged_search_index_is_rebuilt(xdg: Path, tmp_ledger: Path) -> None:
    env = env_of(xdg)
    want = invoke("--no-cache", "search", "Khalkhin", "-f", "json", data=tmp_ledger, env=env)
    invoke("search", "Khalkhin", data=tmp_ledger, env=env)
    (path,) = (xdg / "farchron").glob("*.search")
    raw = bytearray(path.read_bytes())
    # a byte every search reads (its field kinds are checked whole): the file's middle
    # byte was in a section this query never reads when the temp path was longer
    opened = store.Store(path)
    at = opened.offset("tx.kinds")
    del opened
    raw[at] ^= 0x40
    path.write_bytes(raw)
    r = run("search", "Khalkhin", "-f", "json", data=tmp_ledger, env=env)
    assert r.returncode == 0 and r.stdout == want.stdout
    assert r.stderr.count("\n") == 1 and "search index" in r.stderr


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_no_cache_refuses_what_is_not_a_regular_file_too(tmp_ledger: Path, kind: str) -> None:
    ev = tmp_ledger / "events.toml"
    ev.unlink()
    if kind == "fifo":
        os.mkfifo(ev)
    else:
        ev.symlink_to("/dev/zero")
    for cmd in (["timeline"], ["check"]):
        r = run("--no-cache", *cmd, data=tmp_ledger)
        assert r.returncode == 2 and "regular file" in r.stdout + r.stderr


APPENDED = '''
[[event]]
id = "appended-one"
title = "Appended after the cache was built"
date = "1939-07"
tags = ["battle"]
citations = [{ note = 1 }, { source = "krivosheev-2010", pages = "9" }]

[[event]]
id = "appended-two"
title = "Another, far earlier"
date = "-0300"
citations = [{ source = "hata-2014", pages = "1" }]
'''


def _no_parse(_: Path) -> tuple[None, list[object]]:
    raise AssertionError("parsed although only records were appended")


def test_appended_records_extend_the_cache_without_a_parse(xdg: Path, tmp_ledger: Path
                                                           ) -> None:
    """What `add` and `import` do: the tail alone is parsed; the result equals a parse,
    warnings included (a work cited for the first time is no longer 'never cited')."""
    before = ledgercache.open_ledger(tmp_ledger)
    ev = tmp_ledger / "events.toml"
    with open(ev, "a", encoding="utf-8") as f:
        f.write(APPENDED)
    got, problems = ledgercache.open_checked(tmp_ledger,
                                             collect=_no_parse)  # type: ignore[arg-type]
    want, want_problems = ledger.collect(tmp_ledger)
    assert want is not None and got is not None
    assert tuple(got.events) == want.events and len(got.events) == len(before.events) + 2
    assert problems == want_problems and got.warnings == want.warnings
    assert got.events.ids() == [e.id for e in want.events]
    again = ledgercache.open_ledger(tmp_ledger, collect=_no_parse)  # type: ignore[arg-type]
    assert tuple(again.events) == want.events


@pytest.mark.parametrize("tail", [
    '\n[[event]]\nid = "nomonhan"\ntitle = "dup"\ndate = "1939"\ncitations = [{ note = 1 }]\n',
    '\n[[event]]\nid = "x"\ntitle = "bad note"\ndate = "1939"\ncitations = [{ note = 99 }]\n',
    '\n[[event]]\nid = "y"\ntitle = "unknown key"\ndate = "1939"\nzz = 1\n'
    'citations = [{ note = 1 }]\n',
    '\ntags = ["continues the last record"]\n',
    # dated before 1918 from Russian works only: a warning the full parse places
    '\n[[event]]\nid = "w"\ntitle = "Old Style?"\ndate = "1905"\ncitations = [{ note = 2 }]\n',
    '\n[[event]]\nid = "p"\ntitle = "A part"\ndate = "1939"\npart-of = "nomonhan"\n'
    'citations = [{ note = 1 }]\n',
    '\n[[event]]\nid = "z"\ntitle = "broken\n',
])
def test_an_append_that_is_not_clean_goes_the_long_way(xdg: Path, tmp_ledger: Path,
                                                       tail: str) -> None:
    ledgercache.open_ledger(tmp_ledger)
    with open(tmp_ledger / "events.toml", "a", encoding="utf-8") as f:
        f.write(tail)
    want = ledger.collect(tmp_ledger)
    got = ledgercache.open_checked(tmp_ledger)
    assert got[1] == want[1]
    assert (got[0] is None) == (want[0] is None)
    if want[0] is not None and got[0] is not None:
        assert tuple(got[0].events) == want[0].events


def test_an_edit_before_the_append_goes_the_long_way(xdg: Path, tmp_ledger: Path) -> None:
    ledgercache.open_ledger(tmp_ledger)
    ev = tmp_ledger / "events.toml"
    with open(ev, "r+b") as f:
        text = f.read()
        f.seek(0)
        f.write(text.replace(b"Nomonhan Incident", b"Nomonhan Accident") + APPENDED.encode())
    calls: list[int] = []

    def counting(d: Path) -> tuple[object, list[object]]:
        calls.append(1)
        return ledger.collect(d)  # type: ignore[return-value]

    got = ledgercache.open_ledger(tmp_ledger, collect=counting)  # type: ignore[arg-type]
    assert calls and tuple(got.events) == ledger.load(tmp_ledger).events
    assert "Nomonhan Accident" in [e.title for e in got.events]


def test_search_from_the_store_equals_the_exhaustive_search_at_10k(
        ledger_10k: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle: the index mapped from the cache, bounded in whole-array passes,
    finds exactly what scoring every record of a freshly built index finds."""
    from farchron.query import search
    from farchron.query.search import SearchIndex

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("FARCHRON_NO_CACHE", "")
    led = ledgercache.open_ledger(ledger_10k)
    built = search.cached_event_index(led, lambda: SearchIndex.build(led.events))
    led2 = ledgercache.open_ledger(ledger_10k)
    mapped = search.cached_event_index(
        led2, lambda: pytest.fail("rebuilt although cached"))  # type: ignore[arg-type,return-value]
    fresh = SearchIndex.build(ledger.load(ledger_10k).events)
    for q in ("Nomonhan incident", "Khalkhin Gol", "Халхин-Гол", "Zhukov", "treaty",
              "ノモンハン", "Vladivostok offensive", "x"):
        for cut in (50.0, 70.0, 90.0):
            want = fresh.search(q, None, cut, exhaustive=True)
            assert mapped.search(q, None, cut) == want, (q, cut)
            assert built.search(q, None, cut) == want, (q, cut)
            for limit in (1, 20):  # best first, stopping early: the same top
                assert mapped.search(q, limit, cut) == want[:limit], (q, cut, limit)
    for q in ("Nomonhan incident", "Zhukov"):  # the whole command: same hits and order
        cold = invoke("--no-cache", "search", q, "-f", "json", "-n", "50", data=ledger_10k)
        warm = invoke("search", q, "-f", "json", "-n", "50", data=ledger_10k,
                      env=env_of(tmp_path / "xdg"))
        assert warm.exit_code == cold.exit_code == 0 and warm.stdout == cold.stdout


def test_an_append_written_by_atomic_replace_extends_too(xdg: Path, tmp_ledger: Path) -> None:
    """`add` writes a temp file and renames it over events.toml: a new inode, same prefix."""
    ledgercache.open_ledger(tmp_ledger)
    ev = tmp_ledger / "events.toml"
    new = tmp_ledger / "events.toml.new"
    new.write_text(ev.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")
    os.replace(new, ev)
    got = ledgercache.open_ledger(tmp_ledger, collect=_no_parse)  # type: ignore[arg-type]
    assert tuple(got.events) == ledger.load(tmp_ledger).events


def test_add_then_timeline_stays_warm(xdg: Path, tmp_ledger: Path) -> None:
    env = env_of(xdg)
    assert invoke("timeline", data=tmp_ledger, env=env).exit_code == 0
    # After the fixture's last event: `add` places events in date order (issue 25), and
    # only an addition at the end extends the store; one in the middle rebuilds it.
    r = invoke("add", "event", "--title", "Added warm", "--date", "1946-08-24", "--note", "1",
               data=tmp_ledger, env=env)
    assert r.exit_code == 0, r.stderr
    import farchron.store.cache as c

    real = ledger.collect
    calls: list[int] = []

    def counting(d: Path) -> object:
        calls.append(1)
        return real(d)

    old = c._default_collect
    c._default_collect = counting  # type: ignore[assignment]
    try:
        got = invoke("timeline", "1946-08", "-f", "json", data=tmp_ledger, env=env)
    finally:
        c._default_collect = old
    assert got.exit_code == 0 and "Added warm" in got.stdout and calls == []
    want = invoke("--no-cache", "timeline", "1946-08", "-f", "json", data=tmp_ledger)
    assert got.stdout == want.stdout


@given(st.text(alphabet="az09-Zé \n", max_size=8))
def test_an_id_shaped_word_is_what_the_validator_accepts(text: str) -> None:
    """find() answers "no such event" for a word of another shape without reading the
    rows, so that shape must be exactly the one validation refuses."""
    from farchron.model.ids import ID_RE
    from farchron.store.events import _could_be_id

    assert _could_be_id(text) == bool(ID_RE.match(text))


def test_words_that_are_no_ids_are_found_in_no_store(xdg: Path, tmp_ledger: Path) -> None:
    led = ledgercache.open_ledger(tmp_ledger)
    first = led.events[0].id
    assert led.event(first) is not None and led.event(first).id == first
    for word in (first.upper(), f"{first}-", f"-{first}", f"{first}--x", "",
                 "Nomonhan", "no such id"):
        assert led.event(word) is None, word
    # cite takes it as words, as it does without the cache
    warm = invoke("cite", first.upper(), "--min-score", "50", data=tmp_ledger, env=env_of(xdg))
    cold = invoke("--no-cache", "cite", first.upper(), "--min-score", "50", data=tmp_ledger)
    assert warm.exit_code == cold.exit_code == 0 and warm.stdout == cold.stdout


def test_add_in_the_middle_is_seen_after_the_rebuild(xdg: Path, tmp_ledger: Path) -> None:
    env = env_of(xdg)
    assert invoke("timeline", data=tmp_ledger, env=env).exit_code == 0
    r = invoke("add", "event", "--title", "Added between", "--date", "1939-08-24", "--note",
               "1", data=tmp_ledger, env=env)
    assert r.exit_code == 0, r.stderr
    text = (tmp_ledger / "events.toml").read_text(encoding="utf-8")
    assert text.index('"added-between"') < text.index('"1944-23/1944-24"')
    got = invoke("timeline", "1939-08", "-f", "json", data=tmp_ledger, env=env)
    assert "Added between" in got.stdout
