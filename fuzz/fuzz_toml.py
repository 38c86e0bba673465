"""Fuzz target for the native TOML parse and its depth guard (atheris; run briefly in CI
by fuzz/run.py).

    pip install atheris
    python fuzz/fuzz_toml.py -max_total_time=60 -max_len=4096

Each input byte picks a TOML token (brackets, quotes of every kind, comments, escapes,
keys, values), so every input is TOML-like. When the first byte is even, the tokens are cut
in three and the first and last thirds are repeated up to 12,750 times (300 kB at most):
a short input becomes nesting thousands deep, with strings and comments in the way, which
is what the guard must see through. The properties: ledger.native.loads gives exactly tomli's
tree (types included), or raises tomli's own exception with tomli's message; and a document
the guard passes is no deeper than DEPTH as toml-rs's own lexer reads it (the byte-by-byte
oracle in tests/ledger/toml_rs_lexer.py, on inputs under 20 kB: it is slow). A guard that
let deep nesting through to toml-rs crashes the process (SIGSEGV), and libFuzzer cannot
always report that (the overflowed stack has no room for its handler): the process dies
with signal 11 and fuzz/run.py says so. The first such find (CI, December 2026) was
`\\"=[` repeated: toml-rs reads `\\"` outside a string as a bare word and keeps nesting
after the error, where the guard had read a string.
"""

from __future__ import annotations

import math
import sys
from typing import Any

try:
    import atheris
except ImportError:  # fuzz/run.py then feeds a seeded corpus with a plain loop
    from fuzz import _noatheris as atheris  # type: ignore[no-redef]

with atheris.instrument_imports():
    import tomli

    from farchron.ledger import native
    from tests.ledger import toml_rs_lexer

TOKENS = ["[", "]", "{", "}", "[[", "]]", '"', "'", '"""', "'''", "#", "\\", "\\\\", '\\"',
          "\n", " ", "=", ",", ".", "x", "a.b", "1", "1.5", "nan", "-inf", "true",
          "1979-05-27", "07:32:00", "T", "Z", "\\u0041", "é", "x = ", "\t", "\r\n", "0x1f",
          "\r", "x\"", "x'", '\\\\"', "\ufeff", "# ]\r"]


def tree(v: Any) -> Any:
    """Comparable with types kept: 1, 1.0 and True differ; nan equals nan; key order."""
    if isinstance(v, dict):
        return "dict", tuple((k, tree(x)) for k, x in v.items())
    if isinstance(v, list):
        return "list", tuple(tree(x) for x in v)
    if isinstance(v, float) and math.isnan(v):
        return "float", "nan"
    return type(v).__name__, repr(v)


def outcome(parse: Any, text: str) -> Any:
    try:
        return tree(parse(text))
    except Exception as exc:  # TOMLDecodeError, ValueError, RecursionError
        return type(exc).__name__, str(exc)


def document(data: bytes) -> str:
    tokens = [TOKENS[b % len(TOKENS)] for b in data[2:]]
    if len(data) > 2 and data[0] % 2 == 0 and len(tokens) >= 3:
        third = len(tokens) // 3
        head, mid, tail = "".join(tokens[:third]), "".join(tokens[third:-third]), "".join(
            tokens[-third:])
        n = min(1 + data[1] * 50, 300_000 // (len(head) + len(tail)))  # at most ~300 kB
        return head * n + mid + tail * n
    return "".join(tokens)


def test_one_input(data: bytes) -> None:
    text = document(data)
    got, want = outcome(native.loads, text), outcome(tomli.loads, text)
    assert got == want, (text[:300], got, want)
    if len(text) < 20_000 and native.shallow(text):
        found = toml_rs_lexer.depth(text)
        assert found is not None and found <= native.DEPTH, (text[:300], found)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
