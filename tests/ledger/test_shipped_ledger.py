"""The shipped ledger: counts, resolution, and completeness against the paper.

tests/data/paper_dates.tsv lists every date expression of the paper's text (an exact
phrase, the EDTF read from it, and the event that carries it, or "-" and why not). The
paper itself is not in this repository; where a copy sits beside the checkout
(../shared/seed, as on our machines and in CI) or $FARCHRON_SEED points at one, the
tests also prove that every year, month and "BC" of the text falls inside a listed phrase.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest

from farchron.dates import edtf as dates
from farchron.ledger.load import PAPER_ID, load, shipped_data_dir
from tests.conftest import ROOT, invoke

TSV = Path(__file__).resolve().parents[1] / "data" / "paper_dates.tsv"


def _paper() -> str | None:
    env = os.environ.get("FARCHRON_SEED")
    for p in ([Path(env)] if env else []) + [
            ROOT.parent / "shared" / "seed" / "soviet-far-eastern-strategy.md"]:
        if p.is_file():
            return p.read_text(encoding="utf-8")
    return None


PAPER = _paper()
needs_paper = pytest.mark.skipif(PAPER is None, reason="the paper is not beside the checkout")


@pytest.fixture(scope="module")
def ledger():
    return load(ROOT)


def _rows() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_shipped_copy_is_the_repository_root_in_a_checkout():
    assert (shipped_data_dir() / "events.toml").read_bytes() == (ROOT / "events.toml").read_bytes()


def test_counts_and_resolution(ledger):
    assert sorted(ledger.notes) == list(range(1, 49))
    for n in ledger.notes.values():
        assert n.citations, f"note {n.number} cites nothing"
        assert all(c.source in ledger.sources for c in n.citations)
    assert len(ledger.events) >= 130
    for e in ledger.events:
        assert e.citations, e.id
        for c in e.citations:
            assert c.note is None or c.note in ledger.notes
            assert c.source is None or c.source in ledger.sources
    assert PAPER_ID in ledger.sources
    assert ledger.warnings == ()


def test_every_work_is_cited_by_a_note_and_ibid_follows_its_predecessor(ledger):
    cited = {c.source for n in ledger.notes.values() for c in n.citations}
    assert cited | {PAPER_ID} == set(ledger.sources)
    for n in ledger.notes.values():
        if n.text.lstrip("*").startswith(("Ibid", "Там же")):
            prev = ledger.notes[n.number - 1]
            assert n.citations[0].source == prev.citations[-1].source, n.number


def test_kuril_landings_are_separate_events(ledger):
    kuril = [e for e in ledger.events if "1945-08-18" <= e.date.start_iso <= "1945-09-04"
             and e.date.start == e.date.end and "occupation" in e.tags]
    assert len(kuril) >= 8


def test_date_list_matches_the_ledger(ledger):
    rows = _rows()
    assert len(rows) > 100
    by_id = {e.id: e for e in ledger.events}
    covered = set()
    for r in rows:
        if r["event"] == "-":
            assert r["why"].strip(), f"{r['phrase']!r} is not an event but says not why"
            continue
        listed = dates.parse(r["date"])
        e = by_id.get(r["event"])
        assert e is not None, f"{r['phrase']!r}: no event {r['event']!r}"
        assert e.date.within(listed), (r["phrase"], r["date"], e.date.text)
        covered.add(e.id)
    assert len(covered) >= 100


@needs_paper
def test_every_listed_phrase_is_in_the_paper():
    assert PAPER is not None
    missing = [r["phrase"] for r in _rows() if r["phrase"] not in PAPER]
    assert missing == []


MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
DATE_WORD = re.compile(rf"\b(?:1[89]\d\d|20\d\d|{MONTHS}|BC|fall|autumn|winter|midnight)\b")


@needs_paper
def test_every_date_expression_of_the_text_is_listed():
    """Every year, month, season and BC in the body (and note 18) lies in a listed phrase."""
    assert PAPER is not None
    spans = []
    for r in _rows():
        for m in re.finditer(re.escape(r["phrase"]), PAPER):
            spans.append((m.start(), m.end()))
    unlisted = []
    offset = 0
    for line in PAPER.splitlines(keepends=True):
        note = re.match(r"<sup>(\d+)</sup>", line)
        if not note or note.group(1) == "18":
            for m in DATE_WORD.finditer(line):
                pos = offset + m.start()
                if not any(a <= pos < b for a, b in spans):
                    unlisted.append(line[max(0, m.start() - 30): m.end() + 10])
        offset += len(line)
    assert unlisted == []


RUN = 10  # words: a longer run shared with the paper is copying, not paraphrase


def _words(text: str) -> list[str]:
    """Case-folded words with punctuation (straight or curly quotes, dashes) dropped."""
    return re.findall(r"\w+", text.casefold())


def shared_runs(text: str, source: str, n: int = RUN) -> list[str]:
    """The runs of `n` consecutive words that `text` shares with `source`."""
    src = _words(source)
    grams = {tuple(src[i:i + n]) for i in range(len(src) - n + 1)}
    words = _words(text)
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)
            if tuple(words[i:i + n]) in grams]


def test_shared_runs_finds_a_copied_run_whatever_the_case_and_punctuation():
    source = "The Soviet Union's Far Eastern strategy, launched fully after the Incident."
    copied = "the SOVIET union’s far-eastern Strategy launched fully after the incident"
    runs = shared_runs(copied, source)
    assert runs[0] == "the soviet union s far eastern strategy launched fully after"
    assert len(runs) == 3  # twelve words shared: three overlapping runs of ten
    assert shared_runs(copied, source, n=13) == []
    assert shared_runs("The Soviet Union's Far Eastern strategy began then.", source) == []


@needs_paper
def test_no_summary_copies_ten_words_of_the_paper(ledger):
    assert PAPER is not None
    copied = {e.id: runs[0] for e in ledger.events
              if (runs := shared_runs(e.summary or "", PAPER))}
    assert copied == {}


@pytest.mark.parametrize(("query", "event"), [
    ("Soviet entry into the war", "soviet-entry-into-war-against-japan"),
    ("Battle of Khalkhin Gol", "nomonhan-incident"),
    ("Second Kono Cabinet", "second-konoe-cabinet-formed"),
])
def test_cite_finds_the_paper_s_own_names(query, event):
    r = invoke("cite", query, "--format", "json", data=ROOT)
    assert r.exit_code == 0, r.output
    assert event in [e["id"] for e in json.loads(r.stdout)["events"]]


PEOPLE_AND_BOOKS = ["Togo Shigenori", "Kido Koichi", "Sato Naotake", "Konoe Fumimaro",
                    "Emperor Showa", "Hirohito", "Jidai no Ichimen", "Showa Tenno Jitsuroku"]


def test_people_and_book_titles_are_not_aliases_of_events(ledger):
    misused = {(e.id, a) for e in ledger.events for a in e.aliases if a in PEOPLE_AND_BOOKS}
    assert misused == set()


def test_a_date_from_outside_the_paper_is_tagged_and_said(ledger):
    """`external-date` and a summary saying "outside" go together, both ways."""
    tagged = {e.id for e in ledger.events if "external-date" in e.tags}
    said = {e.id for e in ledger.events if "outside" in (e.summary or "")}
    assert tagged == said
    assert "sino-soviet-war-1929" in tagged


def _raw_events() -> list[dict]:
    """events.toml as plain tables: `part-of` and `other-dates` need no loader support."""
    import tomllib

    with (ROOT / "events.toml").open("rb") as f:
        return tomllib.load(f)["event"]


def test_parts_lie_within_their_wholes_and_form_no_cycle():
    raw = {e["id"]: e for e in _raw_events()}
    links = {i: e["part-of"] for i, e in raw.items() if "part-of" in e}
    assert len(links) >= 10
    for part, whole in links.items():
        assert whole in raw, f"{part}: unknown whole {whole!r}"
        p, w = dates.parse(raw[part]["date"]), dates.parse(raw[whole]["date"])
        assert w.start_iso <= p.start_iso and p.end_iso <= w.end_iso, (part, whole)
        seen = {part}
        while whole is not None:
            assert whole not in seen, f"cycle through {part}"
            seen.add(whole)
            whole = links.get(whole)
    assert links["shumshu-landing"] == "soviet-kuril-islands-invasion"
    assert links["khalkhin-gol-august-offensive"] == "nomonhan-incident"


def test_other_dates_are_valid_and_every_commonly_given_remark_is_recorded(ledger):
    raw = _raw_events()
    recorded = {}
    for e in raw:
        for od in e.get("other-dates", []):
            dates.parse(od["date"])  # raises on bad EDTF
            assert od.get("basis") or od.get("source") or od.get("note"), e["id"]
            assert od.get("source") is None or od["source"] in ledger.sources
            assert od.get("note") is None or od["note"] in ledger.notes
            other, own = dates.parse(od["date"]), dates.parse(e["date"])
            assert (other.start_iso, other.end_iso) != (own.start_iso, own.end_iso), e["id"]
            recorded.setdefault(e["id"], []).append(od["date"])
    # where the paper's own date stands and the summary names a common one, it is data too
    remarks = {e["id"] for e in raw if "external-date" not in e.get("tags", [])
               and re.search(r"(?i)\b(commonly|usually)\b", e.get("summary", ""))}
    assert remarks <= set(recorded), remarks - set(recorded)
    assert recorded["liaison-conference-principles-world-situation"] == ["1940-07-27"]
    assert recorded["special-far-eastern-army-formed"] == ["1929-08"]
    assert recorded["togo-ambassador-moscow-nomonhan-talks"] == ["1938-10"]
