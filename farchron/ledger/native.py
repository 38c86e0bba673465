"""TOML parsed by toml-rs (Rust) where that is safe and gives tomli's tree, else by tomli.

tomli stays the reference: every error message, and every document the guard is not sure
of, is tomli's. toml-rs parses a ledger in 0.2-0.3 of tomli's CPU, but it overflows its
stack (SIGSEGV, the whole process gone) on arrays or inline tables nested a few thousand
deep, and it accepts keys of more than 1,000 parts and integers of more than 4,300
digits, which tomli refuses. `shallow` is a cheap pre-scan that lets toml-rs see only
documents no deeper than DEPTH brackets, with no key of more than DOTS parts and no run
of 4,301 digits; anything else, anything the scan cannot lex, a missing toml-rs and any
error of toml-rs go to tomli, which then parses (or words the error) exactly as it did
before toml-rs was tried.
"""

from __future__ import annotations

import re
from typing import Any

from farchron.settings import tomli_only

__all__ = ["DEPTH", "DOTS", "loads", "native_ok", "shallow"]

#: The deepest nesting of [ and { handed to toml-rs. A ledger nests 3 deep (`[[event]]`
#: headers, `citations = [{ ... }]`); toml-rs crashed from about 5,000 (measured).
DEPTH = 32
#: Longest run of dots (dotted key parts less one) handed to toml-rs: tomli refuses keys
#: of over 1,000 parts, toml-rs takes them.
DOTS = 32

#: Strings and comments as TOML lexes them (multi-line forms first), or a run of anything
#: that is none of the characters the scan keeps. Whatever the substitution leaves is
#: structure: brackets, dots, `=` and `,` (and a stray quote if a string could not be
#: lexed, which sends the document to tomli). Every loop is possessive and a string left
#: open ends where TOML's lexer gives up on it too (a one-line string at the line's end, a
#: multi-line one at the end of the text): no quote is tried twice, so the scan stays
#: linear on any input.
_LEX = (r'"""(?:[^"\\]++|\\[\s\S]|"{1,2}(?!"))*+(?:"{3,5}|\\?\Z)'
        r"|'''(?:[^']++|'{1,2}(?!'))*+(?:'{3,5}|\Z)"
        r'|"(?:[^"\\\n]++|\\.)*+(?:"|(?=\\?(?:\n|\Z)))'
        r"|'[^'\n]*+(?:'|(?=\n)|\Z)"
        r"|#[^\n]*+"
        r"|[^\[\]{}.=,\"'#]++")
_PATTERNS: list[re.Pattern[bytes]] = []


def _patterns() -> list[re.Pattern[bytes]]:
    """The lexer and a comment line (compiled once)."""
    if not _PATTERNS:
        _PATTERNS[:] = [re.compile(_LEX.encode("ascii")), re.compile(rb"\n#[^\n]*")]
    return _PATTERNS


