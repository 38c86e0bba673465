"""First (cold) runs under each way of parsing a big events.toml, next to the tomli floor.

Usage: python benchmarks/cold.py [--size 100k] [--runs 3] [--commands timeline,search]
                                 [--configs native-1,native-2,tomli-1,tomli-2]

A config is a parser and a number of processes: `native` is toml-rs behind the depth guard
(ledger/native.py), `tomli` is FARCHRON_TOML=tomli; 1 or 2 is FARCHRON_WORKERS (2: half the
chunks in one forked helper, whose CPU is counted once it is reaped). Each cold run (cache
emptied) alternates with the floor, `tomli.load` of the same two files, as in run.py; the
table has the same columns. For 1M, give --size 1M --runs 1: the floor is run beside each.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # benchmarks/run.py: its timing helpers and data layout

CONFIGS = {
    "native-1": {"FARCHRON_WORKERS": "1"},
    "native-2": {"FARCHRON_WORKERS": "2"},
    "tomli-1": {"FARCHRON_WORKERS": "1", "FARCHRON_TOML": "tomli"},
    "tomli-2": {"FARCHRON_WORKERS": "2", "FARCHRON_TOML": "tomli"},
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="100k")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--commands", default="timeline,search")
    ap.add_argument("--configs", default=",".join(CONFIGS))
    args = ap.parse_args()
    folder = run.ensure_data(args.size)
    n = run.parse_n(args.size)
    floor = [run.PY, "-c", "import sys, tomli\nfor p in sys.argv[1:]:\n"
             "    tomli.load(open(p, 'rb'))", str(folder / "events.toml"),
             str(folder / "sources.toml")]
    print(f"Machine: {run.machine()}\n")
    print("| ledger | command | parse | median ms | floor | floor ms | ratio | CPU ms | "
          "CPU ratio | peak MB |")
    print("|---|---|---|---:|---|---:|---:|---:|---:|---:|")
    rows: list[str] = []
    saved = dict(os.environ)
    try:
        for name in args.commands.split(","):
            argv = [*run.farchron(), "--data", str(folder), *run.argv_of(name, folder)]
            for config in args.configs.split(","):
                os.environ.clear()
                os.environ.update(saved)
                os.environ.update(CONFIGS[config])
                t, f, pk, c, fc = run.paired(argv, floor, args.runs, prepare=run.clear_cache,
                                             warmup=0)
                run.row(rows, f"{args.size} ({n:,})", name, config, f"{t:.0f}", "tomli parse",
                        f"{f:.0f}", f"{t / f:.2f}×", f"{c:.0f}", f"{c / fc:.2f}×",
                        f"{pk:.0f}")
    finally:
        os.environ.clear()
        os.environ.update(saved)
        run.clear_cache()
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
