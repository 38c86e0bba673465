"""`-f csv --bom`: the byte-order mark LibreOffice's default CSV import needs to read UTF-8
(without it "May–Sep 1939" arrives as "Mayâ€“Sep 1939"); issue 26."""

from __future__ import annotations

import csv
import io

from tests.conftest import ROOT, invoke


def test_bom_only_when_asked_and_rows_unchanged():
    plain = invoke("timeline", "1939", "-f", "csv", data=ROOT)
    marked = invoke("timeline", "1939", "-f", "csv", "--bom", data=ROOT)
    assert plain.exit_code == marked.exit_code == 0
    assert not plain.stdout.startswith("\ufeff")
    assert marked.stdout.startswith("\ufeff") and marked.stdout.count("\ufeff") == 1
    assert marked.stdout[1:] == plain.stdout
    rows = list(csv.reader(io.StringIO(marked.stdout.encode("utf-8").decode("utf-8-sig"))))
    assert rows[0][0] == "id" and any("–" in c for r in rows for c in r)
    # the flag does not stick to the next command run in the same process
    assert not invoke("timeline", "1939", "-f", "csv", data=ROOT).stdout.startswith("\ufeff")


def test_bom_is_documented_in_help():
    assert "--bom" in invoke("timeline", "--help").stdout
    assert "byte-order mark" in invoke("sources", "--help").stdout
