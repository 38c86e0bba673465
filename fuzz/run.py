"""Run every fuzz target briefly, so they keep compiling and finding the easy bugs.

    python fuzz/run.py [SECONDS]      (default 3 seconds a target)

With atheris installed each target fuzzes for SECONDS under libFuzzer; without it (it
builds only on some Pythons), test_one_input is called over a seeded random corpus in a
plain loop for SECONDS, and this says so. Exit 1 on the first failure.
"""

from __future__ import annotations

import importlib
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ("fuzz_dates", "fuzz_ledger", "fuzz_args", "fuzz_cache", "fuzz_toml")


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    sys.path.insert(0, str(HERE.parent))
    try:
        import atheris
    except ImportError:
        atheris = None
    for name in TARGETS:
        if atheris is not None:
            # faulthandler: a stack overflow in native code kills the process before
            # libFuzzer can report it; the Python traceback at least names the call.
            cmd = [sys.executable, "-X", "faulthandler", str(HERE / f"{name}.py"),
                   f"-max_total_time={int(seconds)}", "-rss_limit_mb=4096", "-max_len=4096",
                   "-timeout=20"]
            if name == "fuzz_dates":
                cmd.append(f"-dict={HERE / 'edtf.dict'}")
            env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
            r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=HERE.parent)
            tail = (r.stderr or "").strip().splitlines()[-1:] or [""]
            print(f"{name}: atheris, {seconds:g} s, exit {r.returncode}: {tail[0][:100]}")
            if r.returncode != 0:
                if r.returncode < 0:
                    print(f"{name}: killed by signal {-r.returncode}")
                print(r.stderr[-3000:])
                return 1
            continue
        mod = importlib.import_module(f"fuzz.{name}")
        rng = random.Random(f"farchron-{name}")
        end, runs = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            data = rng.randbytes(rng.choice((8, 64, 512, 4096)))
            try:
                mod.test_one_input(data)
            except Exception:
                print(f"{name}: FAILED on input {data!r}")
                raise
            runs += 1
        print(f"{name}: atheris not installed; {runs} seeded inputs in a plain loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
