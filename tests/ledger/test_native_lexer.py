"""The depth guard sees the brackets toml-rs sees, in broken documents too.

toml-rs's parser recovers from errors and keeps nesting after them, so the guard must lex
as toml-rs's lexer does, not as a valid document reads. tests/ledger/toml_rs_lexer.py is
that lexer written out byte by byte; the guard's two scans (the fast one for a ledger's
shape, the full pattern for the rest) must give exactly its structure, and the guard must
never pass a document it finds deeper. The crash cases are what the fuzz target found
(CI, December 2026: `\\"=[` repeated, then brackets behind `'''` strings) and their
family; each runs in a child process, where a segfault is a failure, not a dead pytest.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.ledger import native
from tests.conftest import ROOT
from tests.ledger import toml_rs_lexer

N = 30_000
#: Each crashes toml-rs 0.4.3 (exit -11). The guard before this fix let the first five
#: through: it read every quote as a string's start and every comment as ending at a LF,
#: so the brackets looked balanced inside a string or a comment.
CRASHERS = {
    "the fuzz find": "\\\"=[" * 8000 + "[[[[{[" + "'''[['''[" * 3000,
    "escaped quote outside a string": "\\\"" + "=[" * N + "\"",
    "quote inside a bare word": "a = [x\"" + "[" * N + "\"]",
    "apostrophe inside a bare word": "a = [x'" + "[" * N + "']",
    "comment ended by a CR": "a = [# c\r" + "[" * N + "\n]",
    "error before the nesting": "x = [" + "=[" * N,
}


def _child(code: str, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_a_document_toml_rs_dies_on_goes_to_tomli(name: str) -> None:
    text = CRASHERS[name]
    assert toml_rs_lexer.depth(text) is None or toml_rs_lexer.depth(text) > native.DEPTH
    assert not native.shallow(text)
    r = _child("import sys\nfrom farchron.ledger import native\n"
               "try:\n    native.loads(sys.stdin.read())\n"
               "except Exception as exc:\n    print(type(exc).__name__)\n", text)
    assert r.returncode == 0, (r.returncode, r.stderr[-500:])
    assert r.stdout.split() == ["TOMLDecodeError"]


def test_toml_rs_does_die_on_them() -> None:
    """So the test above would see a guard that let one through."""
    r = _child("import sys, toml_rs\ntoml_rs.loads(sys.stdin.read())",
               CRASHERS["quote inside a bare word"])
    if r.returncode >= 0:
        pytest.skip("this toml-rs no longer crashes on deep nesting after an error")
    assert r.returncode < 0


PIECES = st.sampled_from([
    "[", "]", "{", "}", "[[", "]]", "=", ",", ".", " ", "\t", "\n", "\r", "\r\n", "#",
    '"', "'", '"""', "'''", '""', "''", "\\", "\\\\", '\\"', "x", "1", "a.b", "é",
    "x = ", '"a"', "'a'", '"a\\"', "# ]\n", "# \"\n", "\ufeff"])


@st.composite
def soups(draw: st.DrawFn) -> str:
    text = "".join(draw(st.lists(PIECES, max_size=40)))
    if draw(st.integers(0, 9)) == 0:  # over 1,000 comment lines: the fast scan's other way
        text = "# [\"\n" * 1001 + text
    return ("\ufeff" if draw(st.booleans()) else "") + text


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(soups())
def test_both_scans_give_toml_rs_structure(text: str) -> None:
    raw = text.encode("utf-8")
    body = raw[3:] if raw.startswith(toml_rs_lexer.BOM) else raw
    want = toml_rs_lexer.structure(raw)
    assert native._patterns()[0].sub(b"", body) == want
    fast = native._outside(body)
    assert fast is None or fast == want


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(soups(), st.integers(1, 8))
def test_guard_never_passes_what_toml_rs_nests_deeper(text: str, limit: int) -> None:
    if native.shallow(text, depth=limit):
        found = toml_rs_lexer.depth(text)
        assert found is not None and found <= limit


def test_a_ledger_takes_the_fast_scan() -> None:
    """The shipped ledger is in the plain shape: no full lexing on the common path."""
    for name in ("events.toml", "sources.toml"):
        raw = (ROOT / name).read_bytes()
        assert native._outside(raw) == toml_rs_lexer.structure(raw)
