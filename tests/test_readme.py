"""The README's examples are real output: every ```console block is run and compared.

A block holds `$ command` lines, each followed by the output it must print (trailing
spaces ignored). Commands run in bash from an empty folder, so the shipped ledger is used.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```console\n(.*?)^```", README, flags=re.S | re.M)


def _examples() -> list[tuple[str, str]]:
    out = []
    for block in BLOCKS:
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


EXAMPLES = _examples()


def test_readme_has_examples_and_pipes():
    cmds = [c for c, _ in EXAMPLES]
    assert len(cmds) >= 4
    assert any("| jq" in c for c in cmds) and any("| cut" in c for c in cmds)


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(command: str, expected: str, tmp_path: Path):
    import shutil

    for tool in ("jq", "pandoc"):  # CI installs them; a bare machine skips those examples
        if f"| {tool}" in command and shutil.which(tool) is None and not os.environ.get("CI"):
            pytest.skip(f"{tool} is not installed")
    if "&& sqlite3 " in command and shutil.which("sqlite3") is None \
            and not os.environ.get("CI"):
        pytest.skip("sqlite3 is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FARCHRON_", "FORCE_"))}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
               COLUMNS="100", NO_COLOR="1", FARCHRON_NO_CACHE="1")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    got = "\n".join(line.rstrip() for line in r.stdout.rstrip("\n").splitlines())
    want = "\n".join(line.rstrip() for line in expected.rstrip("\n").splitlines())
    assert got == want, r.stderr
