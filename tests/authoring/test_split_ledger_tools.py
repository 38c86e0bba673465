"""The writing tools on a ledger split by `include`: `fmt`, `edit`, `diff` (folders and git
revisions) and git's merge driver see the parts as the loader does. The ledger is the
Taiping Rebellion, 1851-1853, dates read from Qing reign years, in two chapter files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli
from conftest import invoke

EVENTS = '''\
include = ["chapters/*.toml"]

[[event]]
id = "taiping-rebellion"
title = "Taiping Rebellion"
date = "1850-12/1864-07"
summary = "A millenarian movement's war against the Qing dynasty."
citations = [{ source = "spence-1996", pages = "xxi" }]
'''

CHAPTER_1851 = '''\
[[event]]
id = "jintian-uprising"
title = "Jintian Uprising"
date = "1851-01-11"
part-of = "taiping-rebellion"
citations = [{ source = "spence-1996", pages = "130" }]

[[event]]
id = "heavenly-kingdom-proclaimed"
title = "Heavenly Kingdom proclaimed"
date = "1851-09"
part-of = "taiping-rebellion"
citations = [{ source = "spence-1996", pages = "140" }]
'''

CHAPTER_1853 = '''\
[[event]]
id = "fall-of-nanjing"
title = "Fall of Nanjing to the Taiping"
date = "1853-03-19"
date-as-printed = "咸豐三年二月十日"
part-of = "taiping-rebellion"
citations = [{ source = "spence-1996", pages = "180" }]

[[event]]
id = "northern-expedition"
title = "Northern Expedition begins"
date = "1853-05"
part-of = "taiping-rebellion"
citations = [{ source = "spence-1996", pages = "200" }]
'''

SOURCES = '''\
[[source]]
id = "spence-1996"
type = "book"
authors = ["Spence, Jonathan D."]
title = "God's Chinese Son"
publisher = "W. W. Norton"
issued = "1996"
'''


def _ledger(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "events.toml").write_text(EVENTS, encoding="utf-8")
    (root / "sources.toml").write_text(SOURCES, encoding="utf-8")
    (root / "chapters" / "1851.toml").write_text(CHAPTER_1851, encoding="utf-8")
    (root / "chapters" / "1853.toml").write_text(CHAPTER_1853, encoding="utf-8")
    return root


def _swap_records(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    cut = text.index("[[event]]", 1)
    path.write_text(text[cut:].rstrip("\n") + "\n\n" + text[:cut].rstrip("\n") + "\n",
                    encoding="utf-8")


def test_fmt_puts_each_part_in_order_and_check_flags_it(tmp_path: Path):
    led = _ledger(tmp_path / "taiping")
    assert invoke("--data", str(led), "fmt", "--check").exit_code == 0
    part = led / "chapters" / "1853.toml"
    _swap_records(part)
    swapped = part.read_bytes()
    main_before = (led / "events.toml").read_bytes()
    r = invoke("--data", str(led), "fmt", "--check")
    assert r.exit_code == 1
    assert "chapters/1853.toml: not in canonical order" in r.stderr
    assert part.read_bytes() == swapped  # --check changes nothing
    r = invoke("--data", str(led), "fmt")
    assert r.exit_code == 0, r.stderr
    assert "reformatted" in r.stderr and "1853.toml" in r.stderr
    ids = [e["id"] for e in tomli.loads(part.read_text(encoding="utf-8"))["event"]]
    assert ids == ["fall-of-nanjing", "northern-expedition"]
    assert (led / "events.toml").read_bytes() == main_before
    assert invoke("--data", str(led), "fmt", "--check").exit_code == 0


def _editor(tmp_path: Path, old: str, new: str) -> str:
    """An $EDITOR that replaces one line of the copy it is given (after `+LINE`)."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        f"open(path, 'w', encoding='utf-8').write(text.replace({old!r}, {new!r}))\n",
        encoding="utf-8")
    return f"{sys.executable} {script}"


def test_edit_finds_a_record_in_a_part_and_writes_that_part(tmp_path: Path, monkeypatch):
    led = _ledger(tmp_path / "taiping")
    main_before = (led / "events.toml").read_bytes()
    other_before = (led / "chapters" / "1851.toml").read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, 'date = "1853-05"', 'date = "1853-05-08"'))
    monkeypatch.delenv("VISUAL", raising=False)
    r = invoke("--data", str(led), "edit", "northern-expedition")
    assert r.exit_code == 0, r.stderr
    assert "chapters/1853.toml: northern-expedition saved" in r.stderr
    doc = tomli.loads((led / "chapters" / "1853.toml").read_text(encoding="utf-8"))
    assert {e["id"]: e["date"] for e in doc["event"]}["northern-expedition"] == "1853-05-08"
    assert (led / "events.toml").read_bytes() == main_before
    assert (led / "chapters" / "1851.toml").read_bytes() == other_before


def test_edit_of_a_part_that_breaks_the_ledger_is_refused_at_the_copy_line(
        tmp_path: Path, monkeypatch):
    led = _ledger(tmp_path / "taiping")
    before = (led / "chapters" / "1851.toml").read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, 'source = "spence-1996", pages = "130"',
                                         'source = "spense-1996", pages = "130"'))
    monkeypatch.delenv("VISUAL", raising=False)
    r = invoke("--data", str(led), "edit", "jintian-uprising")
    assert r.exit_code == 1
    assert "spense-1996" in r.stderr
    assert (led / "chapters" / "1851.toml").read_bytes() == before


