"""Reading a TOML data file: bytes under a size cap, UTF-8, tomli's tree, and for every
failure one Problem at the line and column where it is, with a hint where tomli's own
message would mislead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from farchron.errors import DataError, Problem
from farchron.settings import max_bytes


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


#: Compiled on first use (error path only) through re's own cache: start-up pays nothing.
_DATE_TYPO = r"\s*([A-Za-z0-9_-]+)\s*=\s*(-?\d{1,6}-\d{1,2}-\d{1,2}\S*)"


def _syntax_hint(text: str, line: int | None) -> str:
    """tomli's message for `date = 1939-02-30` is "Expected newline...": say what is wrong."""
    if not line:
        return ""
    lines = text.split("\n")
    if line > len(lines):
        return ""
    m = re.match(_DATE_TYPO, lines[line - 1])
    if not m:
        return ""
    return (f" ('{m.group(2)}' is not a valid TOML date; write {m.group(1)} = "
            f'"{m.group(2)}" as an EDTF string, or correct the day)')


def _deepest(text: str, limit: int) -> tuple[int | None, int | None]:
    """Where bracket nesting first passes `limit` (strings skipped roughly): error path only."""
    depth = 0
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote or ch == "\n":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return position(text, i)
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None, None


def conflict_marker(text: str) -> int | None:
    """The line of the first git conflict marker left in the text, or None."""
    for mark in ("<<<<<<< ", "\n=======", ">>>>>>> "):
        at = text.find(mark) if mark[0] != "<" or not text.startswith(mark) else 0
        if mark.startswith("\n"):
            at = at + 1 if at >= 0 and text[at + 8:at + 9] in ("\n", "\r", "") else -1
        while at > 0 and text[at - 1] != "\n":
            at = text.find(mark, at + 1)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return None


_KEY_AT = r"[ \t]*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*="


def _duplicate_key(text: str, line: int) -> str | None:
    """'key' and both its lines, for tomli's bare "Cannot overwrite a value"."""
    lines = text.split("\n")
    if line > len(lines):
        return None
    m = re.match(_KEY_AT, lines[line - 1])
    if not m:
        return None
    key = m.group(1)
    for i in range(line - 2, -1, -1):  # back to the table's header
        if lines[i].lstrip().startswith("["):
            break
        first = re.match(_KEY_AT, lines[i])
        if first and first.group(1) == key:
            return (f"duplicate key '{key.strip(chr(34) + chr(39))}' at line {line} "
                    f"(first set at line {i + 1}); keep one")
    return f"duplicate key '{key}' at line {line}"


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse one TOML file; any failure becomes a DataError positioned at line:column."""
    text = read_text(path)
    return parse_toml(text, str(path)), text


def read_text(path: Path) -> str:
    """The text of a TOML file; a DataError if it is missing, too big or not UTF-8."""
    return decode_text(read_raw(path), str(path))


def read_raw(path: Path) -> bytes:
    """The bytes of a TOML file, less any byte-order mark; a DataError if missing or too big.

    A UTF-8 byte-order mark and CRLF line ends are accepted, since editors on
    Windows produce both. The size cap is enforced while reading, so a FIFO or a
    device named by mistake cannot make us read forever.
    """
    from farchron.files import DataFileError, read_capped

    name = str(path)
    try:  # stat first: a FIFO, a device or an oversized file is refused unread
        raw, _ = read_capped(path, max_bytes())
    except DataFileError as exc:
        raise DataError([Problem(name, None, None, exc.code, exc.message)]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 text, or a DataError at the line and column of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise DataError([Problem(name, 1, 1, "encoding",
                                     "the file is UTF-16; save it as UTF-8")]) from None
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = position(good, len(good))
        raise DataError([Problem(name, line, col, "encoding",
                                 f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                 "save the file as UTF-8")]) from None
    return text


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """tomli's tree of the text (parsed by toml-rs where ledger.native finds that safe);
    any failure becomes a DataError positioned at line:column, in tomli's words."""
    import tomli

    from farchron.ledger import native

    try:
        doc = native.loads(text)
    except tomli.TOMLDecodeError as exc:
        msg = getattr(exc, "msg", str(exc))
        if msg == "Illegal character '\\n'":  # what tomli says for a missing closing quote
            msg = "unterminated string (a quoted string must end on its line)"
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        marker = conflict_marker(text)
        if marker is not None:
            raise DataError([Problem(name, marker, 1, "merge-conflict",
                                     f"unresolved merge conflict at {name}:{marker}; "
                                     "resolve it or run farchron merge (git's markers "
                                     "<<<<<<< ======= >>>>>>> are still in the file)")]
                            ) from None
        if msg.startswith("Cannot overwrite a value") and line:
            msg = _duplicate_key(text, line) or msg
        raise DataError([Problem(name, line, col, "toml-syntax",
                                 f"TOML syntax error: {msg}{_syntax_hint(text, line)}")]
                        ) from None
    except ValueError:  # an integer of over 4,300 digits (int() refuses it)
        import re

        m = re.search(r"\d{4301,}", text)
        line, col = position(text, m.start()) if m else (None, None)
        raise DataError([Problem(name, line, col, "too-long-number",
                                 "a number of more than 4,300 digits "
                                 f"({len(m.group()) if m else '?'} here)")]) from None
    except RecursionError:  # tomli stops at 400 levels of inline arrays/tables
        line, col = _deepest(text, 400)
        raise DataError([Problem(name, line, col, "too-deep",
                                 "arrays or inline tables nested too deep "
                                 "(more than 400 levels)")]) from None
    return doc
