"""Issue 27: random interleavings of add, edit and import on one ledger, as real processes
started together. Whatever the order the lock gives them, the ledger checks and every
record a process acknowledged (exit 0, its id printed) is there."""

from __future__ import annotations

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.authoring.writes_helpers import (
    EVENTS,
    checks,
    editor,
    env,
    farchron,
    make_ledger,
    records,
)
from tests.conftest import invoke

EVENT_IDS = ["edict-of-gulhane", "reform-edict-of-1856", "first-ottoman-constitution"]

operation = st.sampled_from(["add-event", "add-source", "import", "edit"])


@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                  HealthCheck.too_slow])
@given(ops=st.lists(st.tuples(operation, st.floats(0, 0.3)), min_size=2, max_size=4),
       pause=st.sampled_from(["0", "0.05"]))
def test_interleaved_writers_keep_every_acknowledged_record(tmp_path_factory, ops, pause):
    tmp = tmp_path_factory.mktemp("interleave")
    ledger = make_ledger(tmp / "ledger")
    procs = []
    edits = iter(EVENT_IDS)  # each edit changes another event: none should conflict
    for n, (op, delay) in enumerate(ops):
        time.sleep(delay)
        e = env(FARCHRON_TEST_WRITE_PAUSE=pause)
        if op == "add-event":
            args = ["add", "event", "--title", f"Provincial Law {n}", "--date", f"{1860 + n}",
                    "--cite", "inalcik-1973:12"]
        elif op == "add-source":
            args = ["add", "source", "--type", "article-journal", "--title",
                    f"Tanzimat and the Provinces {n}", "--author", f"Ma'oz, Moshe {n}",
                    "--issued", f"{1960 + n}"]
        elif op == "import":
            batch = tmp / f"import{n}.jsonl"
            batch.write_text(json.dumps({"id": f"ortayli-{n}", "type": "book",
                                         "title": f"İmparatorluğun En Uzun Yüzyılı {n}",
                                         "authors": ["Ortaylı, İlber"], "issued": "1983"})
                             + "\n" + json.dumps({"id": f"municipal-law-{n}",
                                                  "title": f"Municipal Law {n}",
                                                  "date": "1877-10-05",
                                                  "citations": [{"source": f"ortayli-{n}"}]})
                             + "\n", encoding="utf-8")
            args = ["import", str(batch)]
        else:
            target = next(edits, None)
            if target is None:
                continue
            change = f"'summary = \"edited {n}\"\\ntitle = '"
            ed = editor(tmp, f"text = text.replace('title = ', {change}, 1)", f"ed{n}.py")
            e["VISUAL"] = ed
            args = ["edit", target]
        procs.append((op, args, farchron(ledger, *args, env=e)))
    acknowledged: list[tuple[str, str]] = []
    for op, args, p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, (op, args, err)
        acknowledged += [(op, line) for line in out.split()]
    assert checks(ledger).returncode == 0
    events = {e["id"]: e for e in records(ledger, "event")}
    works = {s["id"] for s in records(ledger, "source")}
    for op, rid in acknowledged:
        if op == "edit":
            assert str(events[rid].get("summary", "")).startswith("edited"), rid
        elif op == "add-source":
            assert rid in works
        else:
            assert rid in events or rid in works, (op, rid)
    assert len(events) == len(EVENTS) + sum(op in ("add-event", "import") for op, _ in
                                              [(o, a) for o, a, _ in procs])
    assert invoke("check", data=ledger).exit_code == 0
