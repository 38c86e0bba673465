"""Records appended to events.toml extend the store only when main's validator would pass
them without a word: part-of, other-dates, the Old Style warning and the [vocabulary] are
checked on the tail, and anything else goes the long way (a full parse), so a cached
`check` always says exactly what a fresh one says."""

from __future__ import annotations

from pathlib import Path

import pytest

from farchron.ledger import load as ledger
from farchron.store import cache as ledgercache
from tests.conftest import invoke

CLEAN = '''
[[event]]
id = "nomonhan-opening"
title = "The first clash at the river"
date = "1939-05-11"
part-of = "nomonhan"
date-as-printed = "11 May 1939"
citations = [{ note = 1 }]
other-dates = [{ date = "1939-05-12", source = "hata-2014", pages = "3" },
               { date = "1939-04-29", calendar = "julian", basis = "commonly given" }]

[[event]]
id = "nomonhan-opening-shot"
title = "A part of a part, appended with it"
date = "1939-05-11"
part-of = "nomonhan-opening"
citations = [{ source = "krivosheev-2010", pages = "9" }]
'''


def _on(xdg: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(xdg), "FARCHRON_NO_CACHE": ""}


def _no_parse(_: Path) -> tuple[None, list[object]]:
    raise AssertionError("parsed although only clean records were appended")


def _same_as_a_parse(folder: Path, got: tuple[object, list[object]]) -> None:
    want, want_problems = ledger.collect(folder)
    led, problems = got
    assert problems == want_problems
    assert (led is None) == (want is None)
    if want is not None and led is not None:
        assert tuple(led.events) == want.events  # type: ignore[attr-defined]
        assert led.warnings == want.warnings  # type: ignore[attr-defined]


def test_parts_and_other_dates_extend_the_store_and_round_trip(xdg: Path, tmp_ledger: Path
                                                               ) -> None:
    ledgercache.open_ledger(tmp_ledger)
    with open(tmp_ledger / "events.toml", "a", encoding="utf-8") as f:
        f.write(CLEAN)
    got = ledgercache.open_checked(tmp_ledger, collect=_no_parse)  # type: ignore[arg-type]
    _same_as_a_parse(tmp_ledger, got)
    led = ledgercache.open_ledger(tmp_ledger, collect=_no_parse)  # type: ignore[arg-type]
    e = led.event("nomonhan-opening")
    assert e is not None and e.part_of == "nomonhan" and e.date_as_printed == "11 May 1939"
    assert [(o.date.text, o.calendar, o.basis) for o in e.other_dates] == [
        ("1939-05-12", None, None), ("1939-04-29", "julian", "commonly given")]
    want = ledger.load(tmp_ledger)
    for ev in want.events:  # every field of every event, as the parse gives it
        assert led.event(ev.id) == ev
        assert led.events.parts_of(ev.id) == [  # type: ignore[attr-defined]
            p for p in want.events if p.part_of == ev.id]
    assert [e.id for e in led.events.parts_of("nomonhan")] == [  # type: ignore[attr-defined]
        "nomonhan-opening"]
    for args in (["show", "nomonhan"], ["show", "nomonhan", "nomonhan-opening", "-f", "json"]):
        warm = invoke(*args, data=tmp_ledger, env=_on(xdg))
        assert warm.exit_code == 0 and "nomonhan-opening" in warm.stdout
        assert warm.stdout == invoke("--no-cache", *args, data=tmp_ledger).stdout


@pytest.mark.parametrize("tail", [
    # a part of no event; of an event it lies outside; a cycle among the new records
    '\n[[event]]\nid = "p1"\ntitle = "t"\ndate = "1939-06"\npart-of = "nosuch"\n'
    'citations = [{ note = 1 }]\n',
    '\n[[event]]\nid = "p2"\ntitle = "t"\ndate = "1945-06"\npart-of = "nomonhan"\n'
    'citations = [{ note = 1 }]\n',
    '\n[[event]]\nid = "c1"\ntitle = "t"\ndate = "1939-06"\npart-of = "c2"\n'
    'citations = [{ note = 1 }]\n'
    '\n[[event]]\nid = "c2"\ntitle = "t"\ndate = "1939-06"\npart-of = "c1"\n'
    'citations = [{ note = 1 }]\n',
    # other-dates citing what sources.toml lacks
    '\n[[event]]\nid = "o1"\ntitle = "t"\ndate = "1939-06"\ncitations = [{ note = 1 }]\n'
    'other-dates = [{ date = "1939-07", note = 99 }]\n',
    '\n[[event]]\nid = "o2"\ntitle = "t"\ndate = "1939-06"\ncitations = [{ note = 1 }]\n'
    'other-dates = [{ date = "1939-07", source = "nosuch", pages = "1" }]\n',
    # an Old Style slip: before 1918, from Russian works only, no calendar said
    '\n[[event]]\nid = "os1"\ntitle = "t"\ndate = "1904-12-20"\ncitations = [{ note = 1 }]\n',
])
def test_an_append_main_would_word_goes_the_long_way(xdg: Path, tmp_ledger: Path,
                                                     tail: str) -> None:
    ledgercache.open_ledger(tmp_ledger)
    with open(tmp_ledger / "events.toml", "a", encoding="utf-8") as f:
        f.write(tail)
    _same_as_a_parse(tmp_ledger, ledgercache.open_checked(tmp_ledger))
    # and `check` from the cache prints what `check --no-cache` prints
    fresh = invoke("--no-cache", "check", data=tmp_ledger)
    for _ in range(2):
        cached = invoke("check", data=tmp_ledger, env=_on(xdg))
        assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout)


