"""Fuzz target for the cache loader (atheris; run briefly in CI by fuzz/run.py).

    pip install atheris
    python fuzz/fuzz_cache.py -max_total_time=60

The input damages a real cache file (byte flips, a cut, bytes written over it); loading
must give exactly the parsed ledger (from the cache or a rebuild), never wrong data,
never an exception.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # fuzz/run.py then feeds a seeded corpus with a plain loop
    from fuzz import _noatheris as atheris  # type: ignore[no-redef]

with atheris.instrument_imports():
    from farchron.ledger import load as ledger
    from farchron.store import cache
    from farchron.store import sections as store

SMALL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "small"
HOME = Path(tempfile.mkdtemp(prefix="farchron-fuzz-cache-"))
os.environ["XDG_CACHE_HOME"] = str(HOME)
os.environ["FARCHRON_NO_CACHE"] = ""
WANT = ledger.load(SMALL)
cache.open_ledger(SMALL)
(PATH,) = (HOME / "farchron").glob("*.ledger.store")
PRISTINE = PATH.read_bytes()


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    raw = bytearray(PRISTINE)
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        op = fdp.ConsumeIntInRange(0, 2)
        at = fdp.ConsumeIntInRange(0, len(raw) - 1) if raw else 0
        if op == 0 and raw:
            raw[at] ^= 1 << fdp.ConsumeIntInRange(0, 7)
        elif op == 1:
            del raw[at:]
        else:
            chunk = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64))
            raw[at:at + len(chunk)] = chunk
    PATH.write_bytes(bytes(raw))
    os.chmod(PATH, 0o600)
    cache._SAID.clear()
    stderr, sys.stderr = sys.stderr, open(os.devnull, "w")  # noqa: SIM115
    try:
        try:
            got = cache.open_ledger(SMALL)
            events, sources = tuple(got.events), dict(got.sources)
        except store.StoreError as exc:  # found while decoding: the CLI rebuilds and reruns
            cache.recover(exc)
            got = cache.open_ledger(SMALL)
            events, sources = tuple(got.events), dict(got.sources)
    finally:
        sys.stderr.close()
        sys.stderr = stderr
    assert events == WANT.events
    assert sources == WANT.sources and got.notes == WANT.notes
    assert [s.to_json() for s in sources.values()] == [s.to_json() for s in WANT.sources.values()]
    assert got.warnings == WANT.warnings
    if not PATH.exists():
        cache.open_ledger(SMALL)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
