"""Fuzz target for the argument parsers (atheris; run briefly in CI by fuzz/run.py).

    pip install atheris
    python fuzz/fuzz_args.py -max_total_time=60

Random argument vectors (commands, options, PERIODs, --from/--to, widths, formats,
undecodable bytes kept by surrogateescape) run against the shipped test ledger. Any
outcome but a normal exit (0, 1, 2) is a bug: an internal error is exit 70.
"""

from __future__ import annotations

import os
import sys

try:
    import atheris
except ImportError:  # fuzz/run.py then feeds a seeded corpus with a plain loop
    from fuzz import _noatheris as atheris  # type: ignore[no-redef]

with atheris.instrument_imports():
    from click.testing import CliRunner

    from farchron.cli import cli

from pathlib import Path

SMALL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "small"
WORDS = ["timeline", "search", "cite", "show", "stats", "chart", "check", "sources", "notes",
         "export", "html", "timelinejs", "-f", "json", "tsv", "table", "csv", "markdown",
         "--from", "--to", "--tag", "--actor", "--place", "--by", "month", "year", "tag",
         "--width", "--min-score", "-n", "--ascii", "--strict", "-o", "-", "--title",
         "1939", "1939-08", "-0215", "216BC", "1939..1941", "Y999998", "193X", "1944-23",
         "..", "/", "nomonhan", "99999999999999999999", "0", "-1", "Nomonhan", "\udcff"]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    argv = []
    for _ in range(fdp.ConsumeIntInRange(1, 8)):
        if fdp.ConsumeIntInRange(0, 3):
            argv.append(WORDS[fdp.ConsumeIntInRange(0, len(WORDS) - 1)])
        else:  # raw text, or bytes decoded the way Python decodes argv
            raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40))
            argv.append(os.fsdecode(raw.replace(b"\0", b"")))
    r = CliRunner().invoke(cli, ["--data", str(SMALL), *argv],
                           env={"FARCHRON_NO_CACHE": "1", "COLUMNS": "80"})
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert r.exit_code in (0, 1, 2), (argv, r.exit_code, r.output[-300:])


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
