"""events.toml parsed chunk by chunk (ledger._chunked_events) equals the whole-file parse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from farchron import ledger
from tests.conftest import ROOT, invoke

COPIES = 15  # 142 shipped events x 15 = 2,130 events, ~1.1 MB


def _many_events() -> str:
    """The shipped events, each copied COPIES times under new ids."""
    text = (ROOT / "events.toml").read_text(encoding="utf-8")
    head, *blocks = text.split("\n[[event]]")
    out = [head]
    for k in range(COPIES):
        for b in blocks:
            out.append(re.sub(r'^id = "([a-z0-9-]+)"', rf'id = "\1-k{k}"', b, count=1,
                              flags=re.M))
    return "\n[[event]]".join(out)


@pytest.fixture
def big(tmp_path: Path) -> Path:
    (tmp_path / "events.toml").write_text(_many_events(), encoding="utf-8")
    (tmp_path / "sources.toml").write_bytes((ROOT / "sources.toml").read_bytes())
    return tmp_path


def _chunked(monkeypatch: pytest.MonkeyPatch, on: bool, size: int = 20_000) -> None:
    monkeypatch.setattr(ledger, "CHUNK_MIN", 0 if on else 1 << 60)
    monkeypatch.setattr(ledger, "CHUNK_CHARS", size)


def _outputs(monkeypatch: pytest.MonkeyPatch, data: Path, on: bool, size: int = 20_000,
             search: bool = False) -> list[tuple[int, str, str]]:
    _chunked(monkeypatch, on, size)
    runs = [invoke("check", "-f", "json", data=data),
            invoke("timeline", "-f", "jsonl", data=data)]
    if search:
        runs.append(invoke("search", "Khalkin Gol", "-n", "50", "-f", "jsonl", data=data))
    return [(r.exit_code, r.stdout, r.stderr) for r in runs]


def test_chunks_are_really_used_and_equal_the_whole_parse(big: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    text = (big / "events.toml").read_text(encoding="utf-8")
    _chunked(monkeypatch, True)
    assert len(ledger._event_spans(text, ledger.CHUNK_CHARS)) > 50
    loc = ledger._Locator(big / "events.toml", text)
    chunked = ledger._chunked_events(text, loc)
    assert chunked is not None
    whole = ledger._build_events(ledger.parse_toml(text, "events.toml"), loc)
    assert chunked == whole
    assert ledger._chunked_events(text.encode(), loc) == whole  # as collect() reads it
    assert len(chunked[0]) == 142 * COPIES
    assert (_outputs(monkeypatch, big, True, search=True)
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
    assert len(led.events) == 142 * COPIES
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
