"""`add event` into a big ledger without reading it (issue 28): the bytes written are the
full path's bytes, the cache follows the file (and says what a fresh parse says), a killed
writer leaves the old file, concurrent adds all land, and whatever the fast path cannot
do exactly goes the full path."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zlib
from array import array
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.authoring import append
from farchron.authoring import operations as authoring
from farchron.authoring import writer as lw
from farchron.ledger import load as ledger
from farchron.store import cache as ledgercache
from farchron.store.sections import crc32_shift, crc32_spliced, plus
from tests.conftest import invoke

SOURCES = '''[[source]]
id = "hata-2014"
type = "book"
title = "Nomonhan"

[[source]]
id = "coox-1985"
type = "book"
title = "Nomonhan: Japan against Russia"

[[note]]
number = 1
text = "Hata, Nomonhan."
citations = [{ source = "hata-2014", pages = "3" }]
'''

#: Dates of every shape the placing key reads, ambiguous ones (warnings with lines) too.
DATES = ["1939", "1939-08", "1939-08-23", "1939-05/1939-09", "1912-21", "1900-05",
         "1945-07-12T20:50", "193X", "1937~", "-0215", "1944-23", "../1904", "1905/.."]
#: What the adds write: no ambiguous date (its warning sends an add the full path).
ADD_DATES = [d for d in DATES if d not in ("1912-21", "1900-05")]
TITLES = ["Nomonhan Incident", "Battle of Khalkhin Gol", "Халхин-Гол", "ノモンハン事件",
          "Zhukov's 'It''s' plan", "Trans-Siberian \u00e9chelon", "Tsitsihar"]


def ledger_text(rnd: random.Random, n: int, *, crlf: bool = False, gap: int = 1,
                align: bool = False, vocabulary: bool = False, multiline: bool = False,
                sort: bool = False, ending: str = "\n", summary: str = "") -> str:
    """An events.toml of n events in one of the layouts people write."""
    recs = []
    for i in range(n):
        date = rnd.choice(DATES)
        title = f"{rnd.choice(TITLES)} {i}"
        recs.append((date, f"ev-{i:05d}", title))
    if sort:
        from farchron.dates import edtf

        recs.sort(key=lambda r: (edtf.parse(r[0]).start, edtf.parse(r[0]).end, r[1]))
    out = ["# a ledger for the append tests\n"]
    if vocabulary:
        out.append('[vocabulary]\ntags = ["battle", "border", "treaty"]\n')
    pad = (lambda k: k.ljust(9)) if align else (lambda k: k)
    for i, (date, eid, title) in enumerate(recs):
        out.append("\n" * gap)
        if rnd.random() < 0.1:
            out.append(f"# a comment above {eid}\n# and a second line\n")
        lines = ["[[event]]", f'{pad("id")} = "{eid}"', f'{pad("title")} = "{title}"',
                 f'{pad("date")} = "{date}"']
        if summary:
            lines.append(f'summary = "{summary}"')
        if multiline and i == n // 3:
            lines.append('summary = """\n[[event]]\nnot a header: inside a string\n"""')
        if rnd.random() < 0.5:
            lines.append(f'{pad("tags")} = ["{rnd.choice(["battle", "border"])}"]')
        lines.append(f'{pad("citations")} = [{{ note = 1 }}]')
        out.append("\n".join(lines) + "\n")
    text = "".join(out).rstrip("\n") + ending
    return text.replace("\n", "\r\n") if crlf else text


def make(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "events.toml").write_bytes(text.encode("utf-8"))
    (folder / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return folder


def same_as_a_parse(folder: Path) -> None:
    """The cache (without a parse) says what a fresh parse says: events, problems, lines."""
    def no_parse(_: Path) -> tuple[None, list[object]]:
        raise AssertionError("the cache was rebuilt: the add did not extend it")

    led, problems = ledgercache.open_checked(folder, collect=no_parse)  # type: ignore[arg-type]
    want, want_problems = ledger.collect(folder)
    assert problems == want_problems
    assert led is not None and want is not None
    assert tuple(led.events) == want.events
    assert led.warnings == want.warnings


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every file is big enough for the fast path (the full path trusts the place at the
    same size, so the two agree); records whether each add took it."""
    monkeypatch.setattr(lw, "FRAGMENT_CHECK_BYTES", 0)
    took: list[bool] = []
    real = append.add_in_place

    def spy(*args: object) -> bool:
        took.append(real(*args))  # type: ignore[arg-type]
        return took[-1]

    monkeypatch.setattr(append, "add_in_place", spy)
    return took


