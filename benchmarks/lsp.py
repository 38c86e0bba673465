"""`farchron lsp` timings, as a real server process spoken to over stdio.

Usage: python benchmarks/lsp.py [--no-100k] [--runs N]

Three figures (the targets of issue 22):
  start     process start to the `initialize` answer, and to the first diagnostics of a
            draft, warm (the ledger's cache in place); target < 0.5 s to `initialized`;
  edit      a one-line change of a 10,000-word draft (the paper read back, else the audit
            fixture repeated) to its new diagnostics, shipped ledger, warm; target 300 ms
            (the server waits DEBOUNCE = 150 ms after the last keystroke first);
  edit@100k the same against a generated ledger of 100,000 events; target 1 s.
Medians of N runs. The cache folder is benchmarks/data/xdg-cache-lsp (gitignored).
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
sys.path.insert(0, str(ROOT / "tests" / "lsp"))

from lspclient import Client  # noqa: E402


def draft_text() -> str:
    if PAPER.is_file():
        return PAPER.read_text(encoding="utf-8")
    one = (ROOT / "tests" / "fixtures" / "audit" / "draft.md").read_text(encoding="utf-8")
    return "\n\n".join([one] * 7)  # about 11,000 words


def one_line_change(text: str, k: int) -> str:
    """The text with one word of a line in the middle changed (a new word each time)."""
    lines = text.split("\n")
    i = len(lines) // 2
    while not lines[i].strip():
        i += 1
    lines[i] = lines[i] + f" edit{k}"
    return "\n".join(lines)


def session(data: Path, runs: int) -> dict[str, float]:
    env = {"XDG_CACHE_HOME": str(DATA / "xdg-cache-lsp")}
    t0 = time.perf_counter()
    c = Client(data, env=env)
    try:
        c.request("initialize", {"processId": os.getpid(), "rootUri": data.as_uri(),
                                 "capabilities": {}, "initializationOptions": {
                                     "data": str(data)}}, timeout=600)
        t_init = time.perf_counter() - t0
        c.notify("initialized", {})
        text = draft_text()
        uri = c.open(data / "bench-draft.md", text)
        c.diagnostics(uri, timeout=600)
        t_first = time.perf_counter() - t0
        edits = []
        for k in range(runs):
            new = one_line_change(text, k)
            t = time.perf_counter()
            c.change(uri, new, k + 2)
            c.diagnostics(uri, timeout=600)
            edits.append(time.perf_counter() - t)
        return {"init": t_init, "first": t_first, "edit": statistics.median(edits)}
    finally:
        c.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-100k", action="store_true")
    args = ap.parse_args()
    words = len(draft_text().split())
    rows = []
    session(ROOT, 1)  # warm the cache
    starts = [session(ROOT, args.runs) for _ in range(3)]
    init = statistics.median(s["init"] for s in starts)
    first = statistics.median(s["first"] for s in starts)
    edit = statistics.median(s["edit"] for s in starts)
    rows.append(("start-up to `initialize` answered (warm)", f"{init * 1000:.0f} ms", "500 ms"))
    rows.append((f"start-up to first diagnostics of a {words:,}-word draft (warm)",
                 f"{first * 1000:.0f} ms", "—"))
    rows.append((f"one-line change → diagnostics, {words:,} words, shipped ledger",
                 f"{edit * 1000:.0f} ms", "300 ms"))
    if not args.no_100k:
        big = DATA / "100k"
        if not (big / "events.toml").is_file():
            subprocess.run([sys.executable, str(HERE / "generate.py"), "100k", str(big)],
                           check=True)
        session(big, 1)  # build the cache
        s = session(big, args.runs)
        rows.append(("start-up to `initialize` answered, 100k events (warm)",
                     f"{s['init'] * 1000:.0f} ms", "—"))
        rows.append(("start-up to first diagnostics, 100k events (warm)",
                     f"{s['first'] * 1000:.0f} ms", "—"))
        rows.append((f"one-line change → diagnostics, {words:,} words, 100k events",
                     f"{s['edit'] * 1000:.0f} ms", "1 s"))
    print("| `farchron lsp` | median | target |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
