"""farchron-pandoc on a generated 50-page chapter with 300 citation keys, warm.

Usage: python benchmarks/pandoc_filter.py [--runs N] [--pages 50] [--keys 300]

The chapter (seeded): 50 pages of about 330 words, 300 keys spread over them — event
notes `[@event-id]` (repeats included, so short forms and Ibid. occur), works with
locators and prefixes `[see @work-id, 12–14]`, in-text dates `@event-id`, and keys the
ledger does not know. Against the shipped ledger, with the cache warm (one run first).

Prints, medians of N runs (each pair alternating, so both see the same machine load):
  pandoc alone         pandoc chapter.md -t plain
  pandoc + filter      pandoc chapter.md --filter farchron-pandoc -t plain
  filter alone         farchron-pandoc < chapter.json (pandoc's AST, written once)
and the ratio of the second to the first.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("the", "army", "border", "treaty", "ceasefire", "negotiations", "ministry",
         "division", "offensive", "delegation", "telegram", "cabinet", "frontier", "river",
         "supply", "railway", "ambassador", "decision", "war", "peace", "council",
         "strategy", "order", "forces", "command", "note", "report", "line", "front")


def chapter(pages: int, keys: int, seed: int = 1939) -> str:
    sys.path.insert(0, str(ROOT))
    from farchron.ledger.load import load

    ledger = load(ROOT)
    events = [e.id for e in ledger.events]
    works = list(ledger.sources)
    rnd = random.Random(seed)
    sentences = pages * 330 // 15
    at = set(rnd.sample(range(sentences), keys))
    out = ["---\ntitle: A generated chapter\n---\n"]
    para: list[str] = []
    for i in range(sentences):
        words = " ".join(rnd.choice(WORDS) for _ in range(14))
        s = words[0].upper() + words[1:]
        if i in at:
            kind = rnd.random()
            if kind < 0.55:
                s += f" [@{rnd.choice(events[:40])}]"
            elif kind < 0.8:
                a = rnd.randint(1, 400)
                s += f" [see @{rnd.choice(works)}, {a}--{a + 3}]"
            elif kind < 0.9:
                s = f"On @{rnd.choice(events)} the {s.lower()}"
            else:
                s += f" [@zotero-{rnd.randint(1, 30)}, {rnd.randint(1, 99)}]"
        para.append(s + ".")
        if len(para) == 8:
            out.append(" ".join(para) + "\n")
            para = []
    out.append(" ".join(para) + "\n")
    return "\n".join(out)


def _time(argv: list[str], env: dict[str, str], stdin: Path | None = None) -> float:
    t = time.perf_counter()
    with open(stdin or os.devnull, "rb") as f:
        subprocess.run(argv, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--keys", type=int, default=300)
    opts = ap.parse_args()
    filt = shutil.which("farchron-pandoc", path=str(Path(sys.executable).parent))
    if shutil.which("pandoc") is None or filt is None:
        sys.exit("needs pandoc and farchron-pandoc (pip install . in this environment)")
    with tempfile.TemporaryDirectory(prefix="farchron-bench-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FARCHRON_")}
        env.update(XDG_CACHE_HOME=str(folder / "cache"), FARCHRON_DATA=str(ROOT),
                   PATH=f"{Path(filt).parent}{os.pathsep}{env.get('PATH', '')}")
        doc = folder / "chapter.md"
        doc.write_text(chapter(opts.pages, opts.keys), encoding="utf-8")
        ast = folder / "chapter.json"
        subprocess.run(["pandoc", str(doc), "-t", "json", "-o", str(ast)], check=True)
        alone = ["pandoc", str(doc), "-t", "plain"]
        with_filter = ["pandoc", str(doc), "--filter", "farchron-pandoc", "-t", "plain"]
        _time(with_filter, env)  # the cache filled: every run below is warm
        a, b, f = [], [], []
        for _ in range(opts.runs):
            a.append(_time(alone, env))
            b.append(_time(with_filter, env))
            f.append(_time([filt, "plain"], env, ast))
        words = len(doc.read_text(encoding="utf-8").split())
        ma, mb, mf = (statistics.median(x) for x in (a, b, f))
        print(f"chapter: {opts.pages} pages, {words} words, {opts.keys} keys, "
              f"AST {ast.stat().st_size // 1024} KiB; medians of {opts.runs} warm runs")
        print("| run | wall (s) |\n|---|---|")
        print(f"| pandoc alone | {ma:.3f} |")
        print(f"| pandoc + farchron-pandoc | {mb:.3f} |")
        print(f"| farchron-pandoc alone (JSON in, JSON out) | {mf:.3f} |")
        print(f"| ratio pandoc + filter / pandoc alone | {mb / ma:.2f} |")


if __name__ == "__main__":
    main()