def shallow(text: str | bytes, depth: int = DEPTH, dots: int = DOTS) -> bool:
    """True when the document is surely no deeper than `depth` brackets and has no run of
    more than `dots` dots outside strings and comments; False when it may be deeper, or
    when it cannot be lexed (a stray quote, mismatched or unbalanced brackets: tomli words
    those).

    The scan errs one way only: strings and comments are removed as TOML lexes them, every
    bracket left counts, and the innermost pairs are peeled off, at most two levels a pass
    for `depth // 2` passes; whatever is left means too deep (so a plain array may be
    refused from half of `depth` on: tomli parses it). A run of dots also counts a float's
    dot before a dotted key, so it can only overestimate a key's parts.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if _DIGIT_RUN in raw.translate(_DIGITS):  # tomli refuses ints of over 4,300 digits
        return False
    rest = _outside(raw)
    if rest is None:  # a multi-line string, a literal string or a comment: lex it all
        rest = _patterns()[0].sub(b"", raw)
        if b'"' in rest or b"'" in rest or b"#" in rest:  # could not be lexed
            return False
    if b"." * (dots + 1) in rest:
        return False
    return _peel(rest.translate(None, b".=,"), depth)


#: Digits and underscores as "0", every other byte as " ": a run of 4,301 is a number
#: tomli refuses (int() has a 4,300-digit limit) and toml-rs would take.
_DIGITS = bytes(48 if b in b"0123456789_" else 32 for b in range(256))
_DIGIT_RUN = b"0" * 4301
#: Every byte but the ones that matter to brackets, dots and basic strings.
_DROP = bytes(sorted(set(range(256)) - set(b"\"'#\n[]{}.=,")))


def _outside(raw: bytes) -> bytes | None:
    """The structure of a document whose only strings are basic one-line strings (a
    ledger's), fast: comment lines and escapes removed first (a run of backslashes pairs
    from its left, as the lexer reads it; then every escaped quote), then every byte that
    is not a quote,
    newline, bracket, dot, `=` or `,`; what is left alternates outside / inside a string
    at each quote. None when that reading cannot be trusted (a triple quote, an odd count
    of quotes, a newline inside a string, a quote mark or `#` outside one): the caller
    lexes the document with the full pattern then."""
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"")
    if b'\\"' in raw:
        raw = raw.replace(b'\\"', b"")
    rest = raw.translate(None, _DROP)
    if b"#" in rest:  # comments on lines of their own (a comment's quotes would mislead)
        rest = _comment_lines(rest)
    if b'"""' in rest:
        return None
    # Every run of quotes is now one or two long. Two are an empty string, or one string's
    # end and the next one's start with nothing that matters between (their contents
    # then read as one): either way dropping them keeps every other quote's role.
    rest = rest.replace(b'""', b"")
    parts = rest.split(b'"')
    if len(parts) % 2 == 0:
        return None
    out = b"".join(parts[::2])
    if out.count(b"\n") != rest.count(b"\n"):  # a newline inside a string
        return None
    if b"'" in out or b"#" in out:
        return None
    return out.translate(None, b"\n")


def _comment_lines(rest: bytes) -> bytes:
    """The kept bytes less the lines that start with `#`: nothing that was dropped can
    start a string or hold a `#` (blanks, a bare word), so such a `#` is outside any
    one-line string and starts a comment; inside a multi-line string, the string's opening
    quotes are still seen."""
    if rest.count(b"#") > 1000:
        return _patterns()[1].sub(b"\n", b"\n" + rest)
    keep: list[bytes] = []
    pos = 0
    at = rest.find(b"#")
    while at >= 0:
        if at == 0 or rest[at - 1] == 10:  # "\n"
            keep.append(rest[pos:at])
            end = rest.find(b"\n", at)
            pos = len(rest) if end < 0 else end
            at = rest.find(b"#", pos)
        else:
            at = rest.find(b"#", at + 1)
    keep.append(rest[pos:])
    return b"".join(keep)


def _peel(brackets: bytes, depth: int) -> bool:
    """Whether the brackets are balanced and no deeper than `depth`: each pass takes off
    the innermost `[]` pairs, then the innermost `{}` pairs (at most two levels a pass)."""
    for _ in range(depth // 2):
        if not brackets:
            return True
        peeled = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(peeled) == len(brackets):  # mismatched or unbalanced: tomli's to word
            return False
        brackets = peeled
    return not brackets


_native: Any = None


def native_ok() -> bool:
    """Whether toml-rs can be used: importable, and not switched off by
    FARCHRON_TOML=tomli (for comparing the two, and a way out if a wheel misbehaves)."""
    global _native
    if tomli_only():
        return False
    if _native is None:
        try:
            import toml_rs

            _native = toml_rs.loads
        except Exception:  # not installed, or no wheel for this platform
            _native = False
    return _native is not False


def loads(text: str, raw: bytes | None = None) -> dict[str, Any]:
    """The tree of a TOML document, equal to tomli.loads(text); on any failure tomli's own
    exception (TOMLDecodeError, ValueError, RecursionError) as tomli raises it. `raw`,
    the text's UTF-8 bytes when the caller has them, spares the guard an encoding."""
    if native_ok() and shallow(text if raw is None else raw):
        try:
            doc: dict[str, Any] = _native(text, toml_version="1.1.0")
            return doc
        except Exception:  # tomli parses again and raises its own, positioned error
            pass
        except BaseException as exc:
            # a Rust panic arrives as pyo3's PanicException, a BaseException; anything
            # else (SIGTERM's unwinding, Ctrl-C) must go on unwinding
            if type(exc).__name__ != "PanicException":
                raise
    import tomli

    return tomli.loads(text)
