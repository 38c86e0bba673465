"""Fuzz target for the EDTF date parser (atheris; run briefly in CI by fuzz/run.py).

    pip install atheris
    python fuzz/fuzz_dates.py -max_total_time=60 -dict=fuzz/edtf.dict

parse() and parse_period() must raise DateError or return a Date whose bounds
are ordered and which can be displayed; anything else is a bug.
"""

from __future__ import annotations

import sys

try:
    import atheris
except ImportError:  # fuzz/run.py then feeds a seeded corpus with a plain loop
    from fuzz import _noatheris as atheris  # type: ignore[no-redef]

with atheris.instrument_imports():
    from farchron.dates import edtf as dates


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    # Mostly short dates; one input in four long (up to 20,000 characters: the 4,300-digit
    # limit of int() and any quadratic step must show here).
    size = 64 if fdp.ConsumeIntInRange(0, 3) else fdp.ConsumeIntInRange(64, 20_000)
    text = fdp.ConsumeUnicodeNoSurrogates(size)
    if text and text[0] == "9":  # a run of digits, the shape that once crashed
        text = text + "9" * (size * 4)
    for parse in (dates.parse, dates.parse_period):
        try:
            d = parse(text)
        except dates.DateError:
            continue
        assert d.start <= d.end, (text, d.start, d.end)
        d.display()
        d.start_iso, d.end_iso  # noqa: B018  (must not raise)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
