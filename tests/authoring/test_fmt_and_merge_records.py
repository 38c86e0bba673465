"""`farchron fmt` (canonical order, idempotent, nothing lost) and the per-record merge
(farchron.authoring.merge) without git (issue 25)."""

from __future__ import annotations

import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.authoring.layout import canonical
from farchron.authoring.merge import merge_texts


def _ev(eid: str, date: str, extra: str = "") -> str:
    return (f'[[event]]\nid = "{eid}"\ntitle = "{eid}"\ndate = "{date}"\n{extra}'
            'citations = [{ source = "w" }]\n')


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1500, 1700), st.integers(1, 12)), min_size=1,
                max_size=8, unique=True),
       st.booleans())
def test_fmt_is_ordered_idempotent_and_loses_nothing(dates, comments):
    parts = ["# Safavid ledger\n"]
    for i, (y, m) in enumerate(dates):
        if comments:
            parts.append(f"\n# about e{i}")
        parts.append("\n" + _ev(f"e{i}", f"{y}-{m:02d}"))
    text = "".join(parts)
    out = canonical(text)
    assert canonical(out) == out
    before, after = tomli.loads(text)["event"], tomli.loads(out)["event"]
    assert sorted(map(repr, before)) == sorted(map(repr, after))
    assert [e["date"] for e in after] == sorted(e["date"] for e in after)
    for i in range(len(dates) if comments else 0):
        assert f'# about e{i}\n[[event]]\nid = "e{i}"' in out


BASE = "# ledger\n\n" + _ev("tabriz", "1501") + "\n" + _ev("chaldiran", "1514", 'summary = "x"\n')


def test_merge_takes_one_sided_fields_and_both_new_records():
    ours = BASE.replace('date = "1514"', 'date = "1514-08-23"') + "\n" + _ev("isfahan", "1598")
    theirs = BASE.replace('summary = "x"', 'summary = "y"\ntags = ["battle"]') \
        .replace('[[event]]\nid = "chaldiran"',
                 _ev("qazvin", "1548") + '\n[[event]]\nid = "chaldiran"')
    out = merge_texts(BASE, ours, theirs)
    assert out.conflicts == []
    doc = {e["id"]: e for e in tomli.loads(out.text)["event"]}
    assert list(doc) == ["tabriz", "chaldiran", "qazvin", "isfahan"]  # by date
    assert doc["chaldiran"] == {"id": "chaldiran", "title": "chaldiran", "date": "1514-08-23",
                                "summary": "y", "tags": ["battle"],
                                "citations": [{"source": "w"}]}
    at = out.text.index('id = "chaldiran"')  # a new field in the canonical field order
    assert out.text.index('tags = ["battle"]', at) < out.text.index("citations", at)


def test_merge_same_field_both_sides_is_a_parseable_conflict():
    ours = BASE.replace('summary = "x"', 'summary = "ours"')
    theirs = BASE.replace('summary = "x"', 'summary = "theirs"')
    out = merge_texts(BASE, ours, theirs)
    assert out.conflicts == [("chaldiran", "summary")]
    rec = tomli.loads(out.text)["event"][1]
    assert rec["summary"] == "ours"
    assert rec["merge-conflict"] == [{"field": "summary", "ours": "ours", "theirs": "theirs"}]


def test_merge_removal_on_one_side_unchanged_on_the_other():
    theirs = BASE[:BASE.index("\n[[event]]\nid = \"chaldiran\"")] + "\n"
    out = merge_texts(BASE, BASE.replace("# ledger", "# ledger, ours"), theirs)
    assert [e["id"] for e in tomli.loads(out.text)["event"]] == ["tabriz"]
    assert out.text.startswith("# ledger, ours")
