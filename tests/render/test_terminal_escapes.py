"""No escape sequence from the data reaches a terminal: every field of every record holds
OSC 52 (clipboard), ESC[2J (clear screen), OSC 0 (window title), the 8-bit CSI, a
right-to-left override and zero-width characters, and every command and format runs on
a pseudo-terminal. Only Rich's own colour codes (SGR) may appear."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

if not sys.platform.startswith(("linux", "darwin")):
    pytest.skip("needs a pseudo-terminal", allow_module_level=True)

import pty

#: As TOML escapes: what a hostile ledger can hold (TOML allows \u001b in strings).
EVIL = ("\\u001b]52;c;SGVsbG8=\\u0007\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m"
        "\\u202e\\u200b\\u200d\\u2060\\ufeff\\u0085\\u0007")


def _ledger(folder: Path) -> Path:
    e = EVIL
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "events.toml").write_text(f'''
[[event]]
id = "evil"
title = "Nomonhan {e} title"
date = "1939-05/1939-09"
summary = "Summary {e} text"
aliases = ["Alias {e}"]
tags = ["tag{e}", "battle"]
actors = ["Actor {e}"]
places = ["Place {e}"]
citations = [{{ note = 1 }}, {{ source = "work", pages = "p{e}", section = "s{e}" }}]
"unknown{e}" = 1

[[event]]
id = "plain"
title = "Nomonhan plain"
date = "1939"
tags = ["other{e}"]
citations = [{{ note = 1 }}]
''', encoding="utf-8")
    (folder / "sources.toml").write_text(f'''
[[source]]
id = "work"
type = "book"
authors = ["Author, {e}"]
title = "Nomonhan Work {e}"
original-title = "Original {e}"
publisher = "Publisher {e}"
issued = "2014"
archive = "Archive {e}"
"odd{e}" = "x"

[[source]]
id = "unused"
type = "book"
title = "Unused {e}"

[[note]]
number = 1
text = "Note {e} text"
citations = [{{ source = "work", pages = "n{e}" }}]
''', encoding="utf-8")
    return folder


COMMANDS: list[list[str]] = [
    *[["timeline", *f] for f in ([], ["-f", "tsv"], ["-f", "csv"], ["-f", "json"],
                                 ["-f", "jsonl"], ["-f", "markdown"], ["-f", "table"])],
    *[["search", "Nomonhan", *f] for f in ([], ["-f", "tsv"], ["-f", "json"],
                                           ["-f", "markdown"])],
    *[["cite", "Nomonhan", *f] for f in ([], ["-f", "markdown"], ["-f", "json"])],
    ["show", "evil"], ["show", "evil", "-f", "json"],
    ["stats"], ["stats", "--by", "tag"], ["stats", "--by", "actor"],
    ["stats", "--by", "tag", "-f", "tsv"], ["stats", "--by", "tag", "-f", "json"],
    ["chart"], ["chart", "--ascii"], ["chart", "--tag", "battle"],
    *[["sources", *f] for f in ([], ["Nomonhan"], ["-f", "bibtex"], ["-f", "csl-json"],
                                ["-f", "ris"], ["-f", "json"])],
    ["notes"], ["notes", "1", "-f", "json"],
    ["check"], ["check", "-f", "json"],
    ["export", "html", "-o", "-"], ["export", "timelinejs", "-o", "-"],
    ["show", "evil\x1b[2J"], ["timeline", "--tag", "x\x1b]0;t\x07"],
]

_SGR = re.compile(r"\x1b\[[0-9;]*m")
_BAD = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                  "\u2060-\u2069\ufeff]")


def _on_pty(argv: list[str], env: dict[str, str]) -> bytes:
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                         close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not b:
            break
        chunks.append(b)
    p.wait(timeout=60)
    os.close(master)
    assert p.returncode in (0, 1), (argv, p.returncode, b"".join(chunks)[-500:])
    return b"".join(chunks)


@pytest.mark.parametrize("color", ["", "1"])
def test_no_escape_from_the_data_reaches_the_terminal(tmp_path: Path, color: str) -> None:
    data = _ledger(tmp_path / "evil")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"FARCHRON_NO_CACHE": "1", "COLUMNS": "120", "TERM": "xterm-256color",
                "NO_COLOR": color})
    for cmd in COMMANDS:
        raw = _on_pty([sys.executable, "-m", "farchron", "--data", str(data), *cmd], env)
        text = raw.decode("utf-8")  # valid UTF-8 whatever the data held
        shown = _SGR.sub("", text).replace("\r\n", "\n")
        bad = _BAD.search(shown)
        assert bad is None, (cmd, repr(shown[max(0, bad.start() - 40):bad.end() + 40]))
        assert "pwned" not in shown or "\x1b]0;pwned" not in text, cmd
