"""audit: a draft's dated claims read back against the ledger.

The core is tested with the real date scanner (prosedates, through
audit.default_scanner) and the shipped ledger; the command through CliRunner and a real
process. Fixtures:
tests/fixtures/audit/draft.md (an essay in our own words with dates altered on purpose)
and altered.tsv (each altered expression and the event it must be flagged against); the
paper itself, where it sits beside the checkout, with tests/data/paper_dates.tsv.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from farchron.audit import compare as audit
from farchron.audit import document as prose
from farchron.dates import edtf as dates
from farchron.ledger.load import load
from farchron.query.search import SearchIndex
from tests.conftest import FIXTURES, ROOT, invoke, run
from tests.ledger.test_shipped_ledger import PAPER, needs_paper

find_dates = audit.default_scanner()

DRAFT = FIXTURES / "audit" / "draft.md"
ALTERED = FIXTURES / "audit" / "altered.tsv"


@pytest.fixture(scope="module")
def shipped():
    led = load(ROOT)
    return led, SearchIndex.build(led.events), None


@pytest.fixture(scope="module")
def matcher(shipped):
    return audit.Matcher(shipped[1])


def _audit(shipped, matcher, text: str, name: str = "draft.md", **kw):
    led, ix, _ = shipped
    return audit.audit_text(text, name, led.events, ix, find_dates, matcher=matcher, **kw)


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


# --------------------------------------------------------------------------- plain text

def test_markdown_is_stripped_but_positions_point_at_the_original():
    src = ("# Title\n\nThe **Marco Polo Bridge** [Incident](http://x.org) of\n"
           "*7 July 1937*.[^1]\n\n[^1]: A note of 1990.\n")
    p = prose.plain_text(src)
    assert "Marco Polo Bridge Incident of\n7 July 1937." in p.text
    assert "**" not in p.text and "http" not in p.text and "[^1]" not in p.text
    i = p.text.index("7 July")
    assert p.position(i) == (4, 2)  # line 4, after the asterisk
    assert src.splitlines()[3][1:7] == "7 July"
    note = p.text.index("A note")
    assert p.in_note(note) and not p.in_note(i)


def test_a_paragraph_cut_by_a_page_of_notes_reads_as_one():
    src = ("The clash at the\n\n---\n\n<sup>3</sup> A note, 2001.\n\n"
           "Changkufeng hill came in 1938.\n")
    p = prose.plain_text(src)
    assert "The clash at the Changkufeng hill came in 1938." in p.text
    i = p.text.index("1938")
    assert p.position(i) == (7, 26)


def test_plain_text_keeps_every_character_of_a_text_file():
    src = "One line *with stars*.\nAnother line.\n\nA new paragraph."
    p = prose.plain_text(src, markdown=False)
    assert p.text == "One line *with stars*.\nAnother line.\n\nA new paragraph."
    assert all(src[p.offsets[i]] == ch for i, ch in enumerate(p.text) if ch != "\n")


def test_sentences_do_not_end_at_initials_or_abbreviations():
    text = "Joseph V. Stalin met the U.S. envoy on 3 May. Then he left. (See p. 4.) End"
    got = [text[a:b].strip() for a, b in prose.sentences(text)]
    assert got[0] == "Joseph V. Stalin met the U.S. envoy on 3 May."
    assert got[1] == "Then he left."


# --------------------------------------------------------------------------- dates

def test_agreement_widens_approximate_dates_and_ignores_a_year_never_written():
    p = dates.parse
    assert audit.agrees(p("1939-08"), p("1939-08-23"))
    assert not audit.agrees(p("1939-08-13"), p("1939-08-23"))
    assert audit.agrees(p("1936-12~"), p("1937-01-05"))  # "at the end of 1936"
    assert not audit.agrees(p("1936-12"), p("1937-01-05"))
    # "on July 7" resolved by context to 1945 still fits a 1937 event
    assert audit.agrees_as_written(p("1945-07-07"), p("1937-07-07"), year_written=False)
    assert not audit.agrees_as_written(p("1945-07-07"), p("1937-07-07"), year_written=True)
    assert not audit.agrees_as_written(p("1945-07-17"), p("1937-07-07"), year_written=False)


# --------------------------------------------------------------------------- the draft

def test_every_altered_date_of_the_draft_is_flagged_with_few_false_alarms(shipped, matcher):
    _claims, found = _audit(shipped, matcher, DRAFT.read_text(encoding="utf-8"))
    rows = _tsv(ALTERED)
    assert len(rows) >= 12
    alarms = [f for f in found if f.severity in ("error", "warning")]
    flagged = set()
    for r in rows:
        hits = [f for f in alarms if f.event == r["event"]
                and r["found"] in " ".join(f.found.split())]
        assert hits, f"{r['found']!r} ({r['what']}) not flagged against {r['event']}"
        flagged.update(id(f) for f in hits)
        assert hits[0].expected == next(
            e.date.text for e in shipped[0].events if e.id == r["event"])
    false_alarms = [str(f) for f in alarms if id(f) not in flagged]
    assert len(false_alarms) <= 2, false_alarms


def test_the_findings_read_like_check(shipped, matcher):
    _claims, found = _audit(shipped, matcher, DRAFT.read_text(encoding="utf-8"))
    marco = next(f for f in found if f.event == "marco-polo-bridge-incident")
    line = DRAFT.read_text(encoding="utf-8").splitlines()[marco.line - 1]
    assert line[marco.column - 1:].startswith("July 17")
    assert str(marco) == (
        f"draft.md:{marco.line}:{marco.column}: 'Marco Polo Bridge Incident on July 17'"
        " — the ledger dates marco-polo-bridge-incident 7 Jul 1937 (note 20)")
    assert marco.to_json() == {
        "file": "draft.md", "line": marco.line, "column": marco.column,
        "code": "date-contradicts", "severity": "error", "message": marco.message,
        "event": "marco-polo-bridge-incident", "found": "July 17", "expected": "1937-07-07"}


def test_correct_dates_pass_and_unknown_ones_are_information(shipped, matcher):
    text = ("Germany invaded the Soviet Union on June 22, 1941, in Operation Barbarossa.\n\n"
            "The Attack on Pearl Harbor on 7 December 1941 followed.\n\n"
            "A village fair was held in Omsk on 3 March 1931.\n")
    claims, found = _audit(shipped, matcher, text)
    assert [c.verdict for c in claims] == ["ok", "ok", "unmatched"]
    assert claims[0].event is not None and claims[0].event.id == "operation-barbarossa"
    assert claims[1].event is not None and claims[1].event.id == "pearl-harbor-attack"
    (info,) = found
    assert info.severity == "info" and info.code == "no-event" and info.line == 5
    assert "farchron add event --title TITLE --date 1931-03-03 --cite SOURCE" in info.message


def test_a_name_explained_by_another_date_of_its_sentence_is_no_contradiction(shipped, matcher):
    text = ("There were 113 clashes in 1937 (including the Kanchazu Island Incident), "
            "166 in 1938 (including the Changkufeng Incident), and 159 in 1939.\n")
    _claims, found = _audit(shipped, matcher, text)
    assert [f for f in found if f.severity == "error"] == []


def test_a_relation_word_sets_a_name_apart(shipped, matcher):
    text = "When the pact was concluded in April 1941, neither Operation Barbarossa nor " \
           "the Attack on Pearl Harbor had happened.\n"
    _claims, found = _audit(shipped, matcher, text)
    assert [f for f in found if f.severity == "error"] == []


def test_min_score_decides_how_strong_a_name_must_be(shipped, matcher):
    text = "The Marco Polo Bridge Incident on July 17, 1937 began the war.\n"
    assert [f.code for f in _audit(shipped, matcher, text)[1]] == ["date-contradicts"]
    # a name can never score above 100: nothing is strong enough, so nothing contradicts
    assert [f.code for f in _audit(shipped, matcher, text, min_score=101)[1]] == ["no-event"]


def test_an_other_dates_entry_is_a_warning_not_an_error(shipped, matcher):
    led, ix, _ = shipped

    class Other:
        date = dates.parse("1940-07-27")
        basis = "commonly given"
        citation = None

    class Liaison:
        def __init__(self, e):
            self._e = e
            self.other_dates = (Other(),)

        def __getattr__(self, name):
            return getattr(self._e, name)

    events = [Liaison(e) if e.id == "liaison-conference-principles-world-situation" else e
              for e in led.events]
    text = ("The Imperial Headquarters Government Liaison Conference held on July 27, 1940 "
            "adopted the Principles for the Settlement of Current Affairs.\n")
    _claims, found = audit.audit_text(text, "d.md", events, ix, find_dates, matcher=matcher)
    (f,) = found
    assert f.severity == "warning" and f.code == "date-other-source"
    assert f.message.endswith("July 27, 1940 matches the date other sources give "
                              "(commonly given)")


# --------------------------------------------------------------------------- the paper

@needs_paper
def test_the_paper_has_no_contradictions_and_its_dates_find_their_events(shipped, matcher):
    assert PAPER is not None
    claims, found = _audit(shipped, matcher, PAPER, "paper.md")
    assert [str(f) for f in found if f.severity != "info"] == []
    plain = prose.plain_text(PAPER)
    rows = [r for r in _tsv(ROOT / "tests" / "data" / "paper_dates.tsv") if r["event"] != "-"]
    missed = []
    for r in rows:
        a = PAPER.index(r["phrase"])
        b = a + len(r["phrase"])
        here = [c for c in claims if a <= plain.offsets[c.start] < b]
        if not any(r["event"] in c.events for c in here):
            missed.append((r["phrase"], r["event"]))
    assert len(missed) <= 0.05 * len(rows), missed


# --------------------------------------------------------------------------- the command

def test_audit_command_lists_contradictions_like_check(tmp_path):
    res = invoke("audit", str(DRAFT), data=ROOT)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert len(lines) >= len(_tsv(ALTERED))
    assert all(line.startswith(f"{DRAFT}:") for line in lines)
    assert (f"{DRAFT}:40:58: 'Marco Polo Bridge Incident on July 17' — the ledger dates "
            "marco-polo-bridge-incident 7 Jul 1937 (note 20)") in lines
    assert res.stderr.startswith("farchron: ") and "contradictions" in res.stderr
    assert "dates in 1 file" in res.stderr


def test_audit_json_is_one_array_of_findings():
    res = invoke("audit", str(DRAFT), "-f", "json", data=ROOT)
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert all(set(d) == {"file", "line", "column", "code", "severity", "message", "event",
                          "found", "expected"} for d in data)
    marco = next(d for d in data if d["event"] == "marco-polo-bridge-incident")
    assert (marco["found"], marco["expected"], marco["severity"]) == (
        "July 17", "1937-07-07", "error")


def test_a_draft_that_agrees_exits_0(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("Germany invaded the Soviet Union on June 22, 1941, in Operation "
                  "Barbarossa.\n", encoding="utf-8")
    res = invoke("audit", str(ok), data=ROOT)
    assert (res.exit_code, res.stdout) == (0, "")
    assert res.stderr == "farchron: ok: 1 date in 1 file\n"


def test_stdin_is_read_with_a_dash():
    proc = run("audit", "-", data=ROOT,
               input="The Potsdam Declaration was issued on June 26, 1945.\n")
    assert proc.returncode == 1
    assert proc.stdout.startswith("<stdin>:1:39: 'Potsdam Declaration was issued on June 26, "
                                  "1945' — the ledger dates potsdam-declaration 26 Jul 1945")


def test_unreadable_drafts_exit_2_with_one_clear_message(tmp_path):
    bad = tmp_path / "latin1.md"
    bad.write_bytes("Caf\xe9 in 1939".encode("latin-1"))
    res = invoke("audit", str(tmp_path / "missing.md"), str(bad), str(DRAFT), data=ROOT)
    assert res.exit_code == 2
    assert f"farchron: {tmp_path / 'missing.md'}: No such file or directory" in res.stderr
    assert f"farchron: {bad}: not UTF-8 text (byte 0xe9 at offset 3)" in res.stderr
    assert "Traceback" not in res.stderr
    assert "marco-polo-bridge-incident" in res.stdout  # the readable draft is still audited


def test_a_wrong_year_is_flagged_when_the_sentence_has_a_second_date(tmp_path):
    """'began in May 1938' alone is flagged; with 'and ended in September' after it the
    Nomonhan Incident was tied only to 'September', and 'May 1938' was passed as
    changkufeng-incident at 58.9 (below --min-score)."""
    draft = tmp_path / "d.md"
    draft.write_text("The Nomonhan Incident began in May 1938 and ended in September.\n",
                     encoding="utf-8")
    res = invoke("audit", str(draft), data=ROOT)
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        f"{draft}:1:32: 'Nomonhan Incident began in May 1938' — the ledger dates "
        "nomonhan-incident May–Sep 1939 (hanada-far-eastern-strategy §1(3), §Introduction; "
        "note 22; note 23)"]


@pytest.mark.parametrize(("text", "wrong"), [
    ("The Nomonhan Incident began in May 1938 and ended on 16 September.", "May 1938"),
    ("The Nomonhan Incident began in May 1939 and ended in December.", "December"),
])
def test_a_date_and_its_year_less_sequel_share_the_name_before_them(
        shipped, matcher, text, wrong):
    """The one date fitting the Incident no longer excuses the other: the second takes
    its year from the first, and the name before both is about both."""
    claims, found = _audit(shipped, matcher, text + "\n")
    assert [(f.code, f.event, f.found.rstrip(".")) for f in found] == [
        ("date-contradicts", "nomonhan-incident", wrong)]
    right = next(c for c in claims if c.found.rstrip(".") != wrong)
    assert right.verdict == "ok" and "nomonhan-incident" in right.events


def test_a_second_year_written_is_another_step_not_the_name_s_date(shipped, matcher):
    """A name serves the year-less sequel of its date, not every later date of the
    sentence: these stay free of alarms."""
    text = ("The Nomonhan Incident began in May 1939 and ended in September.\n\n"
            "The Nomonhan Incident began in May 1939; in 1941 Japan turned south.\n\n"
            "The Marco Polo Bridge Incident of July 1937 opened a war that Japan was "
            "still fighting in 1945.\n\n"
            "The Changkufeng Incident was fought in July 1938, and the Army drew its "
            "lessons from it in 1939.\n")
    claims, found = _audit(shipped, matcher, text)
    assert [f for f in found if f.severity != "info"] == []
    assert [c.verdict for c in claims[:2]] == ["ok", "ok"]


def test_an_unreadable_draft_is_never_summed_up_as_ok(tmp_path):
    """`audit missing.md` exited 2 but its summary line said 'ok: 0 dates in 0 files'."""
    res = invoke("audit", str(tmp_path / "missing.md"), data=ROOT)
    assert res.exit_code == 2
    assert "ok:" not in res.stderr
    assert res.stderr.splitlines()[-1] == "farchron: 1 file unreadable: 0 dates in 0 files"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_docx_goes_through_pandoc(tmp_path):
    docx = tmp_path / "draft.docx"
    subprocess.run(["pandoc", "-o", str(docx), "-f", "markdown"], check=True,
                   input=b"# Draft\n\nThe Marco Polo Bridge Incident on July 17, 1937 began "
                         b"the war.\n")
    res = invoke("audit", str(docx), data=ROOT)
    assert res.exit_code == 1
    assert res.stdout.startswith(f"{docx}:3:")  # lines of pandoc's plain text
    assert "marco-polo-bridge-incident 7 Jul 1937" in res.stdout


def test_docx_without_pandoc_says_what_to_do(tmp_path):
    docx = tmp_path / "draft.docx"
    docx.write_bytes(b"PK\x03\x04 not really")
    proc = run("audit", str(docx), data=ROOT, env={"PATH": str(tmp_path)})
    assert proc.returncode == 2
    assert "needs pandoc" in proc.stderr and "save the draft as Markdown" in proc.stderr
    assert "Traceback" not in proc.stderr


@needs_paper
def test_audit_of_the_paper_finds_no_contradiction():
    paper = ROOT.parent / "shared" / "seed" / "soviet-far-eastern-strategy.md"
    res = invoke("audit", str(paper), "-f", "json", data=ROOT)
    assert res.exit_code == 0, res.stdout
    assert all(d["severity"] == "info" for d in json.loads(res.stdout))
