"""toml-rs behind the depth guard (ledger/native.py) gives tomli's tree, type for type, and
anything deep goes to tomli without ever crashing the process (deep cases run in a child
process, so a segfault shows as a failure instead of killing pytest)."""

from __future__ import annotations

import datetime
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.ledger import native
from tests.conftest import FIXTURES, ROOT, run


def typed(v: Any) -> Any:
    """A form that compares equal only for the same types and values: 1, 1.0 and True
    differ, nan equals nan, -0.0 is not 0.0, key order counts, and a datetime's tzinfo."""
    kind = type(v).__name__
    if isinstance(v, dict):
        return kind, tuple((k, typed(x)) for k, x in v.items())
    if isinstance(v, list):
        return kind, tuple(typed(x) for x in v)
    if isinstance(v, float):
        return kind, "nan" if math.isnan(v) else repr(v)
    return kind, repr(v)


def by_tomli(text: str) -> Any:
    try:
        return typed(tomli.loads(text))
    except Exception as exc:  # TOMLDecodeError, ValueError, RecursionError
        return type(exc).__name__, str(exc)


def by_native(text: str) -> Any:
    try:
        return typed(native.loads(text))
    except Exception as exc:
        return type(exc).__name__, str(exc)


def by_toml_rs(text: str) -> Any:
    assert native.native_ok()
    return typed(native._native(text, toml_version="1.1.0"))


def test_toml_rs_is_installed_and_used() -> None:
    """It is a dependency: without it every comparison below would compare tomli with
    itself."""
    assert native.native_ok()
    text = (ROOT / "events.toml").read_text(encoding="utf-8")
    assert native.shallow(text)


def test_farchron_toml_tomli_switches_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FARCHRON_TOML", "tomli")
    assert not native.native_ok()
    assert native.loads("a = [1]") == {"a": [1]}


@pytest.mark.parametrize("name", ["events.toml", "sources.toml"])
def test_shipped_ledger_parses_the_same(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    assert native.shallow(text)
    assert by_toml_rs(text) == by_tomli(text)


def test_every_fixture_parses_or_fails_the_same() -> None:
    files = sorted(FIXTURES.rglob("*.toml"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        assert by_native(text) == by_tomli(text), path


def test_generated_ledger_parses_the_same(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "3k",
                    str(tmp_path)], check=True)
    for name in ("events.toml", "sources.toml"):
        raw = (tmp_path / name).read_bytes()
        assert native.shallow(raw)
        assert by_toml_rs(raw.decode()) == by_tomli(raw.decode())


# --------------------------------------------------------------------------- documents

KEY = st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True),
                st.text(st.characters(blacklist_categories=("Cs",)), max_size=6).map(
                    lambda s: '"' + _escape(s) + '"'),
                st.from_regex(r"[a-z\[\]{}#\"., ]{0,6}", fullmatch=True).filter(
                    lambda s: "'" not in s).map(lambda s: f"'{s}'"))

TRICKY = st.sampled_from(["[", "]", "{", "}", "[[", "]]", '"', "'", "#", "\\", ".", "=",
                          ",", "\n", '"""', "'''", " ", "a", "é", "\t"])


def _escape(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


@st.composite
def strings(draw: st.DrawFn) -> str:
    s = "".join(draw(st.lists(st.one_of(TRICKY, st.text(max_size=3)), max_size=8)))
    s = "".join(ch for ch in s if not 0xD800 <= ord(ch) <= 0xDFFF)
    form = draw(st.integers(0, 3))
    if form == 1 and "'" not in s and "\n" not in s and not any(
            (ord(c) < 0x20 and c != "\t") or c == "\x7f" for c in s):
        return f"'{s}'"
    if form == 2:
        return '"""' + _escape(s).replace("\\u000a", "\n") + '"""'
    if form == 3 and "'''" not in s and not s.endswith("'") and not any(
            (ord(c) < 0x20 and c not in "\t\n") or c == "\x7f" for c in s):
        return "'''" + s + "'''"
    return '"' + _escape(s) + '"'


SCALARS = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(str),
    st.sampled_from(["0x_dead", "0xDEAD_beef", "0o755", "0b1101", "1_000", "+7", "-0", "0"]),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "nan" if math.isnan(f) else ("inf" if f == math.inf else
                                                "-inf" if f == -math.inf else repr(f))),
    st.sampled_from(["+inf", "-nan", "6.626e-34", "1e1_0", "-0.0", "3.14_15", "5E+22"]),
    st.sampled_from(["true", "false"]),
    st.datetimes(min_value=datetime.datetime(1, 1, 1),
                 timezones=st.one_of(st.none(), st.timezones())).map(
        lambda d: d.isoformat()),
    st.dates().map(str),
    st.times().map(str),
    st.sampled_from(["1979-05-27 07:32:00Z", "1979-05-27t07:32:00.5+09:00", "07:32",
                     "1979-05-27T07:32", "00:00:00.1234567"]),
    strings(),
)


