"""A ledger shared through git (issue 25): real git, temporary repositories, two clones.

Each test builds its own bare repository and clones under tmp_path, with the user's git
configuration shut out (GIT_CONFIG_GLOBAL=/dev/null), so tests run in parallel safely.
The ledger is a small Ottoman one (another region and calendar than the shipped ledger).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SOURCES = '''[[source]]
id = "finkel-2005"
type = "book"
authors = ["Finkel, Caroline"]
title = "Osman's Dream"
issued = "2005"
'''


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", HOME=str(home),
               FARCHRON_NO_CACHE="1", GIT_TERMINAL_PROMPT="0")
    return env


class Repo:
    """One clone, with git and farchron run as real processes inside it."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path, self.env = path, env

    def git(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        r = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True,
                           text=True, env=self.env, timeout=60)
        if ok:
            assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    def farchron(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "farchron", "--data", str(self.path),
                               *args], capture_output=True, text=True, env=self.env,
                              timeout=120,
                              cwd=self.path if self.path.is_dir() else self.path.parent)

    def add_events(self, events: list[tuple[str, str]]) -> None:
        """`farchron add event` for each (title, date): one import of a jsonl file is the
        same writer; one process per event would make the test slow."""
        import json

        feed = self.path.parent / f"{self.path.name}-feed.jsonl"
        feed.write_text("".join(json.dumps({"title": t, "date": d, "citations": [
            {"source": "finkel-2005"}]}) + "\n" for t, d in events), encoding="utf-8")
        r = self.farchron("import", "--from", "jsonl", str(feed))
        assert r.returncode == 0, r.stderr
        assert r.stdout.count("\n") >= 0

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def events(self) -> dict[str, dict[str, object]]:
        doc = tomli.loads((self.path / "events.toml").read_text(encoding="utf-8"))
        return {e["id"]: e for e in doc.get("event", [])}


def _base_events(years: range) -> str:
    out = ["# Ottoman chronology, kept by two people\n"]
    for y in years:
        out.append(f'\n[[event]]\nid = "year-{y}"\ntitle = "Register of {y}"\n'
                   f'date = "{y}"\ncitations = [{{ source = "finkel-2005" }}]\n')
    return "".join(out)


def _shared(tmp_path: Path, events: str, *, driver: bool) -> tuple[Repo, Repo]:
    """A bare repository holding the ledger, and two clones (with `init --git` run in
    each when `driver`)."""
    env = _env(tmp_path)
    seed = Repo(tmp_path / "seed", env)
    seed.path.mkdir()
    seed.git("init", "-q", "-b", "main")
    for k, v in (("user.name", "Seed"), ("user.email", "seed@example.org")):
        seed.git("config", k, v)
    (seed.path / "events.toml").write_text(events, encoding="utf-8")
    (seed.path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    if driver:
        r = seed.farchron("init", "--git", str(seed.path))
        assert r.returncode == 0, r.stderr
        assert (seed.path / ".gitattributes").is_file()
    seed.commit("a shared ledger")
    bare = tmp_path / "shared.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(seed.path), str(bare)], env=env,
                   check=True, capture_output=True)
    clones = []
    for name in ("ayse", "mehmet"):
        subprocess.run(["git", "clone", "-q", str(bare), str(tmp_path / name)], env=env,
                       check=True, capture_output=True)
        repo = Repo(tmp_path / name, env)
        repo.git("config", "user.name", name)
        repo.git("config", "user.email", f"{name}@example.org")
        repo.git("config", "pull.rebase", "false")
        if driver:
            r = repo.farchron("init", "--git", str(repo.path))
            assert r.returncode == 0, r.stderr
            assert not repo.git("status", "--porcelain").stdout.strip()  # nothing to commit
        clones.append(repo)
    return clones[0], clones[1]


def test_git_twenty_adds_each_in_different_years_pull_cleanly_without_a_driver(
        tmp_path: Path):
    a, b = _shared(tmp_path, _base_events(range(1800, 1841)), driver=False)
    assert not (a.path / ".gitattributes").exists()  # plain git: no driver at all
    a.add_events([(f"Ayse's entry {i}", f"{1800 + 2 * i}-06") for i in range(20)])
    b.add_events([(f"Mehmet's entry {i}", f"{1801 + 2 * i}-03-15") for i in range(20)])
    a.commit("twenty events in even years")
    a.git("push", "-q", "origin", "main")
    b.commit("twenty events in odd years")
    pull = b.git("pull", "-q", "origin", "main", ok=False)
    assert pull.returncode == 0, pull.stdout + pull.stderr
    assert "CONFLICT" not in pull.stdout + pull.stderr
    got = b.events()
    assert len(got) == 41 + 40
    assert b.farchron("check").returncode == 0
    # the merged file is still in date order: each record at its place
    dates = [e["date"] for e in got.values()]
    text = (b.path / "events.toml").read_text(encoding="utf-8")
    assert text.index('"ayses-entry-3"') < text.index('"year-1807"') \
        < text.index('"mehmets-entry-3"') < text.index('"year-1808"'), dates


