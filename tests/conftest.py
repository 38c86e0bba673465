"""Shared helpers for every test folder (tests/ mirrors the packages; tests/system/ runs real
programs): run farchron through CliRunner and through a real process, ledger builders,
and the cache isolation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from farchron.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small"


def invoke(*args: str, data: Path | None = SMALL, env: dict[str, str] | None = None) -> Result:
    """Run a command in-process; stderr is kept apart from stdout."""
    argv = (["--data", str(data)] if data is not None else []) + list(args)
    base = {"NO_COLOR": "", "FORCE_COLOR": "", "COLUMNS": "100", "FARCHRON_NO_CACHE": "1"}
    return CliRunner().invoke(cli, argv, env={**base, **(env or {})}, catch_exceptions=False)


def run(*args: str, data: Path | None = SMALL, env: dict[str, str] | None = None,
        shell: str | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run farchron as a real process (for pipes, closed fds, encodings)."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("PYTHONUNBUFFERED", "NO_COLOR", "FORCE_COLOR")}
    full_env["FARCHRON_NO_CACHE"] = "1"
    full_env.update(env or {})
    prefix = [sys.executable, "-m", "farchron"]
    argv = prefix + (["--data", str(data)] if data is not None else []) + list(args)
    if shell is not None:
        import shlex

        cmd = " ".join(shlex.quote(a) for a in argv) + " " + shell
        return subprocess.run(["bash", "-c", cmd], capture_output=True, text=True,
                              env=full_env, timeout=60, **kw)  # type: ignore[call-overload]
    return subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=60,
                          **kw)  # type: ignore[call-overload]


#: The least sources.toml an events fixture can cite: one work and note 1.
ONE_NOTE_SOURCES = '''
[[source]]
id = "paper"
type = "article"
title = "The paper"

[[note]]
number = 1
text = "A note."
citations = [{ source = "paper", pages = "1" }]
'''


def write_ledger(folder: Path, events: str, sources: str = ONE_NOTE_SOURCES) -> Path:
    """A ledger folder from TOML texts (for fixtures that need odd events)."""
    (folder / "events.toml").write_text(events, encoding="utf-8")
    (folder / "sources.toml").write_text(sources, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache folder: no test reads or fills the user's cache."""
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache home, with the cache switched on (the autouse fixture leaves it off
    unless a test asks for this one)."""
    from farchron.store import cache as ledgercache

    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setenv("FARCHRON_NO_CACHE", "")
    ledgercache._SAID.clear()
    return home


@pytest.fixture
def tmp_ledger(tmp_path: Path) -> Path:
    """A writable copy of the small fixture ledger."""
    for name in ("events.toml", "sources.toml"):
        (tmp_path / name).write_bytes((SMALL / name).read_bytes())
    return tmp_path


def validate_csl_json(items: object) -> None:
    """CSL-JSON 1.0's schema (tests/data/csl-data.schema.json), with one addition: a name
    may carry citeproc-js's `multi` ({"main": a language tag, "_key": {}}), which farchron
    writes only for a Latin-script name in a Japanese or Chinese work (issue 26: without it
    citeproc-js prints "Slavinsky Boris"). Nothing else outside the schema passes."""
    import json

    import jsonschema

    schema = json.loads((Path(__file__).resolve().parent / "data" / "csl-data.schema.json")
                        .read_text("utf-8"))
    name = schema["definitions"]["name-variable"]["anyOf"][0]
    name["properties"]["multi"] = {
        "type": "object", "additionalProperties": False, "required": ["main"],
        "properties": {"main": {"type": "string"},
                       "_key": {"type": "object", "maxProperties": 0}}}
    jsonschema.validate(items, schema)
    for item in items if isinstance(items, list) else ():
        for var in ("author", "editor", "translator"):
            for n in item.get(var, ()):
                if "multi" in n:
                    assert str(item.get("language", ""))[:2] in ("ja", "zh"), item["id"]
                    assert "static-ordering" not in n and n.get("given"), item["id"]


@pytest.fixture(scope="session")
def ledger_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated ledger of 10,000 events (benchmarks/generate.py), shared by the search
    and cache tests that compare the indexed paths with the exhaustive ones."""
    folder = tmp_path_factory.mktemp("l10k")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "10k",
                    str(folder)], check=True, capture_output=True, timeout=300)
    return folder


@pytest.fixture(scope="session")
def works_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated ledger of 1,000 events citing 10,000 works (benchmarks/generate.py, as
    benchmarks/run.py times `sources QUERY`), for the tests that compare the cached works
    with the ones read from TOML."""
    folder = tmp_path_factory.mktemp("w10k")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "1k",
                    str(folder), "10k"], check=True, capture_output=True, timeout=300)
    return folder


def need_program(program: str, hint: str) -> str:
    """The path of a real program a system test runs: skipped where it is missing, but a
    failure in CI (`.ci/run` installs it; `hint` says how)."""
    import shutil

    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is required in CI ({hint})")
        pytest.skip(f"{program} not installed ({hint})")
    return path


def need_biblatex_chicago() -> None:
    """LuaLaTeX, biber and biblatex-chicago, as need_program has them."""
    need_program("lualatex", "apt-get install texlive-luatex")
    need_program("biber", "apt-get install biber")
    sty = subprocess.run(["kpsewhich", "biblatex-chicago.sty"], capture_output=True, text=True)
    if not sty.stdout.strip():
        hint = "apt-get install texlive-bibtex-extra"
        if os.environ.get("CI"):
            pytest.fail(f"biblatex-chicago is required in CI ({hint})")
        pytest.skip(f"biblatex-chicago not installed ({hint})")


def words_of(path: Path) -> list[str]:
    """The distinct words of a TOML file's one-line string values, sorted: queries drawn
    from a ledger's own words (tests/query)."""
    text = path.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"[^\W_]+", " ".join(re.findall(r'= "([^"]*)"', text)))))
