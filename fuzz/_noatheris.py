"""The little of atheris the fuzz targets use, for machines where it does not install:
fuzz/run.py then calls each target's test_one_input over a seeded corpus, so the targets
keep compiling and running in CI (without coverage guidance)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def instrument_imports() -> Iterator[None]:
    yield


class FuzzedDataProvider:
    """Bytes consumed front to back, as atheris's provider does (not bit-identical)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _take(self, n: int) -> bytes:
        out = self._data[self._pos:self._pos + n]
        self._pos += len(out)
        return out

    def ConsumeIntInRange(self, lo: int, hi: int) -> int:
        raw = int.from_bytes(self._take(4) or b"\0", "little")
        return lo + raw % (hi - lo + 1)

    def ConsumeBytes(self, n: int) -> bytes:
        return self._take(n)

    def ConsumeUnicodeNoSurrogates(self, n: int) -> str:
        raw = self._take(n)
        if raw and raw[0] & 1:
            return raw[1:].decode("latin-1")
        return raw[1:].decode("utf-8", "replace").replace("\ufffd", "\u0416")

    def remaining_bytes(self) -> int:
        return len(self._data) - self._pos


def Setup(argv: list[str], target: object) -> None:
    raise SystemExit("atheris is not installed: run fuzz/run.py instead")


def Fuzz() -> None:
    raise SystemExit("atheris is not installed: run fuzz/run.py instead")
