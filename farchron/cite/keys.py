"""Citation keys in a Markdown manuscript, with where they stand (line, column).

Pandoc's AST keeps no positions, so the filter's messages and `farchron cite --keys`
find keys by reading the source text with pandoc's rule for a key: `@` not after a
letter or digit (an e-mail address is no citation), then a letter, digit or `_`, then
letters, digits and `_`, with `:.#$%&-+?<>~/` allowed between them; or `@{any key}`.
Fenced and indented code, inline code, a YAML metadata block at the top and HTML
comments are skipped, their lines kept so line numbers stay true.

No farchron imports: the pandoc filter, `cite --keys` and the language server all read
keys with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: A citation key as pandoc's Markdown reader reads it (group 1 braced, group 2 plain).
KEY = re.compile(r"(?<![\w@\\])-?@(?:\{([^{}\n]+)\}|(\w+(?:[:.#$%&\-+?<>~/][\w]+)*))")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True, slots=True)
class KeyUse:
    """One use of a citation key: its line and column (both from 1)."""

    key: str
    line: int
    column: int


def _blank(match: re.Match[str]) -> str:
    """The same text with everything but line breaks turned to spaces."""
    return re.sub(r"[^\n]", " ", match.group(0))


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of the text where citations can stand: code, comments and the
    metadata block blanked."""
    text = _COMMENT.sub(_blank, text)
    lines = text.split("\n")
    start = 0
    if lines and lines[0].rstrip() == "---":  # a YAML block at the top
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                start = i + 1
                break
    fence = ""
    blank_before = True
    for number, line in enumerate(lines[start:], start + 1):
        if fence:
            if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = ""
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            continue
        if blank_before and line.startswith(("    ", "\t")):
            continue  # indented code (after a blank line; a list's continuation is rare)
        blank_before = not line.strip()
        yield number, _INLINE_CODE.sub(_blank, line)


def find_keys(text: str) -> list[KeyUse]:
    """Every citation key in a Markdown text, in order."""
    out = []
    for number, line in prose_lines(text):
        if "@" not in line:
            continue
        for m in KEY.finditer(line):
            out.append(KeyUse(m.group(1) or m.group(2), number, m.start() + 1))
    return out


def first_lines(text: str) -> dict[str, int]:
    """The line where each key is first used."""
    out: dict[str, int] = {}
    for use in find_keys(text):
        out.setdefault(use.key, use.line)
    return out
