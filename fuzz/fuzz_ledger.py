"""Fuzz target for the ledger loader (atheris; run briefly in CI by fuzz/run.py).

    pip install atheris
    mkdir -p /tmp/corpus && cp tests/fixtures/small/events.toml /tmp/corpus/
    python fuzz/fuzz_ledger.py -max_total_time=60 -max_len=20000 /tmp/corpus

Any exception other than a FarchronError (and any hang) is a bug: bad data must
become one positioned message, never a traceback. The input is split at the
first NUL byte into events.toml and sources.toml, so cross-file checks run too.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # fuzz/run.py then feeds a seeded corpus with a plain loop
    from fuzz import _noatheris as atheris  # type: ignore[no-redef]

with atheris.instrument_imports():
    import tomli  # noqa: F401  (instrumented: its branches guide the fuzzer)

    from farchron.errors import FarchronError
    from farchron.ledger import load as ledger

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(tempfile.mkdtemp(prefix="farchron-fuzz-"))


def test_one_input(data: bytes) -> None:
    events, _, sources = data.partition(b"\0")
    (FOLDER / "events.toml").write_bytes(events)
    (FOLDER / "sources.toml").write_bytes(
        sources or (ROOT / "tests/fixtures/small/sources.toml").read_bytes())
    got, problems = ledger.collect(FOLDER)  # must never raise
    assert got is not None or problems
    with contextlib.suppress(FarchronError):  # the one allowed failure
        ledger.load(FOLDER)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