def values(depth: int) -> st.SearchStrategy[tuple[str, int]]:
    """(TOML text of a value, its bracket depth)."""
    if depth == 0:
        return SCALARS.map(lambda s: (s, 0))
    inner = values(depth - 1)
    array = st.lists(inner, max_size=4).map(
        lambda xs: ("[" + ", ".join(x for x, _ in xs) + ("," if len(xs) % 2 else "") + "]",
                    1 + max((d for _, d in xs), default=0)))
    table = st.dictionaries(KEY, inner, max_size=3).map(
        lambda kv: ("{" + ", ".join(f"{k} = {x}" for k, (x, _) in kv.items()) + "}",
                    1 + max((d for _, d in kv.values()), default=0)))
    return st.one_of(inner, array, table)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, int]:
    """A TOML document (valid or not: keys may repeat, strings may be odd) and the deepest
    bracket nesting of its values."""
    lines: list[str] = []
    deepest = 0
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append("# " + "".join(draw(st.lists(TRICKY, max_size=6))).replace("\n", " "))
        elif kind == 1:
            lines.append(f"[{'.'.join(draw(st.lists(KEY, min_size=1, max_size=3)))}]")
            deepest = max(deepest, 1)
        elif kind == 2:
            lines.append(f"[[{draw(KEY)}]]")
            deepest = max(deepest, 2)
        else:
            value, d = draw(values(draw(st.integers(0, 4))))
            key = ".".join(draw(st.lists(KEY, min_size=1, max_size=3)))
            comment = draw(st.sampled_from(["", " # ]]", ' # "', " # '''"]))
            lines.append(f"{key} = {value}{comment}")
            deepest = max(deepest, d)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"])), deepest


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_native_parse_equals_tomli(doc: tuple[str, int]) -> None:
    """The same tree, or tomli's own exception and message."""
    text, _ = doc
    assert by_native(text) == by_tomli(text)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(1, 6))
def test_guard_never_passes_a_deeper_document(doc: tuple[str, int], limit: int) -> None:
    text, deepest = doc
    if native.shallow(text, depth=limit) and by_tomli(text)[0] == "dict":
        assert deepest <= limit
    if deepest <= limit // 2 and by_tomli(text)[0] == "dict" and '"""' not in text:
        # no false alarm either on what a ledger holds (one-line strings, shallow)
        assert native.shallow(text, depth=limit) or "#" in text or "'" in text


@settings(max_examples=400)
@given(st.lists(st.one_of(TRICKY, st.sampled_from(["x = ", "1", "a.b", "\\u0041", "\\n",
                                                    "true", "1979-05-27"])), max_size=30))
def test_token_soup_parses_or_fails_the_same(tokens: list[str]) -> None:
    text = "".join(tokens)
    assert by_native(text) == by_tomli(text)


def test_long_dotted_keys_go_to_tomli() -> None:
    """toml-rs takes a key of 1,001 parts; tomli (the reference) refuses it."""
    for text in (".".join(["a"] * 1001) + " = 1", "[" + ".".join(["a"] * 1001) + "]",
                 "x = {" + ".".join(["a"] * 1001) + " = 1}"):
        assert not native.shallow(text)
        assert by_native(text) == by_tomli(text)
        assert by_tomli(text)[0] == "RecursionError"


def test_numbers_over_4300_digits_go_to_tomli() -> None:
    """toml-rs builds the int; tomli (int()) refuses it with a ValueError, which the loader
    turns into its positioned message."""
    for text in ("x = " + "1" * 4301, "x = [" + "1_" * 4300 + "1]", "[a]\ny = -" + "9" * 5000):
        assert not native.shallow(text)
        assert by_native(text) == by_tomli(text)
        assert by_tomli(text)[0] == "ValueError"
    assert native.shallow("x = " + "1" * 4300)
    assert by_native("x = " + "1" * 4300) == by_tomli("x = " + "1" * 4300)


