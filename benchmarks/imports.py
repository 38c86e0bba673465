"""Import speed: RIS growing linearly with its records, BibTeX next to bibtexparser's parse.

Usage: python benchmarks/imports.py [--ris 40000,80000] [--bib 10000] [--runs 1]

Each figure is a whole `farchron import` process into a new ledger (`farchron init` first),
wall and CPU (user + system of the child), the median of --runs. Two checks follow issue 27:

- RIS: importing 2N records takes at most 2.5x the time of N (it was quadratic: every new
  id copied the set of ids; 40k took 39 s, 80k 126 s);
- BibTeX: a 10k-entry import takes at most 3x the time bibtexparser needs to parse the same
  file (`python -c "bibtexparser.parse_file(...)"`, its default middlewares), both whole
  processes.

The inputs are generated, seeded: works by 3,000 authors (Latin, Cyrillic and Japanese
names), 1850-2020, titles from a period vocabulary with a serial, LaTeX accents and dashes
in the BibTeX (`{\\"u}`, `{\\v{s}}`, `--`) and @string macros. Exit status 1 if a bound is
exceeded.
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

SEED = 1868
FAMILIES = ["Ishikawa", "Nakamura", "Petrov", "Sokolov", "Müller", "Dvořák", "Šimek",
            "O'Brien", "van der Berg", "Lefèvre", "Kowalski", "Öztürk", "Andersson",
            "Иванов", "Кузнецов", "山田", "鈴木", "Haruki", "Yamagata", "Bertrand"]
GIVEN = ["Akira", "Anna", "Boris", "Chiyo", "Émile", "Jan", "Karel", "Maria", "Olga",
         "Taro", "Юрий", "花子", "Pierre", "Ingrid", "Mehmet"]
WORDS = ["Meiji", "Restoration", "Treaty", "Ports", "Silk", "Railway", "Reform", "Empire",
         "Tariff", "Consulate", "Famine", "Harbour", "Mission", "Survey", "Frontier",
         "Cotton", "Printing", "Rebellion", "Diet", "Constitution", "Whaling", "Telegraph"]
LATEX = {"Müller": "M{\\\"u}ller", "Dvořák": "Dvo{\\v{r}}{\\'a}k", "Šimek": "{\\v{S}}imek",
         "Lefèvre": "Lef{\\`e}vre", "Öztürk": "{\\\"O}zt{\\\"u}rk", "Émile": "{\\'E}mile"}


def _work(rng: random.Random, i: int) -> tuple[str, str, str, str, int, str]:
    fam = rng.choice(FAMILIES) + ("" if i % 7 else f"-{rng.randint(1, 400)}")
    given = rng.choice(GIVEN)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))) + f" {i}"
    journal = f"Journal of {rng.choice(WORDS)} Studies"
    year = rng.randint(1850, 2020)
    pages = f"{rng.randint(1, 300)}--{rng.randint(301, 600)}"
    return fam, given, title, journal, year, pages


def ris(n: int) -> str:
    rng = random.Random(SEED)
    out = []
    for i in range(n):
        fam, given, title, journal, year, pages = _work(rng, i)
        sp, ep = pages.split("--")
        out.append(f"TY  - JOUR\nAU  - {fam}, {given}\nTI  - {title}\nT2  - {journal}\n"
                   f"PY  - {year}\nSP  - {sp}\nEP  - {ep}\nVL  - {rng.randint(1, 90)}\nER  - \n")
    return "\n".join(out)


def bibtex(n: int) -> str:
    rng = random.Random(SEED)
    out = ['@string{ jas = "Journal of Asian Studies" }\n']
    for i in range(n):
        fam, given, title, journal, year, pages = _work(rng, i)
        fam_tex = LATEX.get(fam.split("-")[0], fam.split("-")[0]) + (
            "-" + fam.split("-")[1] if "-" in fam else "")
        given_tex = LATEX.get(given, given)
        jour = "jas" if i % 5 == 0 else "{" + journal + "}"
        out.append(f"@article{{w{i},\n  author = {{{fam_tex}, {given_tex}}},\n"
                   f"  title = {{{title} in {{\\\"O}}saka}},\n  journal = {jour},\n"
                   f"  year = {year},\n  pages = {{{pages}}},\n}}\n")
    return "\n".join(out)


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = os.times()
    t0 = time.perf_counter()
    r = subprocess.run(argv, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    if r.returncode != 0:
        sys.exit(f"{' '.join(argv[:6])}...: exit {r.returncode}\n{r.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    return wall, cpu


def import_time(text: str, suffix: str, runs: int, tmp: Path) -> tuple[float, float]:
    src = tmp / f"in{suffix}"
    src.write_text(text, encoding="utf-8")
    env = {**os.environ, "FARCHRON_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp / "cache")}
    walls, cpus = [], []
    for _ in range(runs):
        ledger = tmp / "ledger"
        shutil.rmtree(ledger, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "farchron", "init", str(ledger)], env=env,
                       check=True, capture_output=True)
        w, c = _timed([sys.executable, "-m", "farchron", "--data", str(ledger), "import",
                       str(src)], env)
        walls.append(w)
        cpus.append(c)
    return statistics.median(walls), statistics.median(cpus)


def parse_time(text: str, runs: int, tmp: Path) -> tuple[float, float]:
    src = tmp / "parse.bib"
    src.write_text(text, encoding="utf-8")
    code = ("import bibtexparser, sys; lib = bibtexparser.parse_file(sys.argv[1]); "
            "assert lib.entries")
    walls, cpus = [], []
    for _ in range(runs):
        w, c = _timed([sys.executable, "-c", code, str(src)], dict(os.environ))
        walls.append(w)
        cpus.append(c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ris", default="40000,80000")
    ap.add_argument("--bib", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="farchron-bench-") as t:
        tmp = Path(t)
        sizes = [int(s) for s in args.ris.split(",") if s]
        rows = []
        for n in sizes:
            wall, cpu = import_time(ris(n), ".ris", args.runs, tmp)
            rows.append((n, wall, cpu))
            print(f"RIS {n:>7} records: {wall:7.2f} s wall, {cpu:7.2f} s CPU", flush=True)
        if len(rows) >= 2:
            (n1, w1, c1), (n2, w2, c2) = rows[0], rows[-1]
            bound = 2.5 * (n2 / n1) / 2
            print(f"RIS {n2} vs {n1}: {w2 / w1:.2f}x wall, {c2 / c1:.2f}x CPU "
                  f"(bound {bound:.2f}x)")
            ok &= c2 / c1 <= bound
        if args.bib:
            text = bibtex(args.bib)
            wall, cpu = import_time(text, ".bib", args.runs, tmp)
            pw, pc = parse_time(text, args.runs, tmp)
            print(f"BibTeX {args.bib} entries: import {wall:.2f} s wall, {cpu:.2f} s CPU; "
                  f"bibtexparser.parse_file {pw:.2f} s wall, {pc:.2f} s CPU: "
                  f"{wall / pw:.2f}x wall, {cpu / pc:.2f}x CPU (bound 3x)")
            ok &= cpu / pc <= 3
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
