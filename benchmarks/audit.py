"""Timings of `farchron audit` against a big ledger: the figures the audit issue asks for.

Usage: python benchmarks/audit.py [--size 100k] [--runs 3]

Generates the ledger with benchmarks/generate.py (benchmarks/data/, gitignored) and
drafts from the seed paper beside the checkout (or the test draft): a 565-word page, a
25,000-word draft, 100 KB and 1 MB drafts (for linearity), and an 8 MB one (answered with
a result or the size message). Each is run as a real process with stdout on a pipe and a
warm cache (one untimed run first); wall time is the median of --runs, peak RSS the
child's own ru_maxrss.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PAPER = ROOT.parent / "shared" / "seed" / "soviet-far-eastern-strategy.md"
SOURCE = PAPER if PAPER.is_file() else ROOT / "tests" / "fixtures" / "audit" / "draft.md"


def farchron() -> list[str]:
    exe = Path(sys.executable).parent / "farchron"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "farchron"]


def body_paragraphs() -> list[str]:
    text = SOURCE.read_text(encoding="utf-8")
    return [p for p in text.split("\n\n")
            if p.strip() and not p.lstrip().startswith(("<sup>", "#", "---", "[^"))]


def draft(words: int | None = None, size: int | None = None) -> str:
    """Body paragraphs of the paper, repeated until `words` words or `size` bytes."""
    paras = body_paragraphs()
    out: list[str] = []
    n = k = got = 0
    while True:
        p = paras[k % len(paras)]
        out.append(p)
        k += 1
        n += len(p.split())
        got += len(p.encode("utf-8")) + 2
        if (words is not None and n >= words) or (size is not None and got >= size):
            return "\n\n".join(out) + "\n"


def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB, exit status and CPU seconds (user + system) of
    one run: on a shared machine the CPU time says what the wall time cannot."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert p.stdout is not None
    while p.stdout.read(1 << 16):
        pass
    _, status, usage = os.wait4(p.pid, 0)
    return (time.perf_counter() - t, usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="100k")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ledger = DATA / args.size
    if not (ledger / "events.toml").is_file():
        subprocess.run([sys.executable, str(HERE / "generate.py"), args.size, str(ledger)],
                       check=True)
    drafts = DATA / "drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    cases = {
        "page-565w": draft(words=565),
        "draft-25kw": draft(words=25_000),
        "draft-100KB": draft(size=100_000),
        "draft-1MB": draft(size=1_000_000),
        "draft-8MB": draft(size=8_000_000),
    }
    env = {k: v for k, v in os.environ.items()
           if k not in ("FARCHRON_NO_CACHE", "FARCHRON_DATA", "PYTHONUNBUFFERED")}
    env["XDG_CACHE_HOME"] = str(DATA / f"xdg-cache-audit-{os.getpid()}")
    print(f"ledger: {args.size} events; drafts from {SOURCE.name}; median of {args.runs}")
    print("| draft | words | bytes | wall s | CPU s | peak MB | exit |")
    print("|---|---|---|---|---|---|---|")
    times = {}
    for name, text in cases.items():
        path = drafts / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        cmd = [*farchron(), "--data", str(ledger), "audit", str(path)]
        once(cmd, env)  # warm the cache
        runs = [once(cmd, env) for _ in range(1 if name == "draft-8MB" else args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        times[name] = wall
        print(f"| {name} | {len(text.split())} | {len(text.encode())} | {wall:.2f} | "
              f"{cpu:.2f} | {max(r[1] for r in runs):.0f} | {runs[-1][2]} |", flush=True)
    print(f"\n1 MB / 100 KB wall time ratio: {times['draft-1MB'] / times['draft-100KB']:.1f}")


if __name__ == "__main__":
    main()
