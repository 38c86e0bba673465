"""How close to the limit: farchron's warm commands next to what other tools need for the
same answer on the same data, as whole processes (medians, stdout on a pipe).

Usage: python benchmarks/limits.py [SIZE]     (default 100k; data from run.py's folder)

- tomli parse: reading the two TOML files at all (the cold floor);
- grep -c -i: one pass over events.toml's bytes, no parsing (a text search's floor);
- SQLite: the same date-range query (indexed day numbers, rows for 1939) and FTS5 search
  candidates for the query, from a database built once from the ledger (python -c with
  sqlite3, so Python's start-up is in both);
- append one record + fsync: the least a durable `add` can cost (on a copy of events.toml);
- python -c "pass": the interpreter's own start-up.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import DATA, PY, ensure_data, env, farchron, once, parse_n  # noqa: E402


def build_sqlite(folder: Path, db: Path) -> None:
    from farchron.ledger import load as ledger
    from farchron.store.cache import day

    led = ledger.load(folder)
    if db.exists():
        db.unlink()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE events (pos INTEGER PRIMARY KEY, id TEXT, title TEXT, "
                "date TEXT, start INTEGER, end_ INTEGER, summary TEXT)")
    con.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?)",
                    [(i, e.id, e.title, e.date.text, day(e.date.start), day(e.date.end),
                      e.summary) for i, e in enumerate(led.events)])
    con.execute("CREATE INDEX ev_start ON events(start, end_)")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, summary, content='events', "
                "content_rowid='pos')")
    con.execute("INSERT INTO fts(rowid, title, summary) SELECT pos, title, summary FROM events")
    con.commit()
    con.close()


def med(cmd: list[str], runs: int) -> tuple[float, float]:
    ts, cs = [], []
    from run import LAST_CPU

    for _ in range(runs):
        t, _pk = once(cmd)
        ts.append(t * 1000)
        cs.append(LAST_CPU[0] * 1000)
    return statistics.median(ts), statistics.median(cs)


def main() -> int:
    label = sys.argv[1] if len(sys.argv) > 1 else "100k"
    n = parse_n(label)
    folder = ensure_data(label)
    db = DATA / f"{label}.sqlite"
    if not db.exists():
        print("building the SQLite database ...", file=sys.stderr)
        build_sqlite(folder, db)
    runs = 5
    ev, src = folder / "events.toml", folder / "sources.toml"
    lo, hi = 19390101, 19391231
    far = [*farchron(), "--data", str(folder)]
    scratch = DATA / f"{label}-append-floor.toml"  # the floor of an add: one append, fsynced
    shutil.copyfile(ev, scratch)
    subprocess.run([*far, "timeline", "1939"], capture_output=True, env=env())
    subprocess.run([*far, "search", "Nomonhan incident"], capture_output=True, env=env())
    rows = [
        ("python -c pass", [PY, "-c", "pass"]),
        ("tomli parse (both files)", [PY, "-c", "import sys, tomli\nfor p in sys.argv[1:]:\n"
                                      "    tomli.load(open(p, 'rb'))", str(ev), str(src)]),
        ("grep -c -i 'nomonhan incident'", ["grep", "-c", "-i", "nomonhan incident", str(ev)]),
        ("SQLite: rows of 1939 (indexed)", [
            PY, "-c", "import sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\n"
            "for r in con.execute('SELECT id, date, title FROM events WHERE start <= ? AND "
            "end_ >= ? ORDER BY pos', (int(sys.argv[3]), int(sys.argv[2]))):\n"
            "    print(*r, sep='\\t')", str(db), str(lo), str(hi)]),
        ("SQLite FTS5: candidates of 'nomonhan OR incident'", [
            PY, "-c", "import sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\n"
            "print(len(con.execute(\"SELECT rowid FROM fts WHERE fts MATCH 'nomonhan OR "
            "incident'\").fetchall()))", str(db)]),
        ("append one record + fsync (a copy of events.toml)", [
            PY, "-c", "import os, sys\nwith open(sys.argv[1], 'ab') as f:\n"
            "    f.write(b'\\n[[event]]\\nid = \"x\"\\ntitle = \"X\"\\ndate = \"1939\"\\n')\n"
            "    f.flush()\n    os.fsync(f.fileno())", str(scratch)]),
        ("farchron timeline 1939 (warm)", [*far, "timeline", "1939"]),
        ("farchron search 'Nomonhan incident' (warm)", [*far, "search", "Nomonhan incident"]),
        ("farchron cite 'Nomonhan incident' (warm)", [*far, "cite", "Nomonhan incident"]),
        ("farchron search Zhukov (warm; an actor of thousands)", [*far, "search", "Zhukov"]),
        ("farchron stats (warm)", [*far, "stats"]),
        ("farchron check (warm, unchanged files)", [*far, "check"]),
    ]
    print(f"{label} ({n:,} events), medians of {runs}; "
          f"load average {os.getloadavg()[0]:.1f} at the start, {time.strftime('%Y-%m-%d')}\n")
    print("| what | wall ms | CPU ms |")
    print("|---|---:|---:|")
    for name, cmd in rows:
        t, c = med(cmd, runs)
        print(f"| {name} | {t:.0f} | {c:.0f} |", flush=True)
    scratch.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