def full_path_add(monkeypatch: pytest.MonkeyPatch, folder: Path, fields: dict) -> str:
    with monkeypatch.context() as m:
        m.setattr(append, "add_in_place", lambda *a: False)
        return authoring.add_event(folder, fields)


layouts = st.fixed_dictionaries({
    "crlf": st.booleans(), "gap": st.integers(0, 2), "align": st.booleans(),
    "vocabulary": st.booleans(), "multiline": st.booleans(), "sort": st.booleans(),
    "ending": st.sampled_from(["\n", "", "\n\n\n"])})
adds = st.lists(st.tuples(st.sampled_from(ADD_DATES), st.sampled_from(TITLES),
                          st.sampled_from([[], ["battle"], ["border", "battle"]]),
                          st.sampled_from([(), ("coox-1985:12",)])),  # clears a warning
                min_size=1, max_size=4)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts, seed=st.integers(0, 10_000), todo=adds)
def test_the_fast_path_writes_the_full_paths_bytes(tmp_path_factory, monkeypatch, xdg,
                                                   fast, layout, seed, todo):
    rnd = random.Random(seed)
    text = ledger_text(rnd, rnd.randint(2, 60), **layout)
    a = make(tmp_path_factory.mktemp("fast"), text)
    b = make(tmp_path_factory.mktemp("full"), text)
    ledgercache.open_ledger(a)  # the cache a user's earlier command left
    fast.clear()
    for date, title, tags, cites in todo:
        fields = authoring.event_fields(title, date, notes=[1], tags=tags, cites=cites,
                                        edtf=True)
        got = authoring.add_event(a, fields)
        want = full_path_add(monkeypatch, b, fields)
        assert got == want
        assert (a / "events.toml").read_bytes() == (b / "events.toml").read_bytes()
    assert all(fast), fast  # every add took the fast path
    same_as_a_parse(a)


def test_a_record_the_checks_refuse_goes_the_full_path(tmp_path, monkeypatch, xdg, fast):
    folder = make(tmp_path / "l", ledger_text(random.Random(1), 30, vocabulary=True))
    ledgercache.open_ledger(folder)
    before = (folder / "events.toml").read_bytes()
    for fields in (authoring.event_fields("T", "1939", notes=[7]),  # no note 7
                   authoring.event_fields("T", "1939", notes=[1], tags=["navy"]),  # vocab
                   authoring.event_fields("T", "1939", notes=[1], event_id="ev-00003")):
        with pytest.raises(lw.Rejected):
            authoring.add_event(folder, fields)
        assert (folder / "events.toml").read_bytes() == before
    assert fast == [False, False, False]
    # a warning is no error: written, by the full path, which words it as before
    authoring.add_event(folder, authoring.event_fields("T", "1912-21", notes=[1], edtf=True))
    assert fast[-1] is False and b'date = "1912-21"' in (folder / "events.toml").read_bytes()


def test_what_the_fast_path_cannot_do_is_done_the_full_way(tmp_path, monkeypatch, xdg,
                                                          fast):
    rnd = random.Random(2)
    # a file changed behind the cache: load_cached sees it, and the add is still right
    folder = make(tmp_path / "changed", ledger_text(rnd, 20))
    ledgercache.open_ledger(folder)
    with open(folder / "events.toml", "a", encoding="utf-8") as f:
        f.write('\n[[event]]\nid = "late"\ntitle = "Late"\ndate = "1950"\n'
                'citations = [{ note = 1 }]\n')
    twin = make(tmp_path / "twin", (folder / "events.toml").read_text(encoding="utf-8"))
    fields = authoring.event_fields("After the edit", "1939-08-23", notes=[1])
    authoring.add_event(folder, fields)
    full_path_add(monkeypatch, twin, fields)
    assert (folder / "events.toml").read_bytes() == (twin / "events.toml").read_bytes()
    # a byte-order mark: the full path drops it, so the fast path leaves it alone
    bom = make(tmp_path / "bom", "")
    (bom / "events.toml").write_bytes(b"\xef\xbb\xbf" + ledger_text(rnd, 5).encode())
    ledgercache.open_ledger(bom)
    fast.clear()
    authoring.add_event(bom, fields)
    assert fast == [False] and not (bom / "events.toml").read_bytes().startswith(b"\xef")
    # a ledger in parts
    parts = make(tmp_path / "parts", 'include = ["more/*.toml"]\n' + ledger_text(rnd, 5))
    (parts / "more").mkdir()
    (parts / "more" / "a.toml").write_text(ledger_text(rnd, 3).replace("ev-", "more-"),
                                           encoding="utf-8")
    ledgercache.open_ledger(parts)
    fast.clear()
    authoring.add_event(parts, fields)
    assert fast == [False]
    assert invoke("check", data=parts).exit_code == 0


