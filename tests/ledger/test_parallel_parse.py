"""events.toml parsed chunk by chunk (ledger._chunked_events) equals the whole-file parse,
in this process alone (FARCHRON_WORKERS=1) and with forked workers (ledger._parallel_events)."""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from pathlib import Path

import pytest

from farchron.ledger import load as ledger
from farchron.ledger import parallel as chunked
from tests.conftest import ROOT, invoke

COPIES = 15  # 144 shipped events x 15 = 2,160 events, ~1.1 MB
SHIPPED = (ROOT / "events.toml").read_text(encoding="utf-8").count("\n[[event]]")


def _many_events() -> str:
    """The shipped events, each copied COPIES times under new ids."""
    text = (ROOT / "events.toml").read_text(encoding="utf-8")
    head, *blocks = text.split("\n[[event]]")
    out = [head]
    for k in range(COPIES):
        for b in blocks:
            b = re.sub(r'^part-of = "([a-z0-9-]+)"', rf'part-of = "\1-k{k}"', b, flags=re.M)
            out.append(re.sub(r'^id = "([a-z0-9-]+)"', rf'id = "\1-k{k}"', b, count=1,
                              flags=re.M))
    return "\n[[event]]".join(out)


@pytest.fixture
def big(tmp_path: Path) -> Path:
    (tmp_path / "events.toml").write_text(_many_events(), encoding="utf-8")
    (tmp_path / "sources.toml").write_bytes((ROOT / "sources.toml").read_bytes())
    return tmp_path


def _chunked(monkeypatch: pytest.MonkeyPatch, on: bool, size: int = 20_000,
             workers: int = 1) -> None:
    monkeypatch.setattr(chunked, "CHUNK_MIN", 0 if on else 1 << 60)
    monkeypatch.setattr(chunked, "CHUNK_CHARS", size)
    monkeypatch.setenv("FARCHRON_WORKERS", str(workers))


def _outputs(monkeypatch: pytest.MonkeyPatch, data: Path, on: bool, size: int = 20_000,
             search: bool = False, workers: int = 1) -> list[tuple[int, str, str]]:
    _chunked(monkeypatch, on, size, workers)
    runs = [invoke("check", "-f", "json", data=data),
            invoke("timeline", "-f", "jsonl", data=data)]
    if search:
        runs.append(invoke("search", "Khalkin Gol", "-n", "50", "-f", "jsonl", data=data))
    return [(r.exit_code, r.stdout, r.stderr) for r in runs]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_chunks_are_really_used_and_equal_the_whole_parse(big: Path, workers: int,
                                                          monkeypatch: pytest.MonkeyPatch):
    text = (big / "events.toml").read_text(encoding="utf-8")
    _chunked(monkeypatch, True, workers=workers)
    assert len(ledger._event_spans(text, ledger.CHUNK_CHARS)) > 50
    loc = ledger._Locator(big / "events.toml", text)
    chunked = ledger._chunked_events(text, loc)
    assert chunked is not None
    whole = ledger._build_events(ledger.parse_toml(text, "events.toml"), loc)
    assert chunked == whole
    assert ledger._chunked_events(text.encode(), loc) == whole  # as collect() reads it
    assert len(chunked[0]) == SHIPPED * COPIES
    parallel = ledger._parallel_events(text)
    if workers == 1:
        assert ledger.workers() == 1
    else:
        assert parallel == whole[0]  # the forked path really runs, and agrees
        assert parallel == ledger._parallel_events(text.encode())
    assert multiprocessing.active_children() == []
    assert (_outputs(monkeypatch, big, True, search=True, workers=workers)
            == _outputs(monkeypatch, big, False, search=True))


def test_a_multiline_string_holding_an_event_header_still_loads(
        big: Path, monkeypatch: pytest.MonkeyPatch):
    ev = big / "events.toml"
    fake = 'summary = """Quoted in the memo:\n[[event]]\nid = "not-an-event"\n"""\n'
    # every 50th event gets the trap, each in its own chunk's range
    parts = ev.read_text(encoding="utf-8").split("\n[[event]]")
    for n in range(1, len(parts), 50):
        parts[n] = re.sub(r'^summary = ".*"$', lambda _m: fake.rstrip("\n"), parts[n],
                          count=1, flags=re.M)
    ev.write_text("\n[[event]]".join(parts), encoding="utf-8")
    text = ev.read_text(encoding="utf-8")
    _chunked(monkeypatch, True, size=1)  # a cut at every header line, the traps included
    assert ledger._chunked_events(text, ledger._Locator(ev, text)) is None
    for size in (1, 20_000):
        got = _outputs(monkeypatch, big, True, size)
        assert got == _outputs(monkeypatch, big, False)
    led = ledger.load(big)
    assert len(led.events) == SHIPPED * COPIES
    assert sum("[[event]]" in e.summary for e in led.events) == len(range(1, len(parts), 50))


