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
    # the commonly given October 1938 dates Togo's appointment, an act of its own (issue 21)
    assert recorded["togo-becomes-ambassador-to-the-soviet-union"] == ["1938-10"]


# ----------------------------------------------------- the ledger as evidence (issue 21)

PROSE_RUN = 9  # words: in prose, even nine words shared with the paper is too close


def _prose(summary: str) -> list[str]:
    """The stretches of a summary that are our own prose: a quoted name ('The Guidelines
    of ...') is the paper's by right, and a figure breaks a run (lists of counts such as
    "3,000 tanks, 78,000 trucks" cannot be said in other words)."""
    unquoted = re.sub(r"(?<!\w)'[^']*'(?!\w)", " | ", summary)
    return re.split(r"\d[\d,.]*", unquoted)


def test_prose_is_split_at_quoted_names_and_figures():
    text = "It asked for 3,000 tanks and issued 'The Guidelines of the Army' on time."
    assert _prose(text) == ["It asked for ", " tanks and issued  |  on time."]
    assert _prose("Stalin's letter") == ["Stalin's letter"]


@needs_paper
def test_no_prose_of_a_summary_shares_nine_words_with_the_paper(ledger):
    assert PAPER is not None
    copied = {e.id: runs[0] for e in ledger.events for part in _prose(e.summary or "")
              if (runs := shared_runs(part, PAPER, n=PROSE_RUN))}
    assert copied == {}


#: Facts the second reading against the paper found in summaries without saying they came
#: from elsewhere: (event, pattern). Each may stay only in a sentence that says so.
OUTSIDE_FACTS = [
    ("hitler-molotov-talks", r"Berlin"), ("hitler-molotov-talks", r"\bAxis\b"),
    ("molotov-additional-conditions", r"Berlin"),
    ("marco-polo-bridge-incident", r"Sino-Japanese War"),
    ("ogikubo-talks", r"ministers"),
    ("battle-of-khalkhyn-temple", r"Mongolia"),
    ("kanchazu-island-incident", r"Amur"),
    ("changkufeng-incident", r"Korean|\bhill\b"),
    ("siberian-intervention", r"Civil War|Allied"),
    ("battle-of-warsaw-1920", r"Polish-Soviet War"),
    ("battle-of-cannae", r"Hannibal|Roman"),
    ("bombing-of-tamsk", r"aircraft|air raid|\bbase\b"),
    ("kido-tentative-measures", r"Privy Seal"),
    ("hull-note", r"Secretary of State|Cordell"),
    ("first-imperial-decision", r"imperial conference|late on 9 August"),
    ("japan-withdraws-from-league-of-nations", r"report on Manchuria"),
    ("soviet-us-diplomatic-relations", r"recogni|Roosevelt-Litvinov"),
    ("holodomor", r"man-made"),
    ("manchurian-incident", r"seizure"),
    ("foundation-of-manchukuo", r"puppet"),
    ("pearl-harbor-attack", r"U\.S\. fleet"),
    ("treaty-of-portsmouth", r"ending the Russo-Japanese War"),
    ("japan-soviet-basic-convention", r"establish"),
    *[(i, r"Northern Territories") for i in
      ("etorofu-landing", "kunashiri-landing", "shikotan-landing", "habomai-landing")],
]
#: How a sentence says its fact is not the paper's.
SAID_OUTSIDE = re.compile(r"added from outside|[Oo]ther accounts|\bcommonly\b|\busually\b")


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=\.)\s+(?=[A-Z0-9])", text)


def test_sentences_split_where_a_sentence_ends_not_after_an_abbreviation():
    assert _sentences("Japan hit the U.S. fleet. 7 May is added.") == [
        "Japan hit the U.S. fleet.", "7 May is added."]


@pytest.mark.parametrize(("event", "fact"), OUTSIDE_FACTS)
def test_a_fact_from_outside_the_paper_is_left_out_or_said(ledger, event, fact):
    e = next(e for e in ledger.events if e.id == event)
    assert not re.search(fact, e.title), e.title
    unsaid = [s for s in _sentences(e.summary or "")
              if re.search(fact, s) and not SAID_OUTSIDE.search(s)]
    assert unsaid == []


#: Names the ledger spells otherwise than the paper: ours, the paper's.
RESPELLED = [("Widar", "Vidar"), ("Troyanovsky", "Troyanosky"), ("Malik", "Marik"),
             ("Lozovsky", "Rozovsky"), ("Khrulev", "Khlulev"), ("Onekotan", "Onkotan"),
             ("Khasan", "Hasan")]


@needs_paper
@pytest.mark.parametrize(("ours", "printed"), RESPELLED)
def test_a_corrected_spelling_keeps_the_paper_s_beside_it(ledger, ours, printed):
    assert PAPER is not None
    assert re.search(rf"\b{printed}\b", PAPER) and not re.search(rf"\b{ours}\b", PAPER)
    using = [e for e in ledger.events if re.search(rf"\b{ours}\b", e.summary or "")]
    assert using, f"no summary spells {ours}"
    silent = [e.id for e in using if not re.search(rf"\b{printed}\b", e.summary or "")]
    assert silent == []


def test_other_dates_date_the_event_not_an_appointment_to_office():
    raw = {e["id"]: e for e in _raw_events()}
    assert "other-dates" not in raw["vasilevsky-arrives-chita"]
    assert "other-dates" not in raw["togo-ambassador-moscow-nomonhan-talks"]
    appointed = raw["togo-becomes-ambassador-to-the-soviet-union"]
    assert appointed["date"] == "1939"  # the paper's year
    assert appointed["other-dates"] == [{"date": "1938-10", "basis": "commonly given"}]


_MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}


def test_a_deadline_the_paper_prints_is_where_the_date_ends_not_the_date(ledger):
    """'by August 1' and 'until May 1' say when something was done at the latest: the
    date ends on that day and starts before it."""
    deadlines = 0
    for e in ledger.events:
        m = re.fullmatch(rf"(?i)(?:by|until) ({MONTHS}) (\d{{1,2}})", e.date_as_printed)
        if not m:
            continue
        deadlines += 1
        y = int(e.date.end_iso[:4])
        assert e.date.end_iso == f"{y:04d}-{_MONTH_NUMBER[m[1]]:02d}-{int(m[2]):02d}", e.id
        assert e.date.start_iso < e.date.end_iso, e.id
    assert deadlines >= 4
    done = next(e for e in ledger.events if e.id == "soviet-invasion-preparations-complete")
    assert done.date_as_printed == "by August 1"
    assert (done.date.start_iso, done.date.end_iso) == ("1945-06-28", "1945-08-01")


def test_the_arrival_at_midnight_spans_both_nights_it_may_mean(ledger):
    e = next(e for e in ledger.events if e.id == "vasilevsky-arrives-chita")
    assert e.date_as_printed == "In the midnight of July 5"
    assert (e.date.start_iso, e.date.end_iso) == ("1945-07-04", "1945-07-06")


@needs_paper
def test_every_date_as_printed_is_the_paper_s_own_words(ledger):
    assert PAPER is not None
    printed = {e.id: e.date_as_printed for e in ledger.events if e.date_as_printed}
    assert len(printed) >= 10
    assert {i: p for i, p in printed.items() if p not in PAPER} == {}
