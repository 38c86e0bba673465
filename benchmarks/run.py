"""Whole-process timings of farchron next to their floors, as one Markdown table.

Usage: python benchmarks/run.py [--sizes 1k,10k,100k] [--1m] [--runs N] [--works 10k]
                                [--adds 1000]

For each ledger size it generates the data once (benchmarks/data/, gitignored), then
times `timeline`, `search`, `cite` and `check` (those that exist in this build) as real
processes with stdout on a pipe, medians of N runs (and, on the shipped ledger only,
`audit` of the paper):
  cold  = no cache (the cache folder is emptied before every run: a first run),
  warm  = the cache is in place (every later run).
Each is shown next to its floor, measured in the same run: `python -c "import click"`
for start-up on the shipped ledger, and tomli parsing the same two files for a data size.
Peak memory is each child's own ru_maxrss (os.wait4; resource.getrusage of children).

`sources QUERY` is timed on a ledger of --works works (10k; 0 skips it), cold and warm,
against `import click` (its goal is absolute: 0.2 s warm at 10k works).

Where this build has `add`, each size also times `add event` on a copy of the ledger with
a warm cache (an add must not read the file), then the warm `timeline` right after it
(the cache must have been extended, not thrown away), both paired with `import click`;
at 100k, --adds adds in a row (1,000; benchmarks/adds.py) against 3 minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
CACHE = DATA / f"xdg-cache-{os.getpid()}"  # its own: two runners never share one
PY = sys.executable

QUERIES = {
    "timeline": ["timeline", "1939"],
    "search": ["search", "Nomonhan incident"],
    "cite": ["cite", "Nomonhan incident"],
    "check": ["check"],  # warm: on unchanged files
    "stats": ["stats"],
    "show": ["show", "{ID}"],  # an id of the ledger (its 500th event, or the shipped one)
    "chart": ["chart", "1939-08"],  # into a pipe: plain text
}
#: Timed on the shipped ledger only: the paper read back by `audit` (about 10,000 words;
#: the test draft where the paper is not beside the checkout).
PAPER = ROOT.parent / "shared" / "seed" / "soviet-far-eastern-strategy.md"
SHIPPED_ONLY = {
    "audit": ["audit", str(PAPER if PAPER.is_file()
                           else ROOT / "tests" / "fixtures" / "audit" / "draft.md")],
    "date": ["date", "1939-08-23"],  # EDTF: no written-date pattern to compile
    "sources": ["sources", "Hanada"],
    "notes": ["notes"],
    "export html": ["export", "html", "1939", "-o", "-"],  # the page on stdout
    "audit page": ["audit", str(HERE / "page.md")],  # one page, typographic punctuation
}
#: `sources QUERY` on the --works ledger
WORKS_QUERY = ["sources", "Soviet mobilisation"]


def farchron() -> list[str]:
    exe = Path(PY).parent / "farchron"
    return [str(exe)] if exe.exists() else [PY, "-m", "farchron"]


def env() -> dict[str, str]:
    # As a user's shell has it: bytecode is written and read (PYTHONDONTWRITEBYTECODE would
    # recompile farchron on every run), output is buffered.
    drop = ("FARCHRON_NO_CACHE", "FARCHRON_DATA", "NO_COLOR", "FORCE_COLOR",
            "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
    e = {k: v for k, v in os.environ.items() if k not in drop}
    e["XDG_CACHE_HOME"] = str(CACHE)
    return e


def clear_cache() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)


#: CPU seconds (user + system) of the last `once`: the child's own, from os.wait4.
LAST_CPU = [0.0]


def once(cmd: list[str]) -> tuple[float, float]:
    """Wall time of one run (stdout on a pipe, read to the end) and its peak RSS in MB.

    The CPU time (user + system, forked helpers included once they are reaped) is left
    in LAST_CPU: on a shared machine it says what the wall time cannot.
    """
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env())
    assert p.stdout is not None
    while p.stdout.read(1 << 16):
        pass
    _, _, usage = os.wait4(p.pid, 0)  # this child's own rusage (ru_maxrss in KiB on Linux)
    p.returncode = 0
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - t, usage.ru_maxrss / 1024


def median(cmd: list[str], runs: int, prepare=None, warmup: int = 1
           ) -> tuple[float, float, float]:
    """Median seconds over `runs`, the highest peak RSS (MB) seen, median CPU seconds."""
    for _ in range(warmup):
        if prepare:
            prepare()
        once(cmd)
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        if prepare:
            prepare()
        t, pk = once(cmd)
        times.append(t)
        peaks.append(pk)
        cpus.append(LAST_CPU[0])
    return statistics.median(times), max(peaks), statistics.median(cpus)


def paired(cmd: list[str], floor: list[str], runs: int, prepare=None,
           warmup: int = 1) -> tuple[float, float, float, float, float]:
    """Medians (ms) of cmd and its floor run alternately, cmd's highest peak RSS (MB),
    and the median CPU ms of cmd and of the floor."""
    for _ in range(warmup):
        if prepare:
            prepare()
        once(cmd)
        once(floor)
    times, floors, peaks, cpus, fcpus = [], [], [], [], []
    for _ in range(runs):
        if prepare:
            prepare()
        t, pk = once(cmd)
        cpus.append(LAST_CPU[0])
        times.append(t)
        peaks.append(pk)
        floors.append(once(floor)[0])
        fcpus.append(LAST_CPU[0])
    return (statistics.median(times) * 1000, statistics.median(floors) * 1000, max(peaks),
            statistics.median(cpus) * 1000, statistics.median(fcpus) * 1000)


def available() -> list[str]:
    """The benchmarked commands this build has (others are being written)."""
    have = []
    for name in [*QUERIES, *SHIPPED_ONLY]:
        r = subprocess.run([*farchron(), name.split()[0], "--help"], capture_output=True,
                           env=env())
        if r.returncode == 0:
            have.append(name)
    return have


def first_id(folder: Path, nth: int = 500) -> str:
    """The id of the ledger's `nth` event (the shipped one: an event of the paper)."""
    import re

    with open(folder / "events.toml", encoding="utf-8") as f:
        seen = 0
        for line in f:
            m = re.match(r'id = "([^"]+)"', line)
            if m:
                seen += 1
                if seen >= nth:
                    return m.group(1)
    return "nomonhan-incident"


