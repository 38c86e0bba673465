"""Old Style periods: with --calendar julian a PERIOD is read in the Julian calendar, and
without it a period that misses Julian-dated events just across its edge says so on a
terminal. Field: Petrograd, 1917 (events kept as the Russian press dated them)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import invoke, write_ledger

EVENTS = '''
[[event]]
id = "october-revolution"
title = "Bolsheviks take the Winter Palace"
date = "1917-10-25"
calendar = "julian"
citations = [{ note = 1 }]

[[event]]
id = "kornilov-affair"
title = "Kornilov affair"
date = "1917-08-27/1917-08-31"
calendar = "julian"
citations = [{ note = 1 }]

[[event]]
id = "pre-parliament"
title = "Pre-Parliament opens"
date = "1917-10-20"
citations = [{ note = 1 }]
'''


def _ids(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.split("\t")[0] for line in r.stdout.splitlines()]


def test_october_in_the_julian_calendar_holds_the_revolution(tmp_path: Path):
    data = write_ledger(tmp_path, EVENTS)
    greg = invoke("timeline", "Oct 1917", "-f", "tsv", data=data)
    assert _ids(greg) == ["pre-parliament"]  # 25 Oct OS is 7 Nov
    old = invoke("timeline", "Oct 1917", "--calendar", "julian", "-f", "tsv", data=data)
    assert _ids(old) == ["pre-parliament", "october-revolution"]  # 14 Oct–13 Nov NS
    assert _ids(invoke("timeline", "Oct 1917 OS", "-f", "tsv", data=data)) == _ids(old)
    aug = invoke("timeline", "--from", "Aug 1917", "--to", "Aug 1917", "--calendar", "julian",
                 "-f", "tsv", data=data)
    assert _ids(aug) == ["kornilov-affair"]
    greg_aug = invoke("timeline", "1917-08", "--edtf", "-f", "tsv", data=data)
    assert "kornilov-affair" not in _ids(greg_aug)  # 9–13 Sep NS


def test_the_hint_on_a_terminal(tmp_path: Path):
    data = write_ledger(tmp_path, EVENTS)
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["FARCHRON_NO_CACHE"] = "1"
    proc = subprocess.run([sys.executable, "-m", "farchron", "--data", str(data), "timeline",
                           "Oct 1917", "-f", "tsv"], stdout=subprocess.PIPE, stderr=slave,
                          env=env, timeout=60)
    os.close(slave)
    err = os.read(master, 4096).decode()
    os.close(master)
    assert proc.returncode == 0
    assert "1 event dated Oct 1917 OS falls outside Oct 1917" in err
    assert "try 'Oct 1917 OS'" in err
    piped = invoke("timeline", "Oct 1917", "-f", "tsv", data=data)
    assert "OS" not in piped.stderr  # a pipe or a script gets no hint
