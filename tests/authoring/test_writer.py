"""Format-preserving, checked, atomic, locked writes (farchron.authoring.writer)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.authoring import writer as lw
from farchron.errors import DataError

EVENTS = '''#:schema ./schema/events.schema.json
# A hand-kept ledger: this comment, the odd spacing below and the trailing
# comment must all survive an append byte for byte.

[[event]]
id    = "first"          # aligned by hand
title = "First"
date  = 1905-09-05
citations = [
  { source = "w" },   # multi-line array, comment inside
]
# trailing comment, no final newline'''

SOURCES = '''# works

[[source]]
id = "w"
type = "book"
title = "W"
'''


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")
    (tmp_path / "events.toml").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return tmp_path


def _event(eid: str, title: str = "T", **kw: object) -> tuple[str, dict]:
    return ("event", {"id": eid, "title": title, "date": "1905", **kw,
                      "citations": [{"source": "w", "pages": "12"}]})


def test_append_keeps_every_byte_and_follows_the_style(ledger: Path):
    # dated after "first", so its place in date order is the end (issue 25)
    res = lw.write_records(ledger, lambda snap: [_event("second", "Second", date="1906",
                                                        tags=["treaty", "peace"])])
    assert res.written
    text = (ledger / "events.toml").read_text(encoding="utf-8")
    assert text.startswith(EVENTS + "\n")
    assert text[len(EVENTS):] == (
        '\n\n[[event]]\n'
        'id    = "second"\n'
        'title = "Second"\n'
        'date  = "1906"\n'
        'tags  = ["treaty", "peace"]\n'
        'citations = [{ source = "w", pages = "12" }]\n')  # too long to align: one space
    doc = tomli.loads(text)
    assert [e["id"] for e in doc["event"]] == ["first", "second"]
    assert (ledger / "sources.toml").read_text(encoding="utf-8") == SOURCES


def test_crlf_files_stay_crlf(ledger: Path):
    (ledger / "sources.toml").write_bytes(SOURCES.replace("\n", "\r\n").encode())
    lw.write_records(ledger, lambda snap: [("source", {"id": "w2", "type": "book",
                                                      "title": "W2"})])
    raw = (ledger / "sources.toml").read_bytes()
    assert raw.startswith(SOURCES.replace("\n", "\r\n").encode())
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_invalid_result_writes_nothing_and_names_combined_lines(ledger: Path):
    before = {p.name: p.read_bytes() for p in ledger.iterdir()}
    with pytest.raises(DataError) as exc:
        lw.write_records(ledger, lambda snap: [
            ("event", {"id": "bad", "title": "Bad", "date": "1905-13",
                       "citations": [{"source": "nowhere"}]}),
            _event("first")])
    messages = [str(p) for p in exc.value.problems]
    n = EVENTS.count("\n") + 1  # the last line of the old file
    assert any(m.startswith(f"{ledger / 'events.toml'}:{n + 5}:") and "1905-13" in m
               for m in messages), messages
    assert any("unknown source 'nowhere'" in m for m in messages)
    assert any("duplicate id 'first'" in m for m in messages)
    assert {p.name: p.read_bytes() for p in ledger.iterdir() if p.name in before} == before


def test_fragment_check_agrees_with_the_full_check(ledger: Path, monkeypatch):
    full = None
    for limit in (1 << 30, 1):
        monkeypatch.setattr(lw, "FRAGMENT_CHECK_BYTES", limit)
        with pytest.raises(DataError) as exc:
            lw.write_records(ledger, lambda snap: [
                _event("ok-one"),
                ("event", {"id": "bad", "title": "Bad", "date": "1905-13",
                           "citations": [{"source": "nowhere"}]})])
        lines = sorted((p.line, p.code) for p in exc.value.problems)
        full = full or lines
        assert lines == full
    monkeypatch.setattr(lw, "FRAGMENT_CHECK_BYTES", 1)
    with pytest.raises(DataError, match="duplicate id 'first'"):
        lw.write_records(ledger, lambda snap: [_event("first")])


def test_dry_run_writes_nothing(ledger: Path):
    before = (ledger / "events.toml").read_bytes()
    res = lw.write_records(ledger, lambda snap: [_event("x")], dry_run=True)
    assert not res.written and '"x"' in res.texts["events.toml"]
    assert (ledger / "events.toml").read_bytes() == before


def test_symlink_and_mode_are_kept(ledger: Path, tmp_path_factory):
    real_dir = tmp_path_factory.mktemp("real")
    real = real_dir / "events.toml"
    os.replace(ledger / "events.toml", real)
    os.chmod(real, 0o640)
    (ledger / "events.toml").symlink_to(real)
    lw.write_records(ledger, lambda snap: [_event("linked")])
    assert (ledger / "events.toml").is_symlink()
    assert '"linked"' in real.read_text(encoding="utf-8")
    assert real.stat().st_mode & 0o777 == 0o640
    assert not [p for p in real_dir.iterdir() if p.name.endswith(".tmp")]


def test_no_ledger_is_a_write_error(tmp_path: Path):
    with pytest.raises(lw.WriteError, match=r"no events\.toml"):
        lw.write_records(tmp_path, lambda snap: [])


def test_ids_slugs_and_clashes():
    assert lw.slugify("Battle of Mukden") == "battle-of-mukden"
    assert lw.slugify("Treaty of Portsmouth (1905)!") == "treaty-of-portsmouth-1905"
    assert lw.slugify("Мукденское сражение") == "mukdenskoe-srazhenie"
    assert lw.slugify("Tōgō's fleet") == "togos-fleet"
    assert lw.slugify("!!!") == "untitled"
    assert lw.ID_RE.match(lw.slugify("x" * 200))
    assert lw.unique_id("a", {"a", "a-2"}) == "a-3"
    assert lw.unique_id("a", set()) == "a"
    assert lw.unique_id("k-1905", {"k-1905"}, letters=True) == "k-1905-a"
    assert lw.unique_id("k", {"k", *(f"k-{chr(c)}" for c in range(97, 123))},
                        letters=True) == "k-aa"


def test_toml_string_escapes():
    assert lw.toml_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert lw.toml_string("\x1b[2J\x7f\x85") == '"\\u001B[2J\\u007F\\u0085"'
    assert lw.toml_string("tab\tnl\n") == '"tab\\tnl\\n"'
    assert lw.toml_string("Кривошеев ノモンハン") == '"Кривошеев ノモンハン"'
    assert lw.toml_key("container-title") == "container-title"
    assert lw.toml_key("a b") == '"a b"'
    with pytest.raises(ValueError):
        lw.toml_string("\ud800")


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.lists(_TEXT, max_size=3), st.integers(-10**6, 10**6))
def test_any_text_written_reads_back_equal(title, tags, n):
    rec = {"id": "x", "title": title, "tags": tags,
           "citations": [{"source": title, "pages": title}, {"note": n}]}
    text = lw.render_table("event", rec)
    doc = tomli.loads(text)
    expected = {k: v for k, v in rec.items() if v != []}
    assert doc["event"][0] == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), _TEXT)
def test_append_after_any_comment_text(comment, title):
    head = "".join(f"# {ln}\n" for ln in comment.replace("\r", "").split("\n")
                   if "\x00" not in ln and not any(ord(c) < 32 and c != "\t" for c in ln)
                   and "\x7f" not in ln)
    text, _ = lw.append_text(head, "event", [{"id": "x", "title": title}])
    assert text.startswith(head)
    assert tomli.loads(text)["event"] == [{"id": "x", "title": title}]


def test_detect_style():
    assert lw.detect_style("").gap == 1
    s = lw.detect_style("a = 1\n\n\n[[event]]\nid    = 'x'\ntitle = 'y'\n")
    assert (s.gap, s.align, s.newline) == (2, 6, "\n")
    s = lw.detect_style("[[event]]\nid = 'x'\r\n")
    assert s.newline == "\r\n" and s.align == 0


_WRITER = '''
import sys
from pathlib import Path
from farchron.authoring import writer as lw
d = Path(sys.argv[1]); name = sys.argv[2]
def plan(snap):
    taken = snap.event_ids()
    return [("event", {"id": lw.unique_id(lw.slugify(name), taken), "title": name,
                       "date": "1905", "citations": [{"source": "w"}]})]
lw.write_records(d, plan)
'''


def test_concurrent_writers_all_land(ledger: Path):
    env = {**os.environ, "FARCHRON_NO_CACHE": "1"}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(ledger), "Same title"],
                              env=env) for _ in range(12)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    doc = tomli.loads((ledger / "events.toml").read_text(encoding="utf-8"))
    ids = [e["id"] for e in doc["event"]]
    assert len(ids) == 13 and len(set(ids)) == 13
    assert "same-title" in ids and "same-title-12" in ids


def test_killed_writer_leaves_the_old_file(ledger: Path):
    before = (ledger / "events.toml").read_bytes()
    env = {**os.environ, "FARCHRON_NO_CACHE": "1", lw.PAUSE_ENV: "30"}
    p = subprocess.Popen([sys.executable, "-c", _WRITER, str(ledger), "Killed"], env=env)
    deadline = time.time() + 60
    while not [f for f in os.listdir(ledger) if f.endswith(".tmp")]:
        assert time.time() < deadline and p.poll() is None
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert (ledger / "events.toml").read_bytes() == before
    # the lock died with the writer: the next one gets through
    lw.write_records(ledger, lambda snap: [_event("after")])
    assert b'"after"' in (ledger / "events.toml").read_bytes()


def test_fragment_check_keeps_the_tag_vocabulary(ledger: Path, monkeypatch):
    text = (ledger / "events.toml").read_text(encoding="utf-8")
    (ledger / "events.toml").write_text(
        '[vocabulary]\ntags = ["battle",\n  "treaty"]\n\n' + text, encoding="utf-8")
    for limit in (1 << 30, 1):
        monkeypatch.setattr(lw, "FRAGMENT_CHECK_BYTES", limit)
        with pytest.raises(DataError, match="tag 'batle' is not in the") as exc:
            lw.write_records(ledger, lambda snap: [_event("x", tags=["batle"])])
        now = (ledger / "events.toml").read_text(encoding="utf-8")
        lines = lw.append_text(now, "event", [_event("x", tags=["batle"])[1]])[0].split("\n")
        assert [p.line for p in exc.value.problems] == [
            next(i for i, ln in enumerate(lines, 1) if '"batle"' in ln)], limit
        lw.write_records(ledger, lambda snap, lim=limit: [_event(f"ok-{lim}", tags=["battle"])])


def test_blank_lines_at_the_end_count_towards_the_gap():
    one = '[[event]]\nid = "a"\n\n[[event]]\nid = "b"\n'
    for ending, expected in (("", "\n"), ("\n", ""), ("\n\n\n", "")):
        text, first = lw.append_text(one + ending, "event", [{"id": "c"}])
        assert text == one + ending + expected + '[[event]]\nid = "c"\n'
        assert text.split("\n")[first - 1] == "[[event]]"


def test_ids_are_found_however_the_line_is_written(ledger: Path):
    text = (ledger / "events.toml").read_text(encoding="utf-8")
    (ledger / "events.toml").write_text(
        text + "\n\n[[event]]\n'id' = 'quoted'  # a comment\ntitle = \"Q\"\ndate = \"1905\"\n"
        "citations = [{ source = \"w\" }]\n", encoding="utf-8")
    from farchron.ledger.load import load

    snap = lw.Snapshot(ledger, {"events.toml": (ledger / "events.toml").read_text(
        encoding="utf-8")}, load(ledger))
    taken = snap.event_ids()
    assert taken("first") and taken("quoted")
    assert not taken("firs") and not taken("w") and not taken("new-one")
