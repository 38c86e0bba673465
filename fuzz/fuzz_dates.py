"""Fuzz target for the EDTF date parser (atheris; not run in CI).

    pip install atheris
    python fuzz/fuzz_dates.py -max_total_time=60 -dict=fuzz/edtf.dict

parse() and parse_period() must raise DateError or return a Date whose bounds
are ordered and which can be displayed; anything else is a bug.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from farchron import dates


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(64)
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