def test_a_syntax_error_in_a_late_chunk_reports_the_same_position(
        big: Path, monkeypatch: pytest.MonkeyPatch):
    ev = big / "events.toml"
    lines = ev.read_text(encoding="utf-8").split("\n")
    n = max(i for i, ln in enumerate(lines) if ln.startswith("date = "))  # the last event
    lines[n] = 'date = "1939-08-20'  # unterminated
    ev.write_text("\n".join(lines), encoding="utf-8")
    _chunked(monkeypatch, True)
    r = invoke("check", data=big)
    assert r.exit_code == 1, r.stderr
    assert r.stdout == (f"{ev}:{n + 1}:19: TOML syntax error: unterminated string "
                        "(a quoted string must end on its line)\n")
    assert _outputs(monkeypatch, big, True) == _outputs(monkeypatch, big, False)


def test_a_stray_table_after_the_events_falls_back_to_the_whole_parse(
        big: Path, monkeypatch: pytest.MonkeyPatch):
    ev = big / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8") + '\n[meta]\nnote = "x"\n', encoding="utf-8")
    text = ev.read_text(encoding="utf-8")
    _chunked(monkeypatch, True)
    assert ledger._chunked_events(text, ledger._Locator(ev, text)) is None
    got = _outputs(monkeypatch, big, True)
    assert got == _outputs(monkeypatch, big, False)
    assert "unknown top-level key 'meta'" in got[0][1]


def _edit_event(ev: Path, index: int, pattern: str, repl: str) -> None:
    """Replace the first `pattern` in the index-th [[event]] table of the file."""
    parts = ev.read_text(encoding="utf-8").split("\n[[event]]")
    parts[index + 1], n = re.subn(pattern, repl, parts[index + 1], count=1, flags=re.M)
    assert n == 1
    ev.write_text("\n[[event]]".join(parts), encoding="utf-8")


@pytest.mark.parametrize(("what", "pattern", "repl", "code"), [
    ("an id of the first half again in the second", r'^id = "[a-z0-9-]+"',
     'id = "nomonhan-incident-k0"', "duplicate-id"),
    ("a bad date in the second half", r'^date = ".*"$', 'date = "1939-13-45"',
     "invalid-date"),
])
def test_a_fault_in_the_second_half_falls_back_with_the_same_problems(
        big: Path, monkeypatch: pytest.MonkeyPatch, what: str, pattern: str, repl: str,
        code: str):
    ev = big / "events.toml"
    _edit_event(ev, SHIPPED * COPIES * 3 // 4, pattern, repl)
    text = ev.read_text(encoding="utf-8")
    _chunked(monkeypatch, True, workers=2)
    assert ledger._parallel_events(text) is None, what
    serial = _outputs(monkeypatch, big, True, workers=1)
    assert _outputs(monkeypatch, big, True, workers=2) == serial
    assert serial == _outputs(monkeypatch, big, False)
    assert serial[0][0] == 1 and f'"{code}"' in serial[0][1]
    assert multiprocessing.active_children() == []


def test_a_worker_that_fails_prints_nothing_and_the_result_is_the_serial_one(
        big: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]):
    parent = os.getpid()
    real = ledger._chunk_events

    def noisy(data: str | bytes, spans: list[tuple[int, int]]) -> list[ledger.Event] | None:
        if os.getpid() != parent:
            print("from the worker")
            os.write(2, b"worker stderr\n")
            raise RuntimeError("worker crash")
        return real(data, spans)

    text = (big / "events.toml").read_text(encoding="utf-8")
    _chunked(monkeypatch, True, workers=2)
    whole = ledger._build_events(ledger.parse_toml(text, "events.toml"),
                                 ledger._Locator(big / "events.toml", text))
    monkeypatch.setattr(chunked, "chunk_events", noisy)
    assert ledger._parallel_events(text) is None
    loc = ledger._Locator(big / "events.toml", text)
    assert ledger._chunked_events(text.encode(), loc) == whole
    assert capfd.readouterr() == ("", "")
    assert multiprocessing.active_children() == []


def test_an_interrupt_kills_and_reaps_the_workers(big: Path, monkeypatch: pytest.MonkeyPatch):
    parent = os.getpid()
    pids: list[int] = []
    real_start = multiprocessing.context.ForkProcess.start

    def start(self: multiprocessing.process.BaseProcess) -> None:
        real_start(self)
        pids.append(self.pid)

    def slow(data: str | bytes, spans: list[tuple[int, int]]) -> list[ledger.Event] | None:
        if os.getpid() != parent:
            time.sleep(60)  # a worker still parsing when Ctrl-C comes
            return None
        raise KeyboardInterrupt  # Ctrl-C in this process while it parses its own part

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", start)
    monkeypatch.setattr(chunked, "chunk_events", slow)
    _chunked(monkeypatch, True, workers=3)
    t = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ledger._parallel_events((big / "events.toml").read_bytes())
    assert time.monotonic() - t < 10
    assert len(pids) == 2 and multiprocessing.active_children() == []
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


@pytest.mark.parametrize("value", ["1", "0", "-3"])
def test_farchron_workers_1_or_less_keeps_it_in_one_process(
        big: Path, monkeypatch: pytest.MonkeyPatch, value: str):
    monkeypatch.setenv("FARCHRON_WORKERS", value)
    assert ledger.workers() == 1
    monkeypatch.setenv("FARCHRON_WORKERS", "2")
    assert ledger.workers() == 2