def argv_of(name: str, folder: Path) -> list[str]:
    ident = first_id(folder, 500 if folder != ROOT else 1)
    return [a.replace("{ID}", ident) for a in QUERIES[name]]


def parse_n(text: str) -> int:
    t = text.lower()
    return int(t.rstrip("km")) * {"k": 1000, "m": 1_000_000}.get(t[-1:], 1)


def ensure_data(label: str, works: str = "") -> Path:
    out = DATA / (f"{label}-{works}-works" if works else label)
    if not (out / "events.toml").exists():
        print(f"generating {label} events{f', {works} works' if works else ''} ...",
              file=sys.stderr)
        subprocess.run([PY, str(HERE / "generate.py"), label, str(out),
                        *([works] if works else [])], check=True)
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{time.strftime('%Y-%m-%d')}; nproc {os.cpu_count()}; {cpu}; "
            f"Python {platform.python_version()}; {platform.system()} {platform.release()}")


def row(rows: list[str], *cells: object) -> None:
    line = "| " + " | ".join(str(c) for c in cells) + " |"
    rows.append(line)
    print(line, file=sys.stderr, flush=True)


def bench_add(rows: list[str], label: str, n: int, folder: Path, runs: int,
              adds: int) -> None:
    """`add event` on a copy of the ledger (cache warm), then the warm `timeline` after it,
    each paired with `python -c "import click"` (issue 28's goal: an add ≤ 3× import
    click), wall and CPU; at 100k, `adds` adds in a row (benchmarks/adds.py; goal: 1,000
    in 3 minutes).

    Each run appends one more event (the date of the Molotov-Ribbentrop pact: the middle
    of a generated ledger's years, so the record goes in the middle of the file and the
    whole file after it moves); the timeline run follows its add, as a user's next
    command does.
    """
    work = DATA / f"{label}-add"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("events.toml", "sources.toml"):
        shutil.copyfile(folder / name, work / name)
    far = farchron()
    data = ["--data", str(work)]
    clear_cache()
    once([*far, *data, *QUERIES["timeline"]])  # a first run leaves the cache behind
    counter = iter(range(1, 1_000_000))

    def add_cmd() -> list[str]:
        return [*far, *data, "add", "event", "--title", f"Benchmark event {next(counter)}",
                "--date", "1939-08-23", "--note", "1"]

    once(add_cmd())  # the first add after a build reads the file once (its layout)
    click = [PY, "-c", "import click"]
    got: dict[str, list[float]] = {k: [] for k in ("add", "addc", "tl", "tlc", "f", "fc")}
    peaks = []
    for _ in range(max(runs, 3)):
        t, pk = once(add_cmd())
        got["add"].append(t)
        got["addc"].append(LAST_CPU[0])
        peaks.append(pk)
        got["tl"].append(once([*far, *data, *QUERIES["timeline"]])[0])
        got["tlc"].append(LAST_CPU[0])
        got["f"].append(once(click)[0])
        got["fc"].append(LAST_CPU[0])
    med = {k: statistics.median(v) * 1000 for k, v in got.items()}
    for name, t, c in (("add event", med["add"], med["addc"]),
                       ("timeline after add", med["tl"], med["tlc"])):
        row(rows, f"{label} ({n:,})", name, "warm", f"{t:.0f}", "import click",
            f"{med['f']:.0f}", f"{t / med['f']:.2f}×", f"{c:.0f}", f"{c / med['fc']:.2f}×",
            f"{max(peaks):.0f}")
    shutil.rmtree(work, ignore_errors=True)
    if adds and n == 100_000:
        from adds import adds_in_a_row

        a = adds_in_a_row(folder, adds)
        row(rows, f"{label} ({n:,})", f"{adds:,} adds in a row", "warm",
            f"{a['total'] * 1000:.0f}", "3 minutes", "180000",
            f"{a['total'] / 180:.2f}×", f"{a['cpu'] * 1000:.0f}", "–", "–")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k,10k,100k")
    ap.add_argument("--1m", dest="million", action="store_true",
                    help="also 1M events (slow: generation and a cold parse take minutes)")
    ap.add_argument("--runs", type=int, default=0, help="runs per median [auto by size]")
    ap.add_argument("--works", default="10k", help="works for `sources QUERY` (0: skip)")
    ap.add_argument("--adds", type=int, default=1000,
                    help="adds in a row at 100k (benchmarks/adds.py; 0: skip)")
    args = ap.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if args.million and "1M" not in sizes:
        sizes.append("1M")
    far = farchron()
    cmds = available()
    skipped = [c for c in QUERIES if c not in cmds]
    has_add = subprocess.run([*far, "add", "--help"], capture_output=True,
                             env=env()).returncode == 0
    if not has_add:
        skipped.append("add")
    rows: list[str] = []
    print(f"Machine: {machine()}\n")
    print("| ledger | command | cache | median ms | floor | floor ms | ratio | CPU ms | "
          "CPU ratio | peak MB |")
    print("|---|---|---|---:|---|---:|---:|---:|---:|---:|")

    # Start-up on the shipped ledger, against `import click`.
    # Runs of a command and of its floor alternate, so both see the same machine load
    # (other work on a shared machine comes and goes within a minute).
    runs = args.runs or 30
    shipped = ["--data", str(ROOT)]
    clear_cache()
    floor = [PY, "-c", "import click"]
    todo = [(c, "warm", [*far, *shipped, *(argv_of(c, ROOT) if c in QUERIES
                                           else SHIPPED_ONLY.get(c, []))])
            for c in cmds]
    todo.append(("timeline --no-cache", "off", [*far, "--no-cache", *shipped,
                                                *QUERIES["timeline"]]))
    for name, mode, argv in todo:
        t, f, pk, c, fc = paired(argv, floor, runs)
        row(rows, "shipped (142)", name, mode, f"{t:.0f}", "import click", f"{f:.0f}",
            f"{t / f:.2f}×", f"{c:.0f}", f"{c / fc:.2f}×", f"{pk:.0f}")

    if parse_n(args.works) and "sources" in cmds:
        folder = ensure_data("1k", args.works)
        argv = [*far, "--data", str(folder), *WORKS_QUERY]
        for mode in ("cold", "warm"):
            prep = clear_cache if mode == "cold" else None
            t, f, pk, c, fc = paired(argv, floor, args.runs or 10, prepare=prep)
            row(rows, f"{args.works} works", "sources QUERY", mode, f"{t:.0f}", "import click",
                f"{f:.0f}", f"{t / f:.2f}×", f"{c:.0f}", f"{c / fc:.2f}×", f"{pk:.0f}")
        clear_cache()

    for label in sizes:
        n = parse_n(label)
        runs = args.runs or (10 if n <= 1_000 else 5 if n <= 10_000 else 3 if n <= 100_000
                             else 1)
        warmup = 1 if n <= 10_000 else 0
        folder = ensure_data(label)
        ev, src = folder / "events.toml", folder / "sources.toml"
        floor_cmd = [PY, "-c", "import sys, tomli\nfor p in sys.argv[1:]:\n"
                     "    tomli.load(open(p, 'rb'))", str(ev), str(src)]
        single = n > 100_000  # 1M: the floor once, not beside every run (minutes each)
        parse_ms = parse_cpu = 0.0
        if single:
            pt, _pk, pc = median(floor_cmd, runs, warmup=0)
            parse_ms, parse_cpu = pt * 1000, pc * 1000
        data = ["--data", str(folder)]
        for c in cmds:
            if c not in QUERIES:
                continue  # shipped ledger only
            argv = [*far, *data, *argv_of(c, folder)]
            for mode in ("cold", "warm"):
                # warm: the last cold run left its cache behind, as a first run does
                prep = clear_cache if mode == "cold" else None
                if single:
                    t, pk, cpu = median(argv, runs, prepare=prep, warmup=0)
                    t, f, cpu, fc = t * 1000, parse_ms, cpu * 1000, parse_cpu
                else:
                    t, f, pk, cpu, fc = paired(argv, floor_cmd, runs, prepare=prep,
                                               warmup=warmup if mode == "cold" else 0)
                row(rows, f"{label} ({n:,})", c, mode, f"{t:.0f}", "tomli parse",
                    f"{f:.0f}", f"{t / f:.2f}×", f"{cpu:.0f}", f"{cpu / fc:.2f}×", f"{pk:.0f}")
        if has_add:
            bench_add(rows, label, n, folder, runs, args.adds)
        clear_cache()
    print("\n".join(rows))
    if skipped:
        print(f"\nNot in this build, skipped: {', '.join(skipped)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
