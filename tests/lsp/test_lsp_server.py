"""End to end: a real `farchron lsp` process, spoken to as an editor would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lspclient import Client

WRONG = ("# Chapter 2\n\nThe war at sea was short. The Battle of Tsushima was fought on "
         "27 May 1906, and the Russian squadron was lost [@steinberg-2005, 120].\n\n"
         "A new railway station opened in Harbin on 3 March 1903.\n")
RIGHT = WRONG.replace("27 May 1906", "27 May 1905")


def _pos(text: str, needle: str, delta: int = 1) -> dict[str, int]:
    i = text.index(needle) + delta
    line = text.count("\n", 0, i)
    return {"line": line, "character": i - (text.rfind("\n", 0, i) + 1)}


def _errors(diags: list[dict]) -> list[dict]:
    return [d for d in diags if d["severity"] == 1]


def test_wrong_date_then_right_date(server: Client, rj_ledger: Path) -> None:
    uri = server.open(rj_ledger / "draft.md", WRONG)
    diags = server.diagnostics(uri)
    errors = _errors(diags)
    assert len(errors) == 1, diags
    err = errors[0]
    assert err["code"] == "date-contradicts"
    assert err["range"]["start"] == _pos(WRONG, "27 May 1906", 0)
    assert err["range"]["end"] == _pos(WRONG, "27 May 1906", len("27 May 1906"))
    assert "the ledger dates battle-of-tsushima 27–28 May 1905" in err["message"]
    infos = [d for d in diags if d["severity"] == 3]
    assert [d["code"] for d in infos] == ["no-event"]
    # the same message as the CLI prints
    cli = subprocess.run([sys.executable, "-m", "farchron", "--data", str(rj_ledger), "audit", "-"],
                         input=WRONG, capture_output=True, text=True, timeout=60)
    assert err["message"] in cli.stdout
    server.change(uri, RIGHT, 2)
    diags = server.diagnostics(uri, pred=lambda ds: not _errors(ds))
    assert [d["code"] for d in diags] == ["no-event"]


def test_hover_on_a_date_and_a_key(server: Client, rj_ledger: Path) -> None:
    uri = server.open(rj_ledger / "draft.md", WRONG)
    server.diagnostics(uri)
    got = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": _pos(WRONG, "27 May 1906", 3)})
    text = got["contents"]["value"]
    assert "`1906-05-27`" in text and "Julian: 14 May 1906 OS" in text
    assert "Meiji 39" in text
    assert "Battle of Tsushima" in text and "`1905-05-27/1905-05-28`" in text
    assert "Steinberg, *Russo-Japanese War*, 120." in text  # a Chicago short note
    got = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": _pos(WRONG, "@steinberg", 3)})
    assert "Steinberg" in got["contents"]["value"]
    assert "Brill" in got["contents"]["value"]


def test_definition_of_a_key(server: Client, rj_ledger: Path) -> None:
    text = "See [@battle-of-mukden] and [@steinberg-2005, 12].\n"
    uri = server.open(rj_ledger / "d.md", text)
    server.diagnostics(uri)
    loc = server.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                     "position": _pos(text, "@battle", 4)})
    assert loc["uri"] == (rj_ledger / "events.toml").resolve().as_uri()
    lines = (rj_ledger / "events.toml").read_text().split("\n")
    assert lines[loc["range"]["start"]["line"]] == 'id = "battle-of-mukden"'
    loc = server.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                     "position": _pos(text, "@steinberg", 4)})
    lines = (rj_ledger / "sources.toml").read_text().split("\n")
    assert lines[loc["range"]["start"]["line"]] == 'id = "steinberg-2005"'


def test_completion_fuzzy_in_any_script(server: Client, rj_ledger: Path) -> None:
    text = "The siege [@osada\n"
    uri = server.open(rj_ledger / "c.md", text)
    got = server.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": _pos(text, "@osada", len("@osada"))})
    labels = [i["label"] for i in got["items"]]
    assert labels[0] == "siege-of-port-arthur", labels
    item = got["items"][0]
    assert "Siege of Port Arthur" in item["detail"] and "1904" in item["detail"]
    assert "besieged" in item["documentation"]["value"]
    assert item["textEdit"]["newText"] == "siege-of-port-arthur"


def test_unknown_key_did_you_mean(server: Client, rj_ledger: Path) -> None:
    text = "As Connaughton shows [@conaughton-1988, 25].\n"
    uri = server.open(rj_ledger / "k.md", text)
    diags = server.diagnostics(uri)
    assert [d["code"] for d in diags] == ["unknown-key"]
    assert "did you mean connaughton-1988" in diags[0]["message"]


def test_record_this_event_then_check_passes(server: Client, rj_ledger: Path) -> None:
    uri = server.open(rj_ledger / "draft.md", WRONG)
    diags = server.diagnostics(uri)
    info = next(d for d in diags if d["code"] == "no-event")
    acts = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": info["range"],
        "context": {"diagnostics": [info]}})
    rec = next(a for a in acts if a["title"].startswith("Record this event"))
    edits = rec["edit"]["changes"][(rj_ledger / "events.toml").resolve().as_uri()]
    path = rj_ledger / "events.toml"
    before = path.read_text()
    assert edits[0]["range"]["start"]["line"] == before.count("\n")
    path.write_text(before + edits[0]["newText"])
    assert 'date = "1903-03-03"' in path.read_text()
    done = subprocess.run([sys.executable, "-m", "farchron", "--data", str(rj_ledger), "check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    # the contradiction's fix: the ledger's date, in the draft's style
    err = next(d for d in diags if d["code"] == "date-contradicts")
    acts = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": err["range"], "context": {"diagnostics": [err]}})
    fix = next(a for a in acts if a["title"].startswith("Use the ledger's date"))
    assert fix["edit"]["changes"][uri][0]["newText"] == "27–28 May 1905"


def test_ledger_edited_on_disk_updates_the_draft(server: Client, rj_ledger: Path) -> None:
    uri = server.open(rj_ledger / "draft.md", WRONG)
    assert _errors(server.diagnostics(uri))
    path = rj_ledger / "events.toml"
    path.write_text(path.read_text().replace('date = "1905-05-27/1905-05-28"',
                                             'date = "1906-05-27/1906-05-28"'))
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": path.resolve().as_uri(), "type": 2}]})
    diags = server.diagnostics(uri, pred=lambda ds: not _errors(ds))
    assert [d["code"] for d in diags] == ["no-event"]


def test_ledger_that_does_not_parse(server: Client, rj_ledger: Path) -> None:
    uri = server.open(rj_ledger / "draft.md", WRONG)
    assert _errors(server.diagnostics(uri))  # the good ledger is loaded
    path = rj_ledger / "events.toml"
    path.write_text(path.read_text() + "\n[[event]\nid = \n")
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": path.resolve().as_uri(), "type": 2}]})
    diags = server.diagnostics(path.resolve().as_uri(), pred=lambda ds: bool(ds))
    assert diags[0]["severity"] == 1
    assert diags[0]["range"]["start"]["line"] == path.read_text().split("\n").index("[[event]")
    # still serving, drafts audited against the last good ledger
    server.change(uri, WRONG + "\n", 2)
    assert _errors(server.diagnostics(uri))


def test_ledger_file_completion_and_hover(server: Client, rj_ledger: Path) -> None:
    path = rj_ledger / "events.toml"
    text = path.read_text() + ('\n[[event]]\nid = "x"\ntags = ["na"]\npart-of = "battle-of-m"\n'
                               'citations = [{ source = "stein" }]\n')
    uri = server.open(path, text, "toml")
    for needle, want in (('tags = ["na', "naval"), ('part-of = "battle-of-m', "battle-of-mukden"),
                         ('source = "stein', "steinberg-2005")):
        got = server.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": _pos(text, needle, len(needle))})
        assert want in [i["label"] for i in got["items"]], (needle, got)
    got = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": _pos(text, '"1905-09-05', 3)})
    value = got["contents"]["value"]
    assert "Julian: 23 Aug 1905 OS" in value and "Meiji 38" in value


def test_unknown_methods_and_bad_bytes(server: Client, rj_ledger: Path) -> None:
    try:
        server.request("farchron/nothing", {})
    except RuntimeError as exc:
        assert "-32601" in str(exc) or "not found" in str(exc).lower()
    server.notify("$/unknownNotification", {"x": 1})
    server.send_raw(b'{"jsonrpc": "2.0", "id": 99, "method": ')  # broken JSON
    server.send_raw(b"\xff\xfe\x00garbage")
    bad = "\x00\x1b[2J\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    uri = server.open(rj_ledger / "bad.md", bad + "\u202e" * 100 + "1905" * 3000)
    server.diagnostics(uri)
    assert server.request("textDocument/hover", {"textDocument": {"uri": uri},
                          "position": {"line": 99, "character": 999}}) is None


def test_closing_stdin_ends_the_server(rj_ledger: Path, _isolated_cache: Path) -> None:
    c = Client(rj_ledger, env={"XDG_CACHE_HOME": str(_isolated_cache)})
    try:
        c.initialize(rj_ledger)
        assert c.proc.stdin is not None
        c.proc.stdin.close()
        assert c.proc.wait(timeout=10) is not None
    finally:
        c.close()


def test_shipped_ledger_completion_and_definition(shipped_ledger: Path,
                                                  _isolated_cache: Path) -> None:
    c = Client(shipped_ledger, env={"XDG_CACHE_HOME": str(_isolated_cache)})
    try:
        c.initialize(shipped_ledger)
        text = "Fighting on the Khalkha [@nomon and [@khalkin\n"
        uri = c.open(shipped_ledger / "d.md", text)
        for needle in ("@nomon", "@khalkin"):
            got = c.request("textDocument/completion", {
                "textDocument": {"uri": uri}, "position": _pos(text, needle, len(needle))})
            assert got["items"][0]["label"] == "nomonhan-incident", needle
        text2 = "[@nomonhan-incident]"
        c.change(uri, text2, 2)
        loc = c.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                    "position": {"line": 0, "character": 5}})
        lines = (shipped_ledger / "events.toml").read_text().split("\n")
        assert lines[loc["range"]["start"]["line"]] == 'id = "nomonhan-incident"'
    finally:
        c.close()