def big_ledger(folder: Path, n: int = 2600) -> Path:
    """Over writer.FRAGMENT_CHECK_BYTES, as a real one must be for the fast path."""
    text = ledger_text(random.Random(3), n, sort=True, summary="Four months of fighting "
                       "between the Kwantung Army and the Red Army on the Khalkha River; "
                       "the Soviet offensive of 20 August encircled the Japanese 23rd "
                       "Division, and the ceasefire of 16 September held. " * 2)
    assert len(text) > lw.FRAGMENT_CHECK_BYTES
    return make(folder, text)


def _env(cache: Path, **more: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")},
            "XDG_CACHE_HOME": str(cache), **more}


def test_a_real_add_extends_the_cache_and_timeline_stays_warm(tmp_path, xdg):
    folder = big_ledger(tmp_path / "big")
    env = _env(xdg)
    run = [sys.executable, "-m", "farchron", "--data", str(folder)]
    assert subprocess.run([*run, "timeline", "1939"], env=env, capture_output=True).returncode == 0
    store = ledgercache.store_path(os.path.realpath(folder))
    for i in range(3):
        r = subprocess.run([*run, "add", "event", "--title", f"Added {i}", "--date",
                            "1939-08-23", "--note", "1"], env=env, capture_output=True,
                           text=True)
        assert r.returncode == 0 and r.stdout == f"added-{i}\n", r.stderr
    # the store was extended by the adds (it holds the file's layout), not rebuilt
    from farchron.store.sections import Store

    assert Store(store).has(append.HEADS)
    same_as_a_parse(folder)
    warm = subprocess.run([*run, "timeline", "1939-08-23"], env=env, capture_output=True,
                          text=True)
    cold = subprocess.run([*run, "--no-cache", "timeline", "1939-08-23"], env=env,
                          capture_output=True, text=True)
    assert warm.stdout == cold.stdout and "added-2" in warm.stdout


def test_a_killed_fast_add_leaves_the_old_file(tmp_path, xdg):
    folder = big_ledger(tmp_path / "big")
    env = _env(xdg)
    run = [sys.executable, "-m", "farchron", "--data", str(folder)]
    subprocess.run([*run, "add", "event", "--title", "First", "--date", "1939",
                    "--note", "1"], env=env, check=True, capture_output=True)  # layout kept
    before = (folder / "events.toml").read_bytes()
    p = subprocess.Popen([*run, "add", "event", "--title", "T", "--date", "1905",
                          "--note", "1"], env={**env, "FARCHRON_TEST_WRITE_PAUSE": "60"})
    deadline = time.time() + 60
    while not list(folder.glob(".events.toml.*.tmp")):
        assert p.poll() is None and time.time() < deadline
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert (folder / "events.toml").read_bytes() == before
    assert invoke("check", data=folder).exit_code == 0
    same_as_a_parse(folder)


def test_twenty_concurrent_fast_adds_all_land(tmp_path, xdg):
    folder = big_ledger(tmp_path / "big", 2400)
    env = _env(xdg)
    run = [sys.executable, "-m", "farchron", "--data", str(folder)]
    subprocess.run([*run, "timeline", "1939"], env=env, check=True, capture_output=True)
    procs = [subprocess.Popen([*run, "add", "event", "--title", f"Skirmish {i % 5}",
                               "--date", f"19{30 + i}", "--note", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(20)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    ids = [e["id"] for e in tomli.loads((folder / "events.toml").read_text("utf-8"))["event"]]
    added = sorted(o[0].strip() for o in outs)
    assert len(set(added)) == 20 and set(added) <= set(ids) and len(ids) == 2420
    assert invoke("check", data=folder).exit_code == 0
    same_as_a_parse(folder)


# --------------------------------------------------------------------------- the arithmetic


@given(st.binary(max_size=300), st.binary(max_size=300), st.binary(max_size=60))
def test_the_crc32_of_a_spliced_file_is_zlibs(head, tail, ins):
    old = head + tail
    assert crc32_shift(zlib.crc32(head), len(tail)) ^ zlib.crc32(tail) == zlib.crc32(old)
    got = crc32_spliced(zlib.crc32(old), len(old), len(head), ins,
                        lambda o, k: zlib.crc32(old[o:o + k]))
    assert got == zlib.crc32(head + ins + tail)


@given(st.lists(st.integers(0, 2**62), max_size=50), st.integers(0, 2**40))
def test_plus_adds_to_every_item(items, k):
    a = array("q", items)
    assert plus(a, k) == array("q", [x + k for x in items])
    assert plus(memoryview(a)[1:], k) == array("q", [x + k for x in items[1:]])
    assert plus(items, k) == array("q", [x + k for x in items])
