"""The ledger cache is never stale, never shared with other users, never trusted blindly."""

from __future__ import annotations

import json
import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from farchron import cache, ledger
from tests.conftest import ROOT, invoke

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache home, with the cache switched on (conftest turns it off)."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setenv("FARCHRON_NO_CACHE", "")
    return home


def cached(tmp_ledger: Path, *args: str, **env: str) -> list[dict[str, object]]:
    """`timeline -f json` with the cache on, in the xdg fixture's home."""
    r = invoke(*args, "timeline", "-f", "json", data=tmp_ledger,
               env={"XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"], "FARCHRON_NO_CACHE": "",
                    **env})
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "farchron").glob("*.marshal"))


def titles(records: list[dict[str, object]]) -> dict[object, object]:
    return {r["id"]: r["title"] for r in records}


def test_second_load_comes_from_the_cache_and_equals_a_parse(xdg: Path, tmp_ledger: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    first = cache.load_cached(tmp_ledger)
    assert len(cache_files(xdg)) == 1

    def no_parse(_: Path) -> ledger.Ledger:
        raise AssertionError("parsed although the cache matches")

    monkeypatch.setattr(cache, "load", no_parse)
    second = cache.load_cached(tmp_ledger)
    assert tuple(second.events) == tuple(first.events) == ledger.load(tmp_ledger).events
    assert second.sources == first.sources and second.notes == first.notes
    assert second.warnings == first.warnings
    assert [e.date.display() for e in second.events] == [e.date.display() for e in first.events]


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
    before = cache.load_cached(tmp_ledger)
    st = src.stat()
    text = src.read_text(encoding="utf-8")
    old = next(n.text for n in before.notes.values())
    new = old[:-1] + ("X" if old[-1] != "X" else "Y")
    src.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = cache.load_cached(tmp_ledger)
    assert new in [n.text for n in after.notes.values()]
    assert after.notes == ledger.load(tmp_ledger).notes


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "wrong-version",
                                    "wrong-shape"])
def test_a_damaged_cache_is_rebuilt_silently(xdg: Path, tmp_ledger: Path, damage: str) -> None:
    want = cached(tmp_ledger)
    (path,) = cache_files(xdg)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "wrong-version":
        key, payload = marshal.loads(raw)
        path.write_bytes(marshal.dumps(((("farchron-cache", -1, "0.0.0"), *key[1:]), payload)))
    else:
        key, _ = marshal.loads(raw)
        path.write_bytes(marshal.dumps((key, ("not", "a", "ledger"))))
    r = invoke("timeline", "-f", "json", data=tmp_ledger,
               env={"XDG_CACHE_HOME": str(xdg), "FARCHRON_NO_CACHE": ""})
    assert r.exit_code == 0 and r.stderr == ""
    assert json.loads(r.stdout) == want
    key, _ = marshal.loads(path.read_bytes())  # rebuilt whole
    assert key == cache.ledger_key(tmp_ledger)


def poison(home: Path) -> None:
    """Rewrite the cache with a matching key but a different title: only a reader shows it."""
    (path,) = cache_files(home)
    key, payload = marshal.loads(path.read_bytes())
    blobs = [marshal.dumps((marshal.loads(b)[0], "FROM THE CACHE", *marshal.loads(b)[2:]))
             for b in payload[0]]
    path.write_bytes(marshal.dumps((key, (blobs, *payload[1:]))))


def test_no_cache_option_and_env_bypass_the_cache(xdg: Path, tmp_ledger: Path) -> None:
    cached(tmp_ledger)
    poison(xdg)
    assert set(titles(cached(tmp_ledger)).values()) == {"FROM THE CACHE"}  # it is read
    assert "FROM THE CACHE" not in titles(cached(tmp_ledger, "--no-cache")).values()
    for value in ("1", "yes"):
        got = cached(tmp_ledger, FARCHRON_NO_CACHE=value)
        assert "FROM THE CACHE" not in titles(got).values()


def test_bypass_writes_nothing(xdg: Path, tmp_ledger: Path) -> None:
    cached(tmp_ledger, "--no-cache")
    cached(tmp_ledger, FARCHRON_NO_CACHE="1")
    assert not (xdg / "farchron").exists()


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


def test_a_ledger_with_errors_is_not_cached(xdg: Path, tmp_ledger: Path) -> None:
    ev = tmp_ledger / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace('date = "1939-05/1939-09"',
                                                         'date = "1939-13"'), encoding="utf-8")
    r = invoke("timeline", data=tmp_ledger,
               env={"XDG_CACHE_HOME": str(xdg), "FARCHRON_NO_CACHE": ""})
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
    cache.load_cached(folder)
    got = cache.load_cached(folder)
    assert isinstance(got.events, cache.EventSeq)
    want = ledger.load(folder)
    assert len(got.events) == len(want.events)
    assert got.events[7] == want.events[7] and got.events[-1] == want.events[-1]
    assert got.events[:3] == want.events[:3]
    assert tuple(got.events) == want.events
    from farchron.query import Period, select

    for text in ("1939", "1944-23", "-0300/-0200", "1950/.."):
        p = Period.build(text)
        for within in (False, True):
            assert select(got.events, p, within=within) == select(want.events, p,
                                                                  within=within)


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
    assert [f.suffix for f in files] == [".marshal"], files  # no temp files left behind
    key, _ = marshal.loads(files[0].read_bytes())
    assert key == cache.ledger_key(folder)
    again = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert again.stdout == want


def test_cached_index_is_rebuilt_when_the_ledger_changes(xdg: Path, tmp_ledger: Path) -> None:
    led = cache.load_cached(tmp_ledger)
    calls: list[int] = []

    def build(lg: ledger.Ledger) -> list[str]:
        calls.append(1)
        return [e.title.casefold() for e in lg.events]

    assert cache.cached_index(led, "titles", build) == build(led)
    assert cache.cached_index(led, "titles", build) == build(led)
    assert len(calls) == 3  # the second lookup came from the cache
    ev = tmp_ledger / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace("Battle of Cannae", "Cannae"),
                  encoding="utf-8")
    led2 = cache.load_cached(tmp_ledger)
    assert "cannae" in cache.cached_index(led2, "titles", build)


def test_search_reads_its_index_from_the_cache_and_sees_edits(xdg: Path,
                                                              tmp_ledger: Path) -> None:
    env = {"XDG_CACHE_HOME": str(xdg), "FARCHRON_NO_CACHE": ""}
    want = invoke("--no-cache", "search", "Khalkhin", "-f", "json", data=tmp_ledger, env=env)
    for _ in range(2):
        got = invoke("search", "Khalkhin", "-f", "json", data=tmp_ledger, env=env)
        assert got.exit_code == 0 and got.stdout == want.stdout
    assert [p.name.split(".")[1] for p in cache_files(xdg)] == ["index-search-events-3",
                                                                "ledger"]
    ev = tmp_ledger / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace("Battle of Khalkhin Gol",
                                                         "Battle of Khalkhyn Gol"),
                  encoding="utf-8")
    got = invoke("search", "Khalkhyn", "-f", "json", data=tmp_ledger, env=env)
    assert got.exit_code == 0 and "Khalkhyn" in got.stdout