def test_diff_of_two_folders_reads_the_parts_and_ignores_a_move_between_them(
        tmp_path: Path):
    old = _ledger(tmp_path / "old")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    # move the Jintian Uprising into the 1853 chapter: the same record, no change
    a = (new / "chapters" / "1851.toml").read_text(encoding="utf-8")
    cut = a.index("[[event]]", 1)
    (new / "chapters" / "1851.toml").write_text(a[cut:], encoding="utf-8")
    b = (new / "chapters" / "1853.toml").read_text(encoding="utf-8")
    (new / "chapters" / "1853.toml").write_text(a[:cut] + b, encoding="utf-8")
    r = invoke("--data", str(old), "diff", str(old), str(new))
    assert r.exit_code == 1, r.output  # nothing changed
    (new / "chapters" / "1853.toml").write_text(
        (new / "chapters" / "1853.toml").read_text(encoding="utf-8").replace(
            '"1853-05"', '"1853-05-08"'), encoding="utf-8")
    r = invoke("--data", str(old), "diff", str(old), str(new))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "event\tnorthern-expedition\tdate refined\t1853-05\t1853-05-08"]


git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", HOME=str(home),
               FARCHRON_NO_CACHE="1", GIT_TERMINAL_PROMPT="0")
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    return r


def _far(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "farchron", "--data", str(cwd), *args], cwd, env)


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    r = _run(["git", *args], cwd, env)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r.stdout


@git
def test_diff_of_git_revisions_reads_each_revisions_parts(tmp_path: Path):
    env = _env(tmp_path)
    led = _ledger(tmp_path / "taiping")
    _git(led, env, "init", "-q", "-b", "main")
    _git(led, env, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    _git(led, env, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "1")
    (led / "chapters" / "1855.toml").write_text(
        '[[event]]\nid = "end-of-northern-expedition"\ntitle = "End of the Northern '
        'Expedition"\ndate = "1855-05-31"\npart-of = "taiping-rebellion"\n'
        'citations = [{ source = "spence-1996", pages = "231" }]\n', encoding="utf-8")
    r = _far(led, env, "diff")  # HEAD against the folder: a new part, a new event
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\t")[:3] == ["event", "end-of-northern-expedition", "event added"]
    _git(led, env, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    _git(led, env, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "2")
    r = _far(led, env, "diff", "HEAD~1", "HEAD")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\t")[:3] == ["event", "end-of-northern-expedition", "event added"]
    assert _far(led, env, "diff", "HEAD", "HEAD").returncode == 1


@git
def test_init_git_names_the_parts_and_two_adds_to_one_part_merge(tmp_path: Path):
    env = _env(tmp_path)
    seed = _ledger(tmp_path / "seed")
    _git(seed, env, "init", "-q", "-b", "main")
    r = _far(seed, env, "init", "--git", str(seed))
    assert r.returncode == 0, r.stderr
    attributes = (seed / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "chapters/*.toml merge=farchron diff=farchron" in attributes
    _git(seed, env, "add", "-A")
    _git(seed, env, "-c", "user.name=S", "-c", "user.email=s@example.org", "commit", "-qm", "s")
    bare = tmp_path / "shared.git"
    _git(tmp_path, env, "clone", "-q", "--bare", str(seed), str(bare))
    clones = []
    for name, title, date in (("hong", "Battle of Huaiqing", "1853-07"),
                              ("yang", "Siege of Tianjing begins", "1853-03-20")):
        path = tmp_path / name
        _git(tmp_path, env, "clone", "-q", str(bare), str(path))
        for k, v in (("user.name", name), ("user.email", f"{name}@example.org"),
                     ("pull.rebase", "false")):
            _git(path, env, "config", k, v)
        assert _far(path, env, "init", "--git", str(path)).returncode == 0
        r = _far(path, env, "add", "event", "--title", title, "--date", date, "--cite",
                 "spence-1996:205", "--file", "chapters/1853.toml")
        assert r.returncode == 0, r.stderr
        _git(path, env, "commit", "-qam", title)
        clones.append(path)
    _git(clones[0], env, "push", "-q", "origin", "main")
    pull = _run(["git", "pull", "-q", "--no-edit", "origin", "main"], clones[1], env)
    assert pull.returncode == 0, pull.stdout + pull.stderr
    assert "CONFLICT" not in pull.stdout + pull.stderr
    assert _far(clones[1], env, "check").returncode == 0
    doc = tomli.loads((clones[1] / "chapters" / "1853.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in doc["event"]] == [
        "fall-of-nanjing", "siege-of-tianjing-begins", "northern-expedition",
        "battle-of-huaiqing"]


def test_adds_into_a_new_part_are_laid_out_like_the_main_file(tmp_path: Path):
    led = _ledger(tmp_path / "taiping")
    for title, date in (("Battle of Sanhe", "1858-11"), ("Fall of Anqing", "1861-09-05")):
        r = invoke("--data", str(led), "add", "event", "--title", title, "--date", date,
                   "--cite", "spence-1996:290", "--file", "chapters/1858.toml")
        assert r.exit_code == 0, r.stderr
    text = (led / "chapters" / "1858.toml").read_text(encoding="utf-8")
    assert text.startswith("[[event]]\n")
    assert text.count("\n\n[[event]]\n") == 1  # one blank line between the two records
    assert invoke("--data", str(led), "fmt", "--check").exit_code == 0
