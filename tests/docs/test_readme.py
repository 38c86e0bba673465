"""The README's and the manual's examples are real output: every ```console block is run
and compared.

A block holds `$ command` lines, each followed by the output it must print (trailing
spaces ignored). Commands run in bash from an empty folder, so the shipped ledger is used.
Blocks after a `<!-- session: NAME -->` line are one session instead: their commands run
in order, as one test, in one folder that starts with docs/examples/ copied to examples/
(a walkthrough that builds a ledger step by step). The pages read are README.md and every
docs/**/*.md; a session belongs to its page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
TEXTS = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in PAGES}
README = TEXTS["README.md"]
SESSION = re.compile(r"^<!-- session: ([\w-]+) -->\n```console\n(.*?)^```", re.S | re.M)


def _blocks(text: str) -> list[str]:
    sessions = {m.group(2) for m in SESSION.finditer(text)}
    return [b for b in re.findall(r"^```console\n(.*?)^```", text, flags=re.S | re.M)
            if b not in sessions]


BLOCKS = _blocks(README)


def _commands(block: str) -> list[tuple[str, str]]:
    out = []
    cmd, lines = None, []
    for line in block.splitlines():
        if line.startswith("$ "):
            if cmd is not None:
                out.append((cmd, "\n".join(lines)))
            cmd, lines = line[2:], []
        else:
            lines.append(line)
    if cmd is not None:
        out.append((cmd, "\n".join(lines)))
    return out


def _sessions() -> dict[str, list[tuple[str, str]]]:
    """Sessions by "PAGE: NAME" (the README's by NAME alone, as before)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for page, text in TEXTS.items():
        for m in SESSION.finditer(text):
            key = m.group(1) if page == "README.md" else f"{page}: {m.group(1)}"
            out.setdefault(key, []).extend(_commands(m.group(2)))
    return out


SESSIONS = _sessions()


def _examples(blocks: list[str]) -> list[tuple[str, str]]:
    out = []
    for block in blocks:
        cmd, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd is not None:
                    out.append((cmd, "\n".join(lines)))
                cmd, lines = line[2:], []
            else:
                lines.append(line)
        if cmd is not None:
            out.append((cmd, "\n".join(lines)))
    return out


EXAMPLES = _examples(BLOCKS)
DOC_EXAMPLES = [(page, cmd, out) for page, text in TEXTS.items() if page != "README.md"
                for cmd, out in _examples(_blocks(text))]


def test_readme_has_examples_and_pipes():
    cmds = [c for c, _ in EXAMPLES]
    assert len(cmds) >= 4
    assert any("| jq" in c for c in cmds) and any("| cut" in c for c in cmds)


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(command: str, expected: str, tmp_path: Path):
    _skip_or_run(command, expected, tmp_path)


@pytest.mark.parametrize(("page", "command", "expected"), DOC_EXAMPLES,
                         ids=[f"{p}: {c}" for p, c, _ in DOC_EXAMPLES])
def test_docs_example(page: str, command: str, expected: str, tmp_path: Path):
    _skip_or_run(command, expected, tmp_path)


def _skip_or_run(command: str, expected: str, tmp_path: Path) -> None:
    import shutil

    for tool in ("jq", "pandoc", "fzf"):  # CI installs them; a bare machine skips those
        if f"| {tool}" in command and shutil.which(tool) is None and not os.environ.get("CI"):
            pytest.skip(f"{tool} is not installed")
    if "&& sqlite3 " in command and shutil.which("sqlite3") is None \
            and not os.environ.get("CI"):
        pytest.skip("sqlite3 is not installed")
    _run_and_compare(command, expected, tmp_path)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FARCHRON_", "FORCE_"))}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
               COLUMNS="100", NO_COLOR="1", FARCHRON_NO_CACHE="1")
    for name in ("VISUAL", "EDITOR"):
        env.pop(name, None)
    return env


def _run_and_compare(command: str, expected: str, folder: Path) -> None:
    r = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=folder, env=_env(),
                       capture_output=True, text=True, timeout=120)
    got = "\n".join(line.rstrip() for line in r.stdout.rstrip("\n").splitlines())
    want = "\n".join(line.rstrip() for line in expected.rstrip("\n").splitlines())
    assert got == want, f"{command}\n{r.stderr}"


@pytest.mark.parametrize("name", list(SESSIONS))
def test_readme_session(name: str, tmp_path: Path):
    import shutil

    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "examples")
    for command, expected in SESSIONS[name]:
        tool = command.split("=", 1)[1].strip("\"'").split()[0] if command.startswith(
            ("EDITOR=", "VISUAL=")) else None
        if tool and shutil.which(tool) is None and not os.environ.get("CI"):
            pytest.skip(f"{tool} is not installed")  # the last step of a session only
        _run_and_compare(command, expected, tmp_path)