# --------------------------------------------------------------------------- deep nesting

DEEP = {
    "arrays": lambda n: "[" * n + "1" + "]" * n,
    "inline tables": lambda n: "{a = " * n + "1" + "}" * n,
    "both": lambda n: "[{a = " * (n // 2) + "1" + "}]" * (n // 2),
    "behind strings": lambda n: '["]", ' * n + "1" + "]" * n,
    "behind a comment line": lambda n: "[" * n + "\n# ]]]]\n" + "]" * n,
}


def _child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.mark.parametrize("n", [10_000, 100_000])
@pytest.mark.parametrize("kind", sorted(DEEP))
def test_deep_nesting_goes_to_tomli_and_never_crashes(tmp_path: Path, kind: str,
                                                      n: int) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + DEEP[kind](n) + "\n", encoding="utf-8")
    r = _child("import sys\nfrom farchron.ledger import native\n"
               "text = open(sys.argv[1], encoding='utf-8').read()\n"
               "print(native.native_ok(), native.shallow(text))\n"
               "try:\n    native.loads(text)\n"
               "except Exception as exc:\n    print(type(exc).__name__)\n", str(path))
    assert r.returncode == 0, (r.returncode, r.stderr[-500:])
    assert r.stdout.split() == ["True", "False", "RecursionError"] or (
        kind == "behind strings" and r.stdout.split()[1:] == ["False", "TOMLDecodeError"])


@pytest.mark.parametrize("kind", ["arrays", "inline tables"])
def test_deep_value_in_a_ledger_is_one_message(tmp_path: Path, kind: str) -> None:
    """Through the real command, in a file cut into chunks too (the chunked path parses
    each chunk with toml-rs where the guard lets it)."""
    events = (ROOT / "events.toml").read_text(encoding="utf-8")
    head, sep, rest = events.partition("\n[[event]]\n")
    deep = "deep = " + DEEP[kind](100_000) + "\n"
    (tmp_path / "events.toml").write_text(head + sep + deep + rest, encoding="utf-8")
    (tmp_path / "sources.toml").write_bytes((ROOT / "sources.toml").read_bytes())
    line = (head + sep).count("\n") + 1
    r = run("check", data=tmp_path)
    assert r.returncode == 1, (r.returncode, r.stderr[-500:])
    assert f"events.toml:{line}:" in r.stdout
    assert "nested too deep (more than 400 levels)" in r.stdout
    chunked = _child("import sys\nfrom pathlib import Path\n"
                     "from farchron.ledger import load, parallel\n"
                     "parallel.CHUNK_MIN, parallel.CHUNK_CHARS = 0, 20_000\n"
                     "_, problems = load.collect(Path(sys.argv[1]))\n"
                     "print(*[p.code for p in problems if p.severity == 'error'])",
                     str(tmp_path))
    assert (chunked.returncode, chunked.stdout.split()) == (0, ["too-deep"]), chunked.stderr


def test_the_guard_is_needed() -> None:
    """toml-rs itself dies on this input (so the tests above would see a missing guard)."""
    r = _child("import toml_rs\ntoml_rs.loads('x = ' + '[' * 100_000 + ']' * 100_000)")
    if r.returncode >= 0:
        pytest.skip("this toml-rs no longer crashes on deep arrays")
    assert r.returncode < 0


def test_a_warm_run_imports_neither_parser(tmp_path: Path) -> None:
    """The store answers a warm run: toml-rs, tomli and the guard stay unimported."""
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print(*sorted(m for m in sys.modules if m in "
             "('toml_rs', 'tomli', 'farchron.ledger.native')), file=sys.stderr))\n"
             "from farchron.cli import main\nmain(sys.argv[1:])\n")
    env = {k: v for k, v in os.environ.items() if k != "FARCHRON_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    argv = [sys.executable, "-c", probe, "--data", str(FIXTURES / "small"), "timeline"]
    cold = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert cold.returncode == 0 and "toml_rs" in cold.stderr.split(), cold.stderr
    warm = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert warm.returncode == 0 and warm.stdout.strip()
    assert warm.stderr.split() == []
