"""The language server on a ledger split by `include` (the Taiping Rebellion in two
chapter files): drafts are audited against the events of every part, definitions lead
into the part, a part open in the editor gets its own problems, and a part changed on
disk is read again."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lspclient import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "authoring"))
from test_split_ledger_tools import _ledger

DRAFT = ("# The rising\n\nThe Taiping took Nanjing on 19 March 1854 [@fall-of-nanjing] "
         "and marched north in May 1853.\n")


@pytest.fixture
def split(tmp_path: Path, _isolated_cache: Path) -> Iterator[tuple[Client, Path]]:
    led = _ledger(tmp_path / "taiping")
    c = Client(led, env={"XDG_CACHE_HOME": str(_isolated_cache)})
    c.initialize(led)
    try:
        yield c, led
    finally:
        c.close()


def _pos(text: str, needle: str, delta: int = 1) -> dict[str, int]:
    i = text.index(needle) + delta
    return {"line": text.count("\n", 0, i), "character": i - (text.rfind("\n", 0, i) + 1)}


def test_a_draft_is_audited_against_the_parts(split: tuple[Client, Path]) -> None:
    server, led = split
    uri = server.open(led / "draft.md", DRAFT)
    diags = server.diagnostics(uri)
    errors = [d for d in diags if d["severity"] == 1]
    assert len(errors) == 1 and "1853" in errors[0]["message"], diags
    loc = server.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                     "position": _pos(DRAFT, "@fall", 4)})
    part = led / "chapters" / "1853.toml"
    assert loc["uri"] == part.resolve().as_uri()
    assert part.read_text().split("\n")[loc["range"]["start"]["line"]] == 'id = "fall-of-nanjing"'


def test_a_part_open_in_the_editor_gets_its_own_problems(split: tuple[Client, Path]) -> None:
    server, led = split
    part = led / "chapters" / "1851.toml"
    text = part.read_text()
    uri = server.open(part, text, "toml")
    bad = text.replace('source = "spence-1996", pages = "130"',
                       'source = "spense-1996", pages = "130"')
    server.change(uri, bad, 2)
    diags = server.diagnostics(uri, pred=lambda ds: bool(ds))
    assert any("spense-1996" in d["message"] for d in diags), diags
    line = bad.split("\n").index('citations = [{ source = "spense-1996", pages = "130" }]')
    assert any(d["range"]["start"]["line"] == line for d in diags), diags
    # the main file is not blamed for the part's problem
    main = server.diagnostics((led / "events.toml").resolve().as_uri())
    assert not [d for d in main if "spense" in d["message"]]
    got = server.request("textDocument/completion", {
        "textDocument": {"uri": uri},
        "position": _pos(bad, 'source = "spense', len('source = "spen'))})
    assert "spence-1996" in [i["label"] for i in got["items"]]


def test_a_part_changed_on_disk_is_read_again(split: tuple[Client, Path]) -> None:
    server, led = split
    uri = server.open(led / "draft.md", DRAFT)
    assert [d for d in server.diagnostics(uri) if d["severity"] == 1]
    part = led / "chapters" / "1853.toml"
    part.write_text(part.read_text().replace('date = "1853-03-19"', 'date = "1854-03-19"'))
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": part.resolve().as_uri(), "type": 2}]})
    diags = server.diagnostics(uri, pred=lambda ds: not [d for d in ds if d["severity"] == 1
                                                         and "1854" in d["message"]])
    assert not [d for d in diags if d["severity"] == 1 and "Nanjing" in d["message"]], diags