def _with_vocabulary(folder: Path) -> None:
    ev = folder / "events.toml"
    tags = sorted({t for e in ledger.load(folder).events for t in e.tags})
    text = ev.read_text(encoding="utf-8")
    ev.write_text("[vocabulary]\ntags = [" + ", ".join(f'"{t}"' for t in tags) + "]\n\n"
                  + text, encoding="utf-8")


def test_the_vocabulary_applies_to_appended_records(xdg: Path, tmp_ledger: Path) -> None:
    _with_vocabulary(tmp_ledger)
    ledgercache.open_ledger(tmp_ledger)
    with open(tmp_ledger / "events.toml", "a", encoding="utf-8") as f:
        f.write('\n[[event]]\nid = "v1"\ntitle = "t"\ndate = "1939-06"\ntags = ["battle"]\n'
                'citations = [{ note = 1 }]\n')
    got = ledgercache.open_checked(tmp_ledger, collect=_no_parse)  # type: ignore[arg-type]
    _same_as_a_parse(tmp_ledger, got)
    with open(tmp_ledger / "events.toml", "a", encoding="utf-8") as f:
        f.write('\n[[event]]\nid = "v2"\ntitle = "t"\ndate = "1939-06"\ntags = ["battel"]\n'
                'citations = [{ note = 1 }]\n')
    got = ledgercache.open_checked(tmp_ledger)
    _same_as_a_parse(tmp_ledger, got)
    assert any(p.code == "unknown-tag" for p in got[1])


def test_add_works_on_a_cached_ledger_and_the_next_command_sees_it(xdg: Path, tmp_ledger: Path
                                                                   ) -> None:
    env = _on(xdg)
    assert invoke("timeline", data=tmp_ledger, env=env).exit_code == 0
    r = invoke("add", "event", "--title", "Zhukov arrives at the front", "--date",
               "5 June 1939", "--note", "1", data=tmp_ledger, env=env)
    assert r.exit_code == 0, r.output
    new_id = r.stdout.strip().splitlines()[-1]
    for args in (["show", new_id, "-f", "json"], ["check"], ["timeline", "1939", "-f", "tsv"]):
        warm = invoke(*args, data=tmp_ledger, env=env)
        cold = invoke("--no-cache", *args, data=tmp_ledger, env=env)
        assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout), args
    assert new_id in invoke("timeline", "1939", "-f", "tsv", data=tmp_ledger, env=env).stdout


def test_an_empty_cached_ledger_finds_no_event(xdg: Path, tmp_path: Path) -> None:
    """`farchron init` makes a ledger of no events: a miss in its store is a miss, not a
    crash (import asks the cached ledger whether an id is taken)."""
    folder = tmp_path / "new"
    assert invoke("init", str(folder), data=None).exit_code == 0
    led = ledgercache.open_ledger(folder)
    led = ledgercache.open_ledger(folder)  # warm: from the store
    assert len(led.events) == 0 and led.event("nomonhan") is None
    assert led.events.parts_of("nomonhan") == []  # type: ignore[attr-defined]
    r = invoke("show", "nomonhan", data=folder, env=_on(xdg))
    assert r.exit_code == 1 and "no event" in r.stderr


def test_the_store_round_trips_every_event_and_note_field(xdg: Path, tmp_ledger: Path) -> None:
    """As test_layout's event_row round trip, through the store: an Old Style event with
    its date as printed, a part, other dates (cited, by basis, Julian), a note's date."""
    from farchron.model.records import Event, Note

    with open(tmp_ledger / "events.toml", "a", encoding="utf-8") as f:
        f.write('\n[[event]]\nid = "port-arthur-falls"\ntitle = "Port Arthur falls"\n'
                'date = "1904-12-20"\ncalendar = "julian"\n'
                'date-as-printed = "20 декабря 1904 г."\npart-of = "nomonhan"\n'
                'citations = [{ note = 1 }]\n' + CLEAN.replace("1939-05-11", "1939-05-12"))
    with open(tmp_ledger / "sources.toml", "a", encoding="utf-8") as f:
        f.write('\n[[note]]\nnumber = 3\ntext = "Ibid."\ndate-as-printed = "1 May 1939"\n'
                'citations = [{ source = "krivosheev-2010", pages = "161" }]\n')
    want, want_problems = ledger.collect(tmp_ledger)
    assert want is not None
    for _ in ("cold", "warm"):
        got, problems = ledgercache.open_checked(tmp_ledger)
        assert got is not None and problems == want_problems
        assert len(got.events) == len(want.events)
        for a, b in zip(got.events, want.events, strict=True):
            for f in Event._fields:
                assert getattr(a, f) == getattr(b, f), (b.id, f)
            assert a.display() == b.display() and a.date.start == b.date.start
        for n, note in want.notes.items():
            assert all(getattr(got.notes[n], f) == getattr(note, f) for f in Note._fields)
    assert want.event("port-arthur-falls").calendar == "julian"  # type: ignore[union-attr]
    assert want.notes[3].date_as_printed == "1 May 1939"
