"""FILE:LINE for the records and keys of a TOML ledger, found by a lazy text scan, and the
`[vocabulary]` table found the same way (for appends judged without a parse)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from farchron.errors import Problem


class Locator:
    """Finds the line of the n-th [[table]] of an array (and of a key inside it), lazily.

    Why a text scan rather than a TOML reader that keeps positions: tomli (fast,
    compiled) keeps none, and tomlkit, which does, parses about ten times slower,
    a cost every command would pay on the happy path. The ledger's layout is
    regular (one `[[event]]` header per record, one `key = value` per line), so
    after tomli has accepted the text, finding the n-th header and a key below it
    is reliable; and it runs only when there is something to report.
    """

    def __init__(self, path: Path, text: str | bytes) -> None:
        self.path = str(path)
        self._text = text  # bytes (valid UTF-8) are decoded only when a line is wanted
        self._starts: dict[str, list[int]] = {}
        self._lines: list[str] | None = None
        self._in_string: list[bool] | None = None
        self._aliases: dict[str, tuple[str, ...]] = {}
        self._line_at: dict[int, int] = {}  # offset of each header line _scan found

    @property
    def text(self) -> str:
        if isinstance(self._text, bytes):
            self._text = self._text.decode("utf-8")
        return self._text

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            # split("\n"), not splitlines(): TOML ends lines only at LF (or CRLF), while
            # splitlines() also breaks at U+2028, FF, NEL... that may sit inside strings.
            text = self.text
            self._lines = text.split("\n")
            self._in_string = _in_multiline(text, len(self._lines))
        return self._lines

    def alias(self, array: str, names: list[str]) -> None:
        """Count the [[NAME]] tables of a misnamed array as records of `array`, in file order
        (validate checks `[[events]]` as `[[event]]`, lines and all)."""
        self._aliases[array] = tuple(names)
        self._starts.pop(array, None)

    def headers_of(self, name: str) -> list[int]:
        """0-based lines of the [[name]] headers, that name only (no aliases)."""
        return self._scan(name)

    def _headers(self, array: str) -> list[int]:
        if array not in self._starts:
            heads = self._scan(array)
            for name in self._aliases.get(array, ()):
                heads = sorted(heads + self._scan(name))
            self._starts[array] = heads
        return self._starts[array]

    def _scan(self, array: str) -> list[int]:
        key = "\0" + array
        if key not in self._starts:
            # bytes stay bytes: a 450 MB file with kana is ~0.9 GB more as one str
            data: Any = self._text
            raw = isinstance(data, bytes)
            if self._in_string is None:  # without splitting a big file into lines
                self._in_string = _in_multiline(data, data.count(b"\n" if raw else "\n") + 1)
            inside = self._in_string
            # what `\s*[[NAME]]` matching a line from its start finds, in one pass: the
            # header anywhere, then only blanks between the line's start and it
            name = re.escape(array)
            source = (r"\[\[[^\S\n]*(?:" + name + r'|"' + name + r'"|\'' + name
                      + r"')[^\S\n]*\]\]")
            pat: re.Pattern[Any] = re.compile(source.encode() if raw else source)
            nl: Any = b"\n" if raw else "\n"
            found: list[int] = []
            line = pos = 0
            for m in pat.finditer(data):
                at = m.start()
                line += data.count(nl, pos, at)
                pos = at
                start = data.rfind(nl, 0, at) + 1
                if (not found or found[-1] != line) and not inside[line] and (
                        start == at or _blank(data[start:at])):
                    found.append(line)
                    self._line_at[line] = start
            self._starts[key] = found
        return self._starts[key]

    def top(self, key: str) -> int | None:
        """The line of a top-level `key = ...` or `[key...` (for stray top-level keys)."""
        pat = re.compile(r"\s*(?:\[+\s*)?[\"']?" + re.escape(key) + r"[\"']?\s*[=.\]]")
        for i, ln in enumerate(self.lines):
            if pat.match(ln):
                return i + 1
        return None

    def line(self, array: str, index: int, key: str | None = None,
             value: str | re.Pattern[str] | None = None) -> int | None:
        """Line of record `index` of `array`; of `key` in it; of `value` at or after the key."""
        heads = self._headers(array)
        if index >= len(heads):
            return None
        first = heads[index]
        if key is None:
            return first + 1
        seg = self._record_lines(heads, index)  # lines first, first + 1, ... of the record
        pat = re.compile(r"\s*(?:" + re.escape(key) + r'|"' + re.escape(key) + r'")\s*=')
        hit = next((i for i in range(1, len(seg)) if pat.match(seg[i])), None)
        if hit is None:
            return first + 1
        if value is not None:
            for i in range(hit, len(seg)):
                if (value.search(seg[i]) if isinstance(value, re.Pattern)
                        else value in seg[i]):
                    return first + i + 1
        return first + hit + 1

    def _record_lines(self, heads: list[int], index: int) -> list[str]:
        """The lines from record `index`'s header to the next header: cut from the text
        when the file has not been split into lines (a warning or two in a big file need
        not split 45 MB into a million strings)."""
        first = heads[index]
        after = heads[index + 1] if index + 1 < len(heads) else None
        at = self._line_at
        if self._lines is None and first in at and (after is None or after in at):
            data = self._text
            cut = data[at[first]:at[after] if after is not None else len(data)]
            seg = (cut.decode("utf-8") if isinstance(cut, bytes) else cut).split("\n")
            if after is not None:
                seg.pop()  # the "" after the newline that ends the record
            return seg
        lines = self.lines
        return lines[first:after if after is not None else len(lines)]

    def first_use(self, array: str, index: int, key: str | None = None) -> str:
        """Where record `index` is, for "duplicate ... (first used by ...)" messages."""
        return f"{array} #{index + 1}, line {self.line(array, index, key)}"

    def problem(self, code: str, message: str, array: str, index: int,
                key: str | None = None, value: str | re.Pattern[str] | None = None,
                severity: str = "error") -> Problem:
        return Problem(self.path, self.line(array, index, key, value), None, code, message,
                       severity)


def _blank(prefix: str | bytes) -> bool:
    """Whether a line's start up to a header is only whitespace (as `\\s` reads it)."""
    if isinstance(prefix, bytes):
        return prefix.isspace() or prefix.decode("utf-8", "replace").isspace()
    return prefix.isspace()


