"""Issue 13: words not quotes, empty answers that explain, reverse lookups, `show ID...`,
`-f ids`, `--header`, shell completion, the manual page and the fzf recipe."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from farchron.cli import stdio
from tests.conftest import ROOT, invoke, run


def _ids(r) -> list[str]:
    assert r.exit_code == 0, r.stderr
    return [line.split("\t")[0] for line in r.stdout.splitlines()]


# ----------------------------------------------------------------------------- words


def test_query_is_words_and_a_last_date_is_the_period() -> None:
    assert _ids(invoke("search", "Potsdam", "Declaration", data=ROOT))[0] == "potsdam-declaration"
    by_words = invoke("search", "togo", "1941..1945", "-f", "json", data=ROOT)
    by_option = invoke("search", "togo", "--period", "1941..1945", "-f", "json", data=ROOT)
    assert by_words.stdout == by_option.stdout
    assert all(h["end"] >= "1941" and h["start"] <= "1945-12-31"
               for h in json.loads(by_words.stdout))
    # a word that is no date stays in the query
    assert _ids(invoke("search", "Marco", "Polo", "Bridge", data=ROOT))[0] == (
        "marco-polo-bridge-incident")


@pytest.mark.parametrize("args", [("search", ""), ("search", "  "), ("search",),
                                  ("cite", " "), ("sources", "")])
def test_an_empty_query_is_a_usage_error(args: tuple[str, ...]) -> None:
    r = invoke(*args, data=ROOT)
    assert r.exit_code == 2 and r.stdout == ""
    assert "QUERY" in r.stderr


def test_cite_of_exact_ids_cites_exactly_those() -> None:
    one = json.loads(invoke("cite", "nomonhan-incident", "-f", "json", data=ROOT).stdout)
    assert [e["id"] for e in one["events"]] == ["nomonhan-incident"]
    two = json.loads(invoke("cite", "nomonhan-ceasefire-agreement", "nomonhan-incident",
                            "-f", "json", data=ROOT).stdout)
    assert [e["id"] for e in two["events"]] == ["nomonhan-incident",  # date order
                                                 "nomonhan-ceasefire-agreement"]
    words = json.loads(invoke("cite", "nomonhan", "-f", "json", data=ROOT).stdout)
    assert len(words["events"]) > 2


def test_sources_query_is_words_and_author_filters() -> None:
    assert _ids(invoke("sources", "Rossiia", "i", "SSSR", data=ROOT))[0] == "krivosheev-2010"
    assert _ids(invoke("sources", "--author", "hata", data=ROOT)) == ["hata-2014"]
    assert _ids(invoke("sources", "--author", "Кривошеев", data=ROOT)) == ["krivosheev-2010"]
    assert invoke("sources", "--author", "nobody", data=ROOT).exit_code == 1


def test_search_and_cite_take_actor_place_and_tag() -> None:
    hits = _ids(invoke("search", "Khalkhin", "Gol", "--actor", "Zhukov", data=ROOT))
    assert hits and "nomonhan-incident" in hits
    assert invoke("search", "Khalkhin", "Gol", "--place", "Kuril", data=ROOT).exit_code == 1
    assert _ids(invoke("search", "Shumshu", "--tag", "battle", data=ROOT))[0] == "shumshu-landing"
    doc = json.loads(invoke("cite", "Kuril", "--place", "Shumshu", "--min-score", "70",
                            "-f", "json", data=ROOT).stdout)
    assert {e["id"] for e in doc["events"]} <= {"shumshu-landing",
                                                 "soviet-kuril-islands-invasion"}


# ----------------------------------------------------------------------------- empties


@pytest.fixture
def terminal_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stdio, "stderr_is_terminal", lambda: True)


@pytest.mark.usefixtures("terminal_stderr")
@pytest.mark.parametrize(("args", "said"), [
    (("timeline", "2030"), "farchron: no events in 2030: the ledger spans 216 BC–1946\n"),
    (("timeline", "1939", "--tag", "nosuch"),
     "farchron: 17 events in 1939, none with tag nosuch\n"),
    (("search", "nomonhon", "--min-score", "95"),
     "farchron: nothing scored ≥ 95; best: nomonhan-incident 88 — try --min-score 80\n"),
    (("search", "Nomonhan", "--period", "2030"),
     "farchron: no events in 2030: the ledger spans 216 BC–1946\n"),
    (("cite", "zhukov", "1945"), None),
])
def test_an_empty_answer_explains_itself_on_a_terminal(args, said) -> None:
    r = invoke(*args, data=ROOT)
    assert (r.exit_code, r.stdout) == (1, "")
    if said is None:
        assert r.stderr.startswith("farchron: nothing scored ≥ 90; best: ")
    else:
        assert r.stderr == said


@pytest.mark.parametrize("args", [("timeline", "2030"), ("search", "zzqqxx"),
                                  ("search", "nomonhon", "--min-score", "95")])
def test_an_empty_answer_is_silent_in_a_pipe(args) -> None:
    r = invoke(*args, data=ROOT)
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", "")


def test_the_hint_reaches_a_real_terminal_and_not_a_pipe() -> None:
    master, slave = pty.openpty()
    env = {**os.environ, "FARCHRON_NO_CACHE": "1"}
    proc = subprocess.run([sys.executable, "-m", "farchron", "timeline", "2030"],
                          stdout=subprocess.PIPE, stderr=slave, env=env, timeout=60)
    os.close(slave)
    said = os.read(master, 4096).decode()
    os.close(master)
    assert proc.returncode == 1 and proc.stdout == b""
    assert "no events in 2030: the ledger spans 216 BC–1946" in said
    piped = run("timeline", "2030", data=None)
    assert (piped.returncode, piped.stdout, piped.stderr) == (1, "", "")


# ----------------------------------------------------------------------------- reverse


def test_notes_list_the_events_citing_them() -> None:
    r = invoke("notes", "22", data=ROOT)
    assert r.stdout.split("\t")[-1] == "nomonhan-incident\n"
    doc = json.loads(invoke("notes", "22", "20", "-f", "json", data=ROOT).stdout)
    assert doc[0]["events"] == ["nomonhan-incident"]
    assert doc[1]["events"] == ["roosevelt-rejects-pacific-pact-1937",
                                "marco-polo-bridge-incident"]
    table = invoke("notes", "20", "-f", "table", data=ROOT, env={"COLUMNS": "160"})
    assert "Events" in table.stdout and "marco-polo-bridge-incident" in table.stdout


def test_sources_list_the_events_citing_them_directly_or_through_notes() -> None:
    r = invoke("sources", "krivosheev", data=ROOT)
    assert r.stdout.rstrip("\n").split("\t")[-1] == "nomonhan-incident"  # through note 22
    doc = json.loads(invoke("sources", "-f", "json", data=ROOT).stdout)
    by_id = {d["id"]: d["events"] for d in doc}
    assert "nomonhan-incident" in by_id["hanada-far-eastern-strategy"]  # directly
    assert all(isinstance(v, list) for v in by_id.values())


def test_timeline_by_note_source_excluded_tag_and_limit() -> None:
    assert _ids(invoke("timeline", "--note", "22", data=ROOT)) == ["nomonhan-incident"]
    assert _ids(invoke("timeline", "--note", "20", "--note", "22", data=ROOT)) == [
        "roosevelt-rejects-pacific-pact-1937", "marco-polo-bridge-incident",
        "nomonhan-incident"]
    assert _ids(invoke("timeline", "--source", "hata-2014", data=ROOT)) == ["nomonhan-incident"]
    no_battles = _ids(invoke("timeline", "1939", "--exclude-tag", "battle", data=ROOT))
    every = _ids(invoke("timeline", "1939", data=ROOT))
    assert "nomonhan-incident" in every and "nomonhan-incident" not in no_battles
    assert _ids(invoke("timeline", "1939", "--limit", "3", data=ROOT)) == every[:3]


def test_ids_format_and_tsv_header() -> None:
    r = invoke("timeline", "1939-08", "--match", "within", "-f", "ids", data=ROOT)
    assert r.stdout.splitlines() == ["khalkhin-gol-august-offensive",
                                     "german-soviet-non-aggression-pact",
                                     "hiranuma-cabinet-resigns", "abe-cabinet-formed"]
    assert invoke("notes", "22", "23", "-f", "ids", data=ROOT).stdout == "22\n23\n"
    assert invoke("search", "Shumshu", "-f", "ids", data=ROOT).stdout.startswith(
        "shumshu-landing\n")
    head = invoke("timeline", "1939", "--header", data=ROOT).stdout.splitlines()[0]
    assert head == "id\tdate\tstart\tend\twhen\ttitle"
    head = invoke("search", "Shumshu", "--header", data=ROOT).stdout.splitlines()[0]
    assert head.endswith("\ttitle\tscore")
    assert not invoke("timeline", "1939", data=ROOT).stdout.startswith("id\t")


# ----------------------------------------------------------------------------- show


def test_show_several_ids_and_ids_from_stdin() -> None:
    r = invoke("show", "nomonhan-incident", "shumshu-landing", data=ROOT)
    assert r.exit_code == 0
    assert r.stdout.count("\nid:       ") == 2
    assert r.stdout.index("nomonhan-incident") < r.stdout.index("shumshu-landing")
    doc = json.loads(invoke("show", "nomonhan-incident", "shumshu-landing", "-f", "json",
                            data=ROOT).stdout)
    assert [d["id"] for d in doc] == ["nomonhan-incident", "shumshu-landing"]
    one = json.loads(invoke("show", "shumshu-landing", "-f", "json", data=ROOT).stdout)
    assert one["id"] == "shumshu-landing"  # one id: one object, as before
    piped = run("search", "Khalkhin", "Gol", data=ROOT,
                shell=f"| {sys.executable} -m farchron --data {ROOT} show -")
    assert piped.returncode == 0 and piped.stdout.count("\nid:       ") >= 3
    xargs = run("search", "Khalkhin", "Gol", data=ROOT,
                shell=f"| cut -f1 | xargs {sys.executable} -m farchron --data {ROOT} show")
    assert xargs.returncode == 0 and xargs.stdout == piped.stdout


def test_show_names_unknown_ids_after_showing_the_others() -> None:
    r = invoke("show", "nomonhan-incident", "nomonhann", data=ROOT)
    assert r.exit_code == 1 and "id:       nomonhan-incident" in r.stdout
    assert "no event 'nomonhann' (did you mean: nomonhan-incident" in r.stderr
    r = invoke("show", "-", data=ROOT)  # nothing on stdin
    assert r.exit_code == 1 and "no ids" in r.stderr


def test_show_wraps_to_an_fzf_preview_in_colour_and_not_in_a_pipe() -> None:
    plain = run("show", "nomonhan-incident", data=ROOT)
    assert max(len(ln) for ln in plain.stdout.splitlines()) > 100  # a pipe: as is
    fzf = run("show", "nomonhan-incident", data=ROOT, env={"FZF_PREVIEW_COLUMNS": "50"})
    assert "\x1b[" in fzf.stdout
    nc = run("show", "nomonhan-incident", data=ROOT,
             env={"FZF_PREVIEW_COLUMNS": "50", "NO_COLOR": "1"})
    assert "\x1b" not in nc.stdout
    assert max(len(ln) for ln in nc.stdout.splitlines()) <= 50
    squeeze = "".join(nc.stdout.split())
    assert "".join(plain.stdout.split()) == squeeze  # wrapped, nothing lost


# ----------------------------------------------------------------------------- completion


def _complete(words: str, data: Path | None = ROOT) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")}
    if data is not None:
        env["FARCHRON_DATA"] = str(data)
    env.update(_FARCHRON_COMPLETE="bash_complete", COMP_WORDS=words,
               COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    r = subprocess.run([sys.executable, "-m", "farchron"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    return [line.split(",", 1)[1] for line in r.stdout.splitlines() if line]


def test_completion_offers_ids_tags_names_sources_and_notes() -> None:
    assert _complete("farchron show nomonhan-") == ["nomonhan-incident",
                                                     "nomonhan-ceasefire-agreement"]
    assert "nomonhan-incident" in _complete("farchron cite nomonhan-i")
    assert _complete("farchron timeline --tag occ") == ["occupation"]
    assert "Georgy Zhukov" in _complete("farchron timeline --actor Zhu")
    assert "Khalkha River" in _complete("farchron search x --place Khal")
    assert _complete("farchron timeline --source kriv") == ["krivosheev-2010"]
    assert _complete("farchron sources kriv") == ["krivosheev-2010"]
    assert _complete("farchron notes 4") == ["4", "40", "41", "42", "43", "44", "45", "46",
                                             "47", "48"]
    assert "--note" in _complete("farchron timeline --no")


def test_edit_and_add_complete_from_the_ledger() -> None:
    # edit ID takes an event, a work, or note:N
    assert _complete("farchron edit nomonhan-") == ["nomonhan-incident",
                                                     "nomonhan-ceasefire-agreement"]
    assert _complete("farchron edit kriv") == ["krivosheev-2010"]
    assert _complete("farchron edit note:4") == [f"note:{n}" for n in (4, *range(40, 49))]
    assert _complete("farchron edit zzz-no-such") == []
    assert _complete("farchron add event --tag occ") == ["occupation"]
    assert _complete("farchron add event --cite kriv") == ["krivosheev-2010"]
    assert _complete("farchron add event --note 4")[:2] == ["4", "40"]
    assert "Georgy Zhukov" in _complete("farchron add event --actor Zhu")
    assert "Khalkha River" in _complete("farchron add event --place Khal")


def test_completion_of_a_broken_ledger_is_quietly_empty(tmp_path: Path) -> None:
    (tmp_path / "events.toml").write_text("[[event]\n", encoding="utf-8")
    (tmp_path / "sources.toml").write_text("", encoding="utf-8")
    assert _complete("farchron show x", data=tmp_path) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_for_every_shell(shell: str) -> None:
    env = {**os.environ, "_FARCHRON_COMPLETE": f"{shell}_source"}
    r = subprocess.run([sys.executable, "-m", "farchron"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0 and "_FARCHRON_COMPLETE" in r.stdout


# ----------------------------------------------------------------------------- man page


def test_the_committed_man_page_is_current() -> None:
    from farchron.cli.manpage import page

    committed = (ROOT / "docs" / "farchron.1").read_text(encoding="utf-8")
    assert committed == page(), "run: python -m farchron.cli.manpage > docs/farchron.1"
    for name in ("timeline", "search", "show", "cite", "sources", "notes", "export html"):
        assert f".SS {name.replace('-', chr(92) + '-')}" in committed
    if shutil.which("man"):
        r = subprocess.run(["man", "-l", str(ROOT / "docs" / "farchron.1")],
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_FORMATTING": ""})
        assert r.returncode == 0 and "farchron search" in r.stdout


# ----------------------------------------------------------------------------- fzf


@pytest.mark.skipif(shutil.which("fzf") is None, reason="fzf is not installed")
def test_the_readme_fzf_recipe_previews_and_picks(tmp_path: Path) -> None:
    pick = tmp_path / "pick.txt"
    cmd = (f"{sys.executable} -m farchron timeline -f tsv | fzf --delimiter '\\t' "
           f"--with-nth 5,6 --preview '{sys.executable} -m farchron show {{1}}' "
           f"| cut -f1 > {pick}")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.environ.update(TERM="xterm", FARCHRON_NO_CACHE="1")
        os.execvp("bash", ["bash", "-c", cmd])
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""

    def pump(seconds: float) -> None:
        nonlocal seen
        end = time.time() + seconds
        while time.time() < end:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    return

    pump(3)
    os.write(fd, b"shumshu")
    pump(4)
    os.write(fd, b"\r")
    pump(2)
    os.waitpid(pid, 0)
    assert "Sources:" in seen.decode("utf-8", "replace")  # the preview ran `show`
    assert pick.read_text() == "shumshu-landing\n"
