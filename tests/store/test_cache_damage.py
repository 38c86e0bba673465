"""Property: whatever happens to the cache file, a command gives the right answer (or a
clean rebuild), never wrong data, never an internal error (exit 70) or "aborted"."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.store import cache as ledgercache
from farchron.store import sections as store
from tests.conftest import SMALL, invoke

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes, dict[str, str]]:
    """A ledger, its cache home, the pristine store's bytes and the right answers."""
    base = tmp_path_factory.mktemp("damage")
    data = base / "data"
    data.mkdir()
    for name in ("events.toml", "sources.toml"):
        (data / name).write_bytes((SMALL / name).read_bytes())
    old = 1_000_000_000
    for name in ("events.toml", "sources.toml"):  # not racy: stat alone decides
        os.utime(data / name, (old, old))
    home = base / "xdg"
    env = {"XDG_CACHE_HOME": str(home), "FARCHRON_NO_CACHE": ""}
    answers = {}
    for args in COMMANDS:
        r = invoke("--no-cache", *args, data=data, env=env)
        assert r.exit_code == 0
        answers[" ".join(args)] = r.stdout
    invoke("search", "Nomonhan", data=data, env=env)  # builds the store and the index
    (path,) = (home / "farchron").glob("*.ledger.store")
    return data, home, path.read_bytes(), answers


COMMANDS = (["timeline", "-f", "json"], ["stats", "-f", "tsv"], ["check"],
            ["search", "Nomonhan", "-f", "json"], ["show", "nomonhan", "-f", "json"])


def _run_all(world: tuple[Path, Path, bytes, dict[str, str]], raw: bytes) -> None:
    data, home, _pristine, answers = world
    (path,) = (home / "farchron").glob("*.ledger.store")
    os.chmod(path, 0o600)
    path.write_bytes(raw)
    env = {"XDG_CACHE_HOME": str(home), "FARCHRON_NO_CACHE": ""}
    for args in COMMANDS:
        ledgercache._SAID.clear()
        r = invoke(*args, data=data, env=env)
        assert r.exit_code == 0, (args, r.exit_code, r.stderr)
        assert r.stdout == answers[" ".join(args)], args
        assert "aborted" not in r.stderr.lower() and "internal error" not in r.stderr
        assert r.stderr.count("\n") <= (2 if args[0] == "check" else 1), r.stderr
        (path,) = (home / "farchron").glob("*.ledger.store")
        path.write_bytes(raw)  # the same damage for every command


@SETTINGS
@given(st.data())
def test_random_byte_flips(world: tuple[Path, Path, bytes, dict[str, str]],
                           data: st.DataObject) -> None:
    raw = bytearray(world[2])
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] ^= 1 << data.draw(st.integers(0, 7))
    _run_all(world, bytes(raw))


@SETTINGS
@given(st.data())
def test_truncations_and_appended_bytes(world: tuple[Path, Path, bytes, dict[str, str]],
                                        data: st.DataObject) -> None:
    raw = world[2]
    cut = data.draw(st.integers(0, len(raw)))
    tail = data.draw(st.binary(max_size=64))
    _run_all(world, raw[:cut] + tail)


_plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.binary(max_size=8)
    | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple),
    max_leaves=12)


@SETTINGS
@given(st.data())
def test_crafted_payloads_with_valid_checksums(world: tuple[Path, Path, bytes,
                                                            dict[str, str]],
                                               data: st.DataObject) -> None:
    """Well-checksummed nonsense in one section (or row, or the metadata's body): the
    shapes are checked, so it is rebuilt rather than shown or crashed on."""
    home = world[1]
    tmp = home / "crafted.store"
    Path(tmp).write_bytes(world[2])
    s = store.Store(tmp)
    sections = {n: bytes(s.section(n, verify=False)) for n in s._table}
    which = data.draw(st.sampled_from([*sorted(sections), "row"]))
    value = data.draw(_plain)
    if which == "row":
        w = store.RowsWriter()
        rows = store.Rows(s, "ev", s.meta[4])
        k = data.draw(st.integers(0, rows.n - 1))
        for i in range(rows.n):
            w.add(value if i == k else rows.get(i))
        sections.update(w.sections("ev"))
    elif which in ("meta",) or data.draw(st.booleans()):
        sections[which] = marshal.dumps(value)
    else:
        sections[which] = data.draw(st.binary(max_size=64))
    store.write(tmp, s.meta, sections)
    raw = Path(tmp).read_bytes()
    os.unlink(tmp)
    _run_all(world, raw)
