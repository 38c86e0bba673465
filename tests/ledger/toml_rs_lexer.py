"""toml-rs's lexer, byte by byte, as the oracle for ledger/native.py's depth guard.

A plain transliteration of `toml_parser/src/lexer/mod.rs` (the toml crate, which toml-rs
builds on; read at toml-rs/toml 5538279, and checked against the toml-rs 0.4.3 wheel by the
crash cases in test_native_lexer.py): one loop, one branch per token kind, no regular
expression, so it shares nothing with the guard's pattern it checks. Slow (a Python loop
per byte): for tests and the fuzz target only.
"""

from __future__ import annotations

BOM = b"\xef\xbb\xbf"
#: Where a bare word ends (quotes are not here: `x"` is one word).
TOKEN_START = frozenset(b".=,[]{} \t#\r\n")
STRUCTURE = frozenset(b".=,[]{}")


def structure(text: str | bytes) -> bytes:
    """The one-byte structural tokens (`. = , [ ] { }`) in order, as toml-rs lexes the
    text: everything inside strings, comments and bare words left out."""
    b = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    n = len(b)
    i = 3 if b.startswith(BOM) else 0
    out = bytearray()
    while i < n:
        c = b[i]
        if c in STRUCTURE:
            out.append(c)
            i += 1
        elif c in b" \t\n":
            i += 1
        elif c == 0x0D:  # "\r", with or without "\n"
            i += 2 if b[i + 1:i + 2] == b"\n" else 1
        elif c == 0x23:  # "#": to the next CR or LF
            while i < n and b[i] not in b"\r\n":
                i += 1
        elif c == 0x27:  # "'"
            i = _literal(b, i)
        elif c == 0x22:  # '"'
            i = _ml_basic(b, i) if b.startswith(b'"""', i) else _basic(b, i)
        else:  # a bare word
            while i < n and b[i] not in TOKEN_START:
                i += 1
    return bytes(out)


def _extra(b: bytes, i: int, quote: int) -> int:
    """Up to two more closing quotes after a multi-line string's three."""
    for _ in range(2):
        if i < len(b) and b[i] == quote:
            i += 1
    return i


def _literal(b: bytes, i: int) -> int:
    if b.startswith(b"'''", i):
        end = b.find(b"'''", i + 3)
        return len(b) if end < 0 else _extra(b, end + 3, 0x27)
    i += 1
    while i < len(b):
        if b[i] == 0x27:
            return i + 1
        if b[i] == 0x0A:
            return i
        i += 1
    return i


def _basic(b: bytes, i: int) -> int:
    i += 1
    while i < len(b):
        c = b[i]
        if c == 0x22:
            return i + 1
        if c == 0x0A:  # error recovery: a one-line string ends before the line feed
            return i
        if c == 0x5C and i + 1 < len(b) and b[i + 1] in b'\\"':  # a backslash skips one
            i += 1
        i += 1
    return i


def _ml_basic(b: bytes, i: int) -> int:
    i += 3
    while i < len(b):
        if b.startswith(b'"""', i):
            return _extra(b, i + 3, 0x22)
        if b[i] == 0x5C and i + 1 < len(b) and b[i + 1] in b'\\"':
            i += 1
        i += 1
    return i


def depth(text: str | bytes) -> int | None:
    """The deepest bracket nesting of the text as toml-rs lexes it, or None when its
    brackets are unbalanced or mismatched (toml-rs's parser then recovers as it can)."""
    stack: list[int] = []
    deepest = 0
    for c in structure(text):
        if c in b"[{":
            stack.append(c)
            deepest = max(deepest, len(stack))
        elif c in b"]}" and (not stack or stack.pop() != (0x5B if c == 0x5D else 0x7B)):
            return None
    return None if stack else deepest
