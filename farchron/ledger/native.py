"""TOML parsed by toml-rs (Rust) where that is safe and gives tomli's tree, else by tomli.

tomli stays the reference: every error message, and every document the guard is not sure
of, is tomli's. toml-rs parses a ledger in 0.2-0.3 of tomli's CPU, but it overflows its
stack (SIGSEGV, the whole process gone) on arrays or inline tables nested a few thousand
deep, and it accepts keys of more than 1,000 parts and integers of more than 4,300
digits, which tomli refuses. `shallow` is a cheap pre-scan that lets toml-rs see only
documents no deeper than DEPTH brackets, with no key of more than DOTS parts and no run
of 4,301 digits; anything else, anything the scan is unsure of, a missing toml-rs and any
error of toml-rs go to tomli, which then parses (or words the error) exactly as it did
before toml-rs was tried.

The scan must see the brackets toml-rs sees, in broken documents too: toml-rs's parser
recovers from errors and goes on nesting after them (`=[=[=[...` is an error at the first
`=` and still nests 20,000 deep). So the scan lexes as toml-rs's lexer does (the toml
crate's `toml_parser::lexer`), not as the TOML grammar reads a valid document: a quote
starts a string only where a token starts (in `x"[` the bare word `x"` is followed by a
bracket), a comment ends at a carriage return as well as a line feed. A document that
starts with a byte-order mark goes to tomli, which refuses it (toml-rs skips the mark).
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

#: toml-rs's tokens other than the one-byte structural ones (`[ ] { } . = ,`), in the
#: order its lexer tries them; substituted away, they leave exactly the structure. Written
#: by hand from toml_parser/src/lexer/mod.rs, because no Python library lexes as toml-rs
#: does, error cases included: multi-line basic and literal strings (ended by the first
#: three quotes and up to two more; a backslash skips one backslash or quote), one-line
#: basic strings (ended by a quote, or before a line feed: error recovery) and literal
#: strings, comments (to a CR or LF), blanks and line ends, and bare words (a run of any
#: other bytes, quotes included once a word has started). Every loop is possessive and
#: each token is tried once, where it starts: the scan stays linear on any input.
_LEX = (rb'"""(?:[^"\\]++|\\[\\"]?|"{1,2}(?!"))*+(?:"{3,5}|\Z)'
        rb"|'''(?:[^']++|'{1,2}(?!'))*+(?:'{3,5}|\Z)"
        rb'|"(?:[^"\\\n]++|\\[\\"]?)*+"?'
        rb"|'[^'\n]*+'?"
        rb"|#[^\r\n]*+"
        rb"|[ \t\r\n]++"
        rb"|[^.=,\[\]{} \t#\r\n\"'][^.=,\[\]{} \t#\r\n]*+")
_PATTERNS: list[re.Pattern[bytes]] = []
_BOM = b"\xef\xbb\xbf"


def _patterns() -> list[re.Pattern[bytes]]:
    """The lexer and a comment line (compiled once)."""
    if not _PATTERNS:
        _PATTERNS[:] = [re.compile(_LEX), re.compile(rb"\n#[^\n]*")]
    return _PATTERNS


def shallow(text: str | bytes, depth: int = DEPTH, dots: int = DOTS) -> bool:
    """True when the document is surely no deeper than `depth` brackets and has no run of
    more than `dots` dots, as toml-rs lexes it; False when it may be deeper, or when its
    brackets are unbalanced or mismatched (tomli words those).

    The scan errs one way only: tokens are removed as toml-rs lexes them, every bracket
    left counts, and the innermost pairs are peeled off, at most two levels a pass for
    `depth // 2` passes; whatever is left means too deep (so a plain array may be refused
    from half of `depth` on: tomli parses it). toml-rs's parser nests only on an opening
    bracket and leaves a level only on a closing bracket of its kind (or earlier, at the
    end or in error recovery), so it never nests deeper than balanced brackets do. A run
    of dots also counts a float's dot before a dotted key: it can only overestimate.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if raw.startswith(_BOM):  # toml-rs skips it, tomli refuses it
        return False
    if _DIGIT_RUN in raw.translate(_DIGITS):  # tomli refuses ints of over 4,300 digits
        return False
    rest = _outside(raw)
    if rest is None:  # not in a ledger's plain shape: lex it all
        rest = _patterns()[0].sub(b"", raw)
    if b"." * (dots + 1) in rest:
        return False
    return _peel(rest.translate(None, b".=,"), depth)


#: Digits and underscores as "0", every other byte as " ": a run of 4,301 is a number
#: tomli refuses (int() has a 4,300-digit limit) and toml-rs would take.
_DIGITS = bytes(48 if b in b"0123456789_" else 32 for b in range(256))
_DIGIT_RUN = b"0" * 4301
#: Each byte as its class for the fast scan: the bytes that start or end tokens stay
#: themselves (quotes, backslash, `#`, blanks, line ends, brackets, `.`, `=`, `,`); every
#: other byte becomes "a", a byte of a bare word (or of a string's text).
_KEEP = b"\"'\\#\n\r \t[]{}.=,"
_CLASS = bytes(b if b in _KEEP else 97 for b in range(256))


def _outside(raw: bytes) -> bytes | None:
    """The structure of a document in a ledger's plain shape (one-line basic strings, each
    opened where a token starts; comments on lines of their own; no CR), in a few passes
    over the bytes; None when that reading cannot be trusted: the caller then lexes the
    document with the full pattern.

    Every byte becomes its class; an escape becomes two word bytes (a run of backslashes
    pairs from its left, as the lexer reads it; then every escaped quote); a quote right
    after a word byte is marked `A"`; word bytes and blanks go, then comment lines. The
    quotes left alternate, opening and closing, if every string is a one-line basic
    string: the parts between them are outside and inside by turns. The reading is
    trusted when no opening quote is marked (toml-rs would read it as part of a word: an
    escape outside a string is word bytes too), no string holds a line end, and outside
    the strings are no `'`, `#` or CR."""
    k = raw.translate(_CLASS)
    if b"\r" in k:
        return None
    if b"\\" in k:
        k = k.replace(b"\\\\", b"aa").replace(b'\\"', b"aa")
    k = k.replace(b'a"', b'A"').translate(None, b"a \t")
    if b"#" in k:  # comments on lines of their own (a comment's quotes would mislead)
        k = _comment_lines(k)
    if b'"""' in k:
        return None
    parts = k.split(b'"')
    if len(parts) % 2 == 0:
        return None
    out = b'"'.join(parts[::2])  # each quote left stands for one whole string
    if b'A"' in out or out.count(b"\n") != k.count(b"\n"):  # a word's quote; a line end inside
        return None
    rest = out.translate(None, b'A\n"')
    if b"'" in rest or b"#" in rest or b"\\" in rest:
        return None
    return rest


def _comment_lines(rest: bytes) -> bytes:
    """The bytes less the lines that start with `#`: such a `#` is outside any one-line
    string (toml-rs ends those before a line feed) and starts a comment, which a CR does
    not end here (there is none); inside a multi-line string the string's opening quotes
    are still seen, and send the document to the full lexer."""
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