def _in_multiline(data: str | bytes, count: int) -> list[bool]:
    """For each of the `count` lines of the text, whether it starts inside a multi-line
    string (a triple quote opened on an earlier line and not yet closed). Delimiters never
    span lines, so one scan of the whole text meets them in the order a line-by-line scan
    would; a text without any (a ledger, usually) costs one search, and is not decoded."""
    inside = [False] * count
    if isinstance(data, bytes):
        if b'"""' not in data and b"'''" not in data:
            return inside
        data = data.decode("utf-8")
    text = data
    if '"""' not in text and "'''" not in text:
        return inside
    delim = ""
    line = 0
    pos = 0
    opened = 0
    for m in re.finditer(r'"""|\'\'\'', text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        tok = m.group(0)
        if not delim:
            delim, opened = tok, line
        elif tok == delim:
            delim = ""
            inside[opened + 1:line + 1] = [True] * (line - opened)
    if delim:
        inside[opened + 1:] = [True] * (count - opened - 1)
    return inside


class PartsLocator(Locator):
    """Lines of records numbered across the main file and its parts, in reading order:
    record `index` of `array` is found in the file that holds it. Top-level keys are the
    main file's."""

    def __init__(self, files: Sequence[tuple[Locator, dict[str, int]]]) -> None:
        self.files = list(files)  # (locator, {array: how many records it holds})
        self.main = self.files[0][0]
        super().__init__(Path(self.main.path), self.main.text)

    def top(self, key: str) -> int | None:
        return self.main.top(key)

    def alias(self, array: str, names: list[str]) -> None:
        self.main.alias(array, names)

    def _find(self, array: str, index: int) -> tuple[Locator, int]:
        for loc, counts in self.files:
            n = counts.get(array, 0)
            if index < n:
                return loc, index
            index -= n
        return self.files[-1][0], index + 10**9  # past the end: no line

    def line(self, array: str, index: int, key: str | None = None,
             value: str | re.Pattern[str] | None = None) -> int | None:
        loc, i = self._find(array, index)
        return loc.line(array, i, key, value)

    def first_use(self, array: str, index: int, key: str | None = None) -> str:
        loc, i = self._find(array, index)
        return f"the {array} at {loc.path}:{loc.line(array, i, key)}"

    def problem(self, code: str, message: str, array: str, index: int,
                key: str | None = None, value: str | re.Pattern[str] | None = None,
                severity: str = "error") -> Problem:
        loc, i = self._find(array, index)
        return Problem(loc.path, loc.line(array, i, key, value), None, code, message,
                       severity)


def vocabulary_table(text: str, end: int) -> str:
    """The `[vocabulary]` table's text, if the file (up to `end`) has one, else "".

    str.find, then a look at the line: a MULTILINE regex over a 30 MB ledger costs 0.2 s.
    """
    pos = text.find("vocabulary", 0, end)
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        m = _VOCABULARY.match(text, line_start, end)
        if m:
            return m.group(0)
        pos = text.find("vocabulary", pos + 1, end)
    return ""


_VOCABULARY = re.compile(r"^[ \t]*\[[ \t]*vocabulary[ \t]*\][^\n]*\n(?:(?![ \t]*\[).*(?:\n|\Z))*",
                         re.M)
