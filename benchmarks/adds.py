"""`add event` after `add event`: N adds in a row into a copy of a ledger, as a script
that records a day's notes would run them (issue 28's goal: 1,000 into 100k events in
at most 3 minutes).

Usage: python benchmarks/adds.py [--n 1000] [--size 100k | --data DIR]

Each add is its own process (stdout on a pipe), run one after the other with the cache
warm; the first run of the copy (it builds the cache) is not counted. Prints the total
wall time, the per-add median and slowest, and the CPU time (user + system), then checks
that every event landed and that the ledger still checks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (the runner's own helpers: env, cache, data)

DATES = ["1939-08-23", "1904-02-08", "1945-08-09", "1918", "1937-07", "1931-09-18/1932-02"]


def adds_in_a_row(folder: Path, n: int) -> dict[str, float]:
    """Copy `folder`, warm its cache, time n adds in a row; seconds and counts."""
    work = bench.DATA / "adds-in-a-row"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("events.toml", "sources.toml"):
        shutil.copyfile(folder / name, work / name)
    far = [*bench.farchron(), "--data", str(work)]
    bench.clear_cache()
    bench.once([*far, "timeline", "1939"])  # a first run leaves the cache behind
    walls, cpus = [], []
    start = time.perf_counter()
    for i in range(n):
        t, _ = bench.once([*far, "add", "event", "--title", f"Note of the day {i}",
                           "--date", DATES[i % len(DATES)], "--note", "1"])
        walls.append(t)
        cpus.append(bench.LAST_CPU[0])
    total = time.perf_counter() - start
    ids = subprocess.run([*far, "timeline", "--from", "-9999", "--to", "9999", "-f", "tsv"],
                         capture_output=True, text=True, env=bench.env()).stdout
    landed = sum(f"note-of-the-day-{i}\t" in ids for i in range(n))
    check = subprocess.run([*far, "check"], capture_output=True, env=bench.env()).returncode
    shutil.rmtree(work, ignore_errors=True)
    return {"total": total, "median": statistics.median(walls), "max": max(walls),
            "cpu": sum(cpus), "landed": landed, "check": check}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="adds in a row (1000)")
    ap.add_argument("--size", default="100k", help="a generated ledger (100k)")
    ap.add_argument("--data", type=Path, help="this ledger folder instead (copied)")
    args = ap.parse_args()
    folder = args.data or bench.ensure_data(args.size)
    got = adds_in_a_row(folder, args.n)
    print(f"{args.n} adds in a row into {folder}: {got['total']:.1f} s "
          f"(median {got['median'] * 1000:.0f} ms, slowest {got['max'] * 1000:.0f} ms, "
          f"CPU {got['cpu']:.1f} s); {got['landed']}/{args.n} landed; check exit "
          f"{got['check']:.0f}")
    return 0 if got["landed"] == args.n and got["check"] == 0 else 1


if __name__ == "__main__":
    os.environ.pop("FARCHRON_NO_CACHE", None)
    sys.exit(main())