def test_git_driver_merges_same_month_adds_and_different_fields_of_one_event(
        tmp_path: Path):
    a, b = _shared(tmp_path, _base_events(range(1820, 1830)), driver=True)
    assert "merge=farchron" in (a.path / ".gitattributes").read_text(encoding="utf-8")
    a.add_events([("Janissary pay riot", "1826-06-14"), ("Auspicious Incident", "1826-06-15")])
    b.add_events([("Decree read in the mosque", "1826-06-16"),
                  ("New army founded", "1826-06-17")])
    ev = a.path / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace(
        'title = "Register of 1826"', 'title = "Register of 1826 (revised)"'), encoding="utf-8")
    ev = b.path / "events.toml"
    ev.write_text(ev.read_text(encoding="utf-8").replace(
        'date = "1826"\ncitations', 'date = "1826-06"\ncitations'), encoding="utf-8")
    a.commit("two June 1826 events; a better title")
    a.git("push", "-q", "origin", "main")
    b.commit("two more June 1826 events; the month")
    pull = b.git("pull", "-q", "origin", "main", ok=False)
    assert pull.returncode == 0, pull.stdout + pull.stderr
    got = b.events()
    assert {"janissary-pay-riot", "auspicious-incident", "decree-read-in-the-mosque",
            "new-army-founded"} <= set(got)
    assert got["year-1826"]["title"] == "Register of 1826 (revised)"
    assert got["year-1826"]["date"] == "1826-06"
    chk = b.farchron("check")
    assert chk.returncode == 0, chk.stdout + chk.stderr
    text = (b.path / "events.toml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and "merge-conflict" not in text
    order = [text.index(f'"{i}"') for i in ("janissary-pay-riot", "auspicious-incident",
                                             "decree-read-in-the-mosque", "new-army-founded")]
    assert order == sorted(order)


def test_git_same_field_changed_on_both_sides_leaves_a_conflict_check_reports(
        tmp_path: Path):
    a, b = _shared(tmp_path, _base_events(range(1450, 1456)), driver=True)
    for repo, date in ((a, "1453-05-29"), (b, "1453-05-30")):
        ev = repo.path / "events.toml"
        ev.write_text(ev.read_text(encoding="utf-8").replace(
            'date = "1453"', f'date = "{date}"'), encoding="utf-8")
    a.commit("the fall: 29 May")
    a.git("push", "-q", "origin", "main")
    b.commit("the fall: 30 May")
    pull = b.git("pull", "origin", "main", ok=False)
    assert pull.returncode != 0 and "CONFLICT" in pull.stdout
    text = (b.path / "events.toml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    doc = tomli.loads(text)  # still parseable: every other record usable
    assert len(doc["event"]) == 6
    line = next(n for n, ln in enumerate(text.split("\n"), 1)
                if ln.startswith("merge-conflict"))
    chk = b.farchron("check")
    assert chk.returncode == 1
    assert f"events.toml:{line}: unresolved merge conflict in event 'year-1453'" in chk.stdout
    assert "'1453-05-30' on our side, '1453-05-29' on theirs" in chk.stdout


def test_git_markers_without_the_driver_are_named_as_a_conflict(tmp_path: Path):
    a, b = _shared(tmp_path, _base_events(range(1450, 1453)), driver=False)
    for repo, title in ((a, "Register (A)"), (b, "Register (B)")):
        ev = repo.path / "events.toml"
        ev.write_text(ev.read_text(encoding="utf-8").replace(
            'title = "Register of 1451"', f'title = "{title}"'), encoding="utf-8")
        repo.commit(title)
    a.git("push", "-q", "origin", "main")
    assert b.git("pull", "origin", "main", ok=False).returncode != 0
    text = (b.path / "events.toml").read_text(encoding="utf-8")
    line = next(n for n, ln in enumerate(text.split("\n"), 1) if ln.startswith("<<<<<<<"))
    chk = b.farchron("check")
    assert chk.returncode != 0
    assert (f"unresolved merge conflict at {b.path / 'events.toml'}:{line}; resolve it or "
            "run farchron merge") in chk.stdout + chk.stderr


def test_git_union_merge_is_never_suggested(tmp_path: Path):
    env = _env(tmp_path)
    ledger = Repo(tmp_path / "new", env)
    r = ledger.farchron("init", str(ledger.path))
    assert r.returncode == 0, r.stderr
    attrs = (ledger.path / ".gitattributes").read_text(encoding="utf-8")
    assert "union" not in attrs and "events.toml merge=farchron" in attrs
    assert ".farchron.lock" in (ledger.path / ".gitignore").read_text(encoding="utf-8")
    helps = ledger.farchron("merge", "--help").stdout + ledger.farchron("init", "--help").stdout
    assert "merge=union" not in helps
    readme = Path(__file__).resolve().parents[2] / "README.md"
    for line in readme.read_text(encoding="utf-8").split("\n"):
        if "merge=union" in line:
            assert "never" in line.lower() or "not" in line.lower(), line


def test_git_diff_names_each_change_between_two_revisions(tmp_path: Path):
    """Two commits of a small history: every kind of change named once, by id."""
    a, _ = _shared(tmp_path, _base_events(range(1683, 1687)), driver=True)
    ev = a.path / "events.toml"
    text = ev.read_text(encoding="utf-8")
    text = text.replace('date = "1683"', 'date = "1683-09-12"')  # refined
    text = text.replace('date = "1684"', 'date = "1690"')  # changed
    text = text.replace('title = "Register of 1685"\ndate = "1685"\ncitations = '
                        '[{ source = "finkel-2005" }]',
                        'title = "Register of 1685"\ndate = "1685"\nsummary = "A census."\n'
                        'citations = [{ source = "finkel-2005", pages = "280" }]')
    text = text.replace('[[event]]\nid = "year-1686"', '[[event]]\nid = "siege-of-buda"')
    ev.write_text(text, encoding="utf-8")
    src = a.path / "sources.toml"
    src.write_text(src.read_text(encoding="utf-8").replace('"2005"', '"2006"'),
                   encoding="utf-8")
    a.commit("second reading")
    r = a.farchron("diff", "HEAD~1", "HEAD", "-f", "tsv")
    assert r.returncode == 0, r.stderr
    rows = {tuple(line.split("\t")[:3]) for line in r.stdout.splitlines()}
    assert rows == {
        ("event", "year-1683", "date refined"), ("event", "year-1684", "date changed"),
        ("event", "year-1685", "summary added"), ("event", "year-1685", "citation added"),
        ("event", "year-1685", "citation removed"), ("event", "year-1686", "event removed"),
        ("event", "siege-of-buda", "event added"), ("work", "finkel-2005",
                                                    "work corrected: issued")}
    assert "1683\t1683-09-12" in r.stdout
    assert a.farchron("diff", "HEAD", "HEAD").returncode == 1  # nothing changed
    # and as git's textconv: `git log -p` works with the driver registered
    log = a.git("log", "-p", "-1", "--", "events.toml")
    assert '+date = "1683-09-12"' in log.stdout


def test_git_diff_of_the_shipped_ledgers_own_history():
    """The repository's own events.toml history (a checkout only): a second reading
    that refined and widened dates and dropped citations is named as such."""
    root = Path(__file__).resolve().parents[2]
    env = _env(Path("/nonexistent"))
    probe = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet",
                            "a968bbc^{commit}"], capture_output=True, text=True, env=env)
    if probe.returncode != 0:
        pytest.skip("not a git checkout with the ledger's history")
    r = subprocess.run([sys.executable, "-m", "farchron", "--data", str(root), "diff",
                        "a968bbc~1", "a968bbc", "-f", "json"], capture_output=True,
                       text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    import json

    got = {(c["id"], c["change"]): c for c in json.loads(r.stdout)}
    assert got[("soviet-invasion-timed-mid-august", "date refined")]["new"] == \
        "1945-08-11~/1945-08-20~"
    assert got[("sino-soviet-war-1929", "date widened")]["old"] == "1929-10"
    assert ("holodomor", "citation removed") in got
    assert got[("togo-telegram-to-sato-july-12", "date rewritten")]["old"] == \
        "1945-07-12T20:50"
