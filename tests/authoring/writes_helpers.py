"""What the write-side tests share: a small Tanzimat-era ledger, editor scripts, real
processes of farchron (these tests are about processes racing and dying)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import tomli

from tests.conftest import invoke

WORKS = """\
[[source]]
id = "davison-1963"
type = "book"
authors = ["Davison, Roderic H."]
title = "Reform in the Ottoman Empire, 1856-1876"
publisher = "Princeton University Press"
issued = "1963"

[[source]]
id = "inalcik-1973"
type = "book"
authors = ["İnalcık, Halil"]
title = "The Ottoman Empire: The Classical Age"
issued = "1973"
"""

EVENTS = [("Edict of Gülhane", "1839-11-03", "davison-1963:36-40"),
          ("Reform Edict of 1856", "1856-02-18", "davison-1963:52-80"),
          ("First Ottoman Constitution", "1876-12-23", "davison-1963:358-408")]


def make_ledger(folder: Path) -> Path:
    """A new ledger (init) with two works and three events, added the way a user would."""
    r = invoke("init", str(folder), data=None)
    assert r.exit_code == 0, r.output
    with open(folder / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write("\n" + WORKS)
    for title, date, cite in EVENTS:
        r = invoke("add", "event", "--title", title, "--date", date, "--cite", cite,
                   data=folder)
        assert r.exit_code == 0, r.stderr
    return folder


def env(**more: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("FARCHRON_") and k not in ("PYTHONUNBUFFERED",)}
    base.update({"FARCHRON_NO_CACHE": "1", "NO_COLOR": "1"})
    base.update(more)
    return base


def farchron(folder: Path, *args: str, **kw: object) -> subprocess.Popen[str]:
    """Start farchron as a real process (not waited for)."""
    kw.setdefault("env", env())
    return subprocess.Popen([sys.executable, "-m", "farchron", "--data", str(folder), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kw)  # type: ignore[call-overload]


def run(folder: Path, *args: str, timeout: float = 60, **kw: object
        ) -> subprocess.CompletedProcess[str]:
    p = farchron(folder, *args, **kw)
    out, err = p.communicate(timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def editor(tmp: Path, body: str, name: str = "ed.py") -> str:
    """An $EDITOR command running `body` with `line` (+N) and `path` (the copy) set, and
    `text` the copy's contents; it writes `text` back unless `body` sets text = None."""
    script = tmp / name
    script.write_text("import os, sys, time, subprocess, pathlib\n"
                      "line, path = sys.argv[1], sys.argv[2]\n"
                      "text = open(path, encoding='utf-8').read()\n"
                      + textwrap.dedent(body) +
                      "\nif text is not None:\n"
                      "    open(path, 'w', encoding='utf-8').write(text)\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def records(folder: Path, table: str) -> list[dict[str, object]]:
    name = "events.toml" if table == "event" else "sources.toml"
    doc = tomli.loads((folder / name).read_text(encoding="utf-8"))
    return list(doc.get(table, []))


def ids(folder: Path, table: str = "event") -> list[str]:
    return [str(r["id"]) for r in records(folder, table)]


def checks(folder: Path) -> subprocess.CompletedProcess[str]:
    return run(folder, "check")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.toml"))}


def on_a_terminal(folder: Path, args: list[str], answers: str,
                  extra: dict[str, str] | None = None) -> tuple[int, str]:
    """Run farchron with stdin, stdout and stderr on a pseudo-terminal, typing `answers`;
    the exit status and everything the terminal showed."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "farchron", "--data", str(folder), *args],
                            stdin=slave, stdout=slave, stderr=slave, env=env(**(extra or {})))
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
