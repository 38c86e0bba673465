"""Fuzz target for the native TOML parse and its depth guard (atheris; run briefly in CI
by fuzz/run.py).

    pip install atheris
    python fuzz/fuzz_toml.py -max_total_time=60 -max_len=4096

Each input byte picks a TOML token (brackets, quotes of every kind, comments, escapes,
keys, values), so every input is TOML-like. When the first byte is even, the tokens are cut
in three and the first and last thirds are repeated up to 12,750 times (300 kB at most):
a short input becomes nesting thousands deep, with strings and comments in the way, which
is what the guard must see through. The property: ledger.native.loads gives exactly tomli's tree
(types included), or raises tomli's own exception with tomli's message. A guard that let
deep nesting through to toml-rs crashes the process (SIGSEGV): libFuzzer reports that too.
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

TOKENS = ["[", "]", "{", "}", "[[", "]]", '"', "'", '"""', "'''", "#", "\\", "\\\\", '\\"',
          "\n", " ", "=", ",", ".", "x", "a.b", "1", "1.5", "nan", "-inf", "true",
          "1979-05-27", "07:32:00", "T", "Z", "\\u0041", "é", "x = ", "\t", "\r\n", "0x1f"]


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


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
