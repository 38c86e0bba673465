"""init, add, edit and import through the real command line (CliRunner and processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli

from tests.conftest import invoke, run

IMPORT = Path(__file__).resolve().parents[1] / "fixtures" / "import"


@pytest.fixture
def rjw(tmp_path: Path) -> Path:
    folder = tmp_path / "rjw"
    r = invoke("init", str(folder), data=None)
    assert r.exit_code == 0, r.output
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.toml")}


def _ids(folder: Path, table: str = "event") -> list[str]:
    name = "events.toml" if table == "event" else "sources.toml"
    doc = tomli.loads((folder / name).read_text(encoding="utf-8"))
    return [r["id"] for r in doc.get(table, [])]


def _with_works(folder: Path) -> None:
    r = invoke("import", str(IMPORT / "rjw.bib"), data=folder)
    assert r.exit_code == 0, r.stderr


# --------------------------------------------------------------------------- init


def test_init_then_check(rjw: Path):
    r = invoke("check", data=rjw)
    assert r.exit_code == 0 and r.stdout == ""
    assert sorted(p.name for p in rjw.iterdir()) == [  # issue 25: the git files too
        ".gitattributes", ".gitignore", "events.toml", "schema", "sources.toml"]


def test_init_refuses_an_existing_ledger(rjw: Path):
    before = _files(rjw)
    r = invoke("init", str(rjw), data=None)
    assert r.exit_code == 2 and "already exists" in r.stderr
    assert _files(rjw) == before


def test_init_in_the_current_folder(tmp_path: Path):
    r = run("init", data=None, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "events.toml").is_file() and (tmp_path / "schema").is_dir()


# --------------------------------------------------------------------------- add


def test_add_event_prints_the_id_and_clashes_get_a_number(rjw: Path):
    _with_works(rjw)
    args = ["add", "event", "--title", "Battle of Mukden", "--date", "1905-02-20/1905-03-10",
            "--tag", "battle", "--actor", "Ōyama Iwao", "--place", "Mukden",
            "--alias", "奉天会戦", "--alias", "Мукденское сражение",
            "--cite", "connaughton-2003:270-301", "--summary", 'A "quoted" \\ summary.']
    r = invoke(*args, data=rjw)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "battle-of-mukden\n"
    assert invoke(*args, data=rjw).stdout == "battle-of-mukden-2\n"
    doc = tomli.loads((rjw / "events.toml").read_text(encoding="utf-8"))
    e = doc["event"][0]
    assert e["aliases"] == ["奉天会戦", "Мукденское сражение"]
    assert e["summary"] == 'A "quoted" \\ summary.'
    assert e["citations"] == [{"source": "connaughton-2003", "pages": "270-301"}]
    assert invoke("check", data=rjw).exit_code == 0


@pytest.mark.parametrize("extra, message", [
    (["--date", "1905-13-45", "--cite", "connaughton-2003"], "--date"),
    (["--date", "1905", "--cite", "nowhere:12"], "unknown source 'nowhere'"),
    (["--date", "1905", "--note", "7"], "cites note 7"),
    (["--date", "1905"], "missing option '--cite'"),
])
def test_invalid_add_exits_2_and_leaves_the_files_byte_identical(rjw: Path, extra, message):
    _with_works(rjw)
    before = _files(rjw)
    r = run("add", "event", "--title", "Battle of Mukden", *extra, data=rjw)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert _files(rjw) == before


def test_add_without_a_terminal_does_not_prompt(rjw: Path):
    r = run("add", "event", "--date", "1905", "--cite", "x", data=rjw, input="")
    assert r.returncode == 2 and "missing option '--title'" in r.stderr


def test_add_source_checks_the_csl_type(rjw: Path):
    before = _files(rjw)
    r = invoke("add", "source", "--type", "journal-article", "--title", "T", data=rjw)
    assert r.exit_code == 2 and "did you mean 'article-journal'" in r.stderr
    assert _files(rjw) == before
    r = invoke("add", "source", "--type", "article-journal", "--title",
               "Nicholas II and the Russo-Japanese War", "--author", "Esthus, Raymond A.",
               "--issued", "1981", "--container-title", "The Russian Review", "--volume",
               "40", "--pages", "396–411", data=rjw)
    assert r.exit_code == 0 and r.stdout == "esthus-1981\n"
    doc = tomli.loads((rjw / "sources.toml").read_text(encoding="utf-8"))
    assert doc["source"][0]["container-title"] == "The Russian Review"
    assert doc["source"][0]["page"] == "396–411"


def test_add_source_never_doubles_a_work(rjw: Path):
    """`import` skips a work already there (same DOI/ISBN, or first author + title + year);
    `add source` of the same book a second time silently added 'esthus-1988-a'."""
    book = ("add", "source", "--type", "book", "--title", "Double Eagle and Rising Sun",
            "--author", "Esthus, Raymond A.", "--issued", "1988")
    assert invoke(*book, data=rjw).stdout == "esthus-1988\n"
    before = _files(rjw)
    r = invoke(*book, data=rjw)
    assert r.exit_code == 2 and r.stdout == ""
    assert "already in the ledger as 'esthus-1988'" in r.stderr
    assert _files(rjw) == before
    r = invoke("add", "source", "--type", "book", "--title", "Theodore Roosevelt and Japan",
               "--author", "Esthus, Raymond A.", "--issued", "1988", data=rjw)
    assert (r.exit_code, r.stdout) == (0, "esthus-1988-a\n")  # another work, same year


def test_add_refuses_the_shipped_ledger_and_missing_folders(tmp_path: Path):
    r = run("add", "event", "--title", "T", "--date", "1905", "--note", "1", data=None,
            cwd=tmp_path)
    assert r.returncode == 2 and "farchron init" in r.stderr
    r = run("add", "event", "--title", "T", "--date", "1905", "--note", "1",
            data=tmp_path / "nowhere")
    assert r.returncode == 2 and "no folder" in r.stderr


def test_twenty_concurrent_adds_keep_twenty_records(rjw: Path):
    _with_works(rjw)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")},
           "XDG_CACHE_HOME": str(rjw.parent / "cache")}  # the cache in use, as a user has it
    procs = [subprocess.Popen(
        [sys.executable, "-m", "farchron", "--data", str(rjw), "add", "event", "--title",
         f"Skirmish {i % 5}", "--date", "1904", "--cite", "connaughton-2003"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(20)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    ids = _ids(rjw)
    assert len(ids) == 20 and len(set(ids)) == 20
    assert sorted(o[0].strip() for o in outs) == sorted(ids)
    assert invoke("check", data=rjw).exit_code == 0


def test_a_killed_add_leaves_the_old_file(rjw: Path):
    _with_works(rjw)
    before = _files(rjw)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")},
           "FARCHRON_TEST_WRITE_PAUSE": "60", "XDG_CACHE_HOME": str(rjw.parent / "cache")}
    p = subprocess.Popen([sys.executable, "-m", "farchron", "--data", str(rjw), "add",
                          "event", "--title", "T", "--date", "1905", "--cite",
                          "connaughton-2003"], env=env)
    deadline = time.time() + 60
    while not list(rjw.glob(".events.toml.*.tmp")):
        assert p.poll() is None and time.time() < deadline
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert _files(rjw) == before
    assert invoke("check", data=rjw).exit_code == 0


# --------------------------------------------------------------------------- import


def test_import_every_format(rjw: Path):
    r = invoke("import", str(IMPORT / "rjw.bib"), data=rjw)
    assert r.exit_code == 0, r.stderr
    assert "connaughton-2003\n" in r.stdout and "kuropatkin-2002\n" in r.stdout
    assert f"skipped {IMPORT / 'rjw.bib'}:81: Connaughton1988" in r.stderr
    r = invoke("import", str(IMPORT / "rjw-zotero.json"), str(IMPORT / "rjw.ris"), data=rjw)
    assert r.exit_code == 0, r.stderr
    assert "wada-2009\n" in r.stdout and "kowner-2006\n" in r.stdout
    # Esthus 1981 is in rjw.bib already (same DOI): reported, not doubled
    assert f"{IMPORT / 'rjw.ris'}:57:" in r.stderr and "'esthus-1981' in the ledger" in r.stderr
    assert _ids(rjw, "source").count("esthus-1981") == 1
    works = {s["id"]: s for s in tomli.loads(
        (rjw / "sources.toml").read_text(encoding="utf-8"))["source"]}
    assert works["wada-2009"]["authors"] == ["和田, 春樹"]
    assert works["oye-2001"]["authors"] == ["van der Oye, David Schimmelpenninck"]
    # events: the csv has one bad row, so nothing is written and the row is named
    before = _files(rjw)
    r = invoke("import", str(IMPORT / "rjw-events.csv"), data=rjw)
    assert r.exit_code == 2
    assert f"{IMPORT / 'rjw-events.csv'}:7: date '1905-13-45'" in r.stderr
    assert _files(rjw) == before
    good = rjw.parent / "good.csv"
    good.write_text("\n".join((IMPORT / "rjw-events.csv").read_text(
        encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    r = invoke("import", str(good), data=rjw)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.split() == ["attack-on-port-arthur", "battle-of-mukden",
                                "battle-of-tsushima", "treaty-of-portsmouth"]
    sheet = rjw.parent / "sheet.csv"
    sheet.write_text("\n".join((IMPORT / "rjw-timelinejs.csv").read_text(
        encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    r = invoke("import", "--from", "timelinejs", "--cite", "kowner-2006", str(sheet), data=rjw)
    assert r.exit_code == 0, r.stderr
    # The Attack on Port Arthur and the Treaty are there already (same title and date)
    assert r.stdout.split() == ["battle-of-the-yellow-sea", "bloody-sunday-in-st-petersburg",
                                "portsmouth-peace-talks"]
    assert invoke("check", data=rjw).exit_code == 0


def test_import_dry_run_writes_nothing(rjw: Path):
    before = _files(rjw)
    r = invoke("import", "--dry-run", str(IMPORT / "rjw.ris"), data=rjw)
    assert r.exit_code == 0 and "kowner-2006" in r.stdout and "would add 7" in r.stderr
    assert _files(rjw) == before


def test_import_reads_back_the_timelinejs_json_that_export_writes(rjw: Path, tmp_path: Path):
    """`import --from timelinejs` is the inverse of `export timelinejs`: the JSON the export
    writes (a .json, which would otherwise be taken for CSL-JSON) reads back as events."""
    src = tmp_path / "src"
    assert invoke("init", str(src), data=None).exit_code == 0
    assert invoke("import", str(IMPORT / "rjw.bib"), data=src).exit_code == 0
    for title, date in (("Battle of Mukden", "20 Feb–10 Mar 1905"),
                        ("Treaty of Portsmouth", "23 Aug 1905 OS"), ("Sortie", "c. 1904")):
        assert invoke("add", "event", "--title", title, "--date", date, "--tag", "battle",
                      "--cite", "connaughton-2003", data=src).exit_code == 0
    out = tmp_path / "tl.json"
    assert invoke("export", "timelinejs", "-o", str(out), data=src).exit_code == 0
    assert invoke("import", str(IMPORT / "rjw.bib"), data=rjw).exit_code == 0
    for how in (["--from", "timelinejs"], []):
        r = invoke("import", "--dry-run", *how, "--cite", "esthus-1988", str(out), data=rjw)
        assert r.exit_code == 0, r.stderr
        assert r.stdout.split() == ["sortie", "battle-of-mukden", "treaty-of-portsmouth"]
    r = invoke("import", "--cite", "esthus-1988", str(out), data=rjw)
    assert r.exit_code == 0, r.stderr
    events = {e["id"]: e for e in tomli.loads(
        (rjw / "events.toml").read_text(encoding="utf-8"))["event"]}
    assert events["battle-of-mukden"]["date"] == "1905-02-20/1905-03-10"
    assert events["treaty-of-portsmouth"]["date"] == "1905-08-23"
    assert events["treaty-of-portsmouth"]["calendar"] == "julian"
    assert events["sortie"]["date"] == "1904~"


def test_import_of_a_broken_bib_is_one_clear_message(rjw: Path, tmp_path: Path):
    """bibtexparser logs its own warning to stderr and its exception has no text: the user
    got two messages, the farchron one ending in an empty reason."""
    bad = tmp_path / "bad.bib"
    bad.write_text("@book{x,\n title={Unbalanced\n", encoding="utf-8")
    before = _files(rjw)
    r = run("import", str(bad), data=rjw)
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == (
        f"farchron: {bad}:1: cannot read this BibTeX entry: Unexpectedly reached end of file.")
    assert "Parsing of" not in r.stderr and "Traceback" not in r.stderr
    assert _files(rjw) == before


def test_import_of_a_file_with_no_records_in_its_format_says_so(rjw: Path, tmp_path: Path):
    """A .ris or .bib that is something else (here a plain note) was 'added 0 records',
    exit 0: the user learnt nothing of the wrong file or wrong --from."""
    for name in ("notes.ris", "notes.bib"):
        odd = tmp_path / name
        odd.write_text("Remember to look up Witte's memoirs.\n", encoding="utf-8")
        r = invoke("import", str(odd), data=rjw)
        assert r.exit_code == 2, name
        assert f"{odd}:1: no " in r.stderr and "records in it" in r.stderr
    empty = tmp_path / "empty.ris"
    empty.write_text("", encoding="utf-8")
    assert invoke("import", str(empty), data=rjw).exit_code == 0  # nothing, and nothing odd


def test_import_needs_a_known_format(rjw: Path, tmp_path: Path):
    odd = tmp_path / "works.txt"
    odd.write_text("x", encoding="utf-8")
    r = invoke("import", str(odd), data=rjw)
    assert r.exit_code == 2 and "--from" in r.stderr


def test_jsonl_round_trip_of_the_shipped_ledger(tmp_path: Path):
    new = tmp_path / "new"
    assert run("init", str(new), data=None).returncode == 0
    shell = (f"sources -f jsonl; {sys.executable} -m farchron notes -f jsonl; "
             f"{sys.executable} -m farchron timeline -f jsonl) | {sys.executable} -m "
             f"farchron --data {new} import --from jsonl -")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", f"({sys.executable} -m farchron "
                        + shell], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                       env={**{k: v for k, v in os.environ.items()
                               if not k.startswith("FARCHRON_")},
                            "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    for cmd in (["timeline", "-f", "jsonl"], ["sources", "-f", "jsonl"],
                ["notes", "-f", "jsonl"]):
        a = run(*cmd, data=None, cwd=tmp_path).stdout
        b = run(*cmd, data=new).stdout
        assert a == b and a
    assert run("check", data=new).returncode == 0


# --------------------------------------------------------------------------- edit


def _editor(tmp_path: Path, code: str) -> str:
    script = tmp_path / "ed.py"
    script.write_text("import sys\nline, path = sys.argv[1], sys.argv[2]\n"
                      "assert line.startswith('+') and int(line[1:]) > 1\n"
                      "text = open(path, encoding='utf-8').read()\n" + code +
                      "open(path, 'w', encoding='utf-8').write(text)\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_edit_installs_a_valid_change(rjw: Path, tmp_path: Path):
    _with_works(rjw)
    invoke("add", "event", "--title", "Battle of Mukden", "--date", "1905",
           "--cite", "connaughton-2003", data=rjw)
    ed = _editor(tmp_path, "text = text.replace('date = \"1905\"', "
                           "'date = \"1905-02-20/1905-03-10\"')\n")
    r = run("edit", "battle-of-mukden", data=rjw, env={"VISUAL": ed})
    assert r.returncode == 0, r.stderr
    assert '"1905-02-20/1905-03-10"' in (rjw / "events.toml").read_text(encoding="utf-8")


def test_edit_keeps_the_ledger_when_the_result_is_invalid(rjw: Path, tmp_path: Path):
    _with_works(rjw)
    before = _files(rjw)
    ed = _editor(tmp_path, "text = text.replace('\\ntype = \"book\"', '\\ntype = \"bok\"', 1)\n")
    r = run("edit", "connaughton-2003", data=rjw, env={"EDITOR": ed, "VISUAL": ""})
    assert r.returncode == 1
    assert "your edited copy is" in r.stderr
    copy = Path(r.stderr.rsplit("your edited copy is ", 1)[1].strip())
    assert copy.is_file() and 'type = "bok"' in copy.read_text(encoding="utf-8")
    assert _files(rjw) == before
    copy.unlink()


def test_edit_of_an_unknown_id(rjw: Path):
    r = invoke("edit", "nope", data=rjw)
    assert r.exit_code == 2 and "no event, work or note 'nope'" in r.stderr


def test_edit_without_a_change(rjw: Path, tmp_path: Path):
    _with_works(rjw)
    before = _files(rjw)
    r = run("edit", "esthus-1988", data=rjw, env={"VISUAL": _editor(tmp_path, "")})
    assert r.returncode == 0 and "no changes" in r.stderr
    assert _files(rjw) == before


# --------------------------------------------------------------------------- on a terminal


def _on_a_terminal(folder: Path, args: list[str], answers: str,
                   env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run farchron with stdin, stdout and stderr on a pseudo-terminal, typing `answers`."""
    import pty

    master, slave = pty.openpty()
    full = {k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")}
    full.update({"FARCHRON_NO_CACHE": "1", "NO_COLOR": "1", **(env or {})})
    proc = subprocess.Popen([sys.executable, "-m", "farchron", "--data", str(folder), *args],
                            stdin=slave, stdout=slave, stderr=slave, env=full)
    os.close(slave)
    os.write(master, answers.encode())
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_add_on_a_terminal_asks_for_what_is_missing(rjw: Path):
    _with_works(rjw)
    code, out = _on_a_terminal(rjw, ["add", "event", "--tag", "battle"],
                               "Battle of Mukden\n1905-02-20/1905-03-10\n"
                               "connaughton-2003:270-301\n")
    assert code == 0, out
    assert "Title:" in out and "Date" in out and "Citation" in out
    assert "battle-of-mukden" in out
    doc = tomli.loads((rjw / "events.toml").read_text(encoding="utf-8"))
    assert doc["event"][0]["citations"] == [{"source": "connaughton-2003",
                                             "pages": "270-301"}]


def test_edit_on_a_terminal_offers_to_discard(rjw: Path, tmp_path: Path):
    _with_works(rjw)
    before = _files(rjw)
    ed = _editor(tmp_path, "text = text.replace('\\ntype = \"book\"', '\\ntype = \"bok\"', 1)\n")
    code, out = _on_a_terminal(rjw, ["edit", "connaughton-2003"], "d\n", env={"VISUAL": ed})
    assert code == 1, out
    assert "type 'bok' is not a CSL item type" in out and "(e)dit again" in out
    assert "discarded" in out
    assert _files(rjw) == before


def test_import_names_every_bad_row_by_its_input_line(rjw: Path, tmp_path: Path):
    _with_works(rjw)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,title,cite\n1905,Good row,connaughton-2003\n"
                   "1905-13,Bad date,connaughton-2003\n1906,Unknown work,nowhere:3\n"
                   "1907,Unknown note,note:4\n", encoding="utf-8")
    before = _files(rjw)
    r = invoke("import", str(bad), data=rjw)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"farchron: {bad}:3: date '1905-13' is not a date farchron can read",
        f"farchron: {bad}:4: event 'unknown-work' cites unknown source 'nowhere'",
        f"farchron: {bad}:5: event 'unknown-note' cites note 4, which sources.toml does "
        "not have",
        "farchron: nothing imported: 3 rows cannot be imported"]
    assert _files(rjw) == before
    bad.write_text("date,title,cite\n1905,Good row,connaughton-2003\n"
                   "1906,Unknown work,nowhere:3\n", encoding="utf-8")
    r = invoke("import", str(bad), data=rjw)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"farchron: {bad}:3: event 'unknown-work' cites unknown source 'nowhere'",
        "farchron: nothing written: the ledger would not check"]
    assert _files(rjw) == before
