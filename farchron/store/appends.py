"""The checks records appended to events.toml (`add`, `import`) must pass for the cache to
extend its store with them instead of parsing the whole ledger again (cache._extend).

Why apart: the tail is judged by main's own validator pieces (validate.valid_event before
this, crosscheck.old_style_warnings, evidence.check_parts, the [vocabulary]); anything
they would word, even as a warning, sends the caller the long way, so a cached `check`
prints exactly what a fresh one prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from farchron.model.records import Event, Ledger


def tail_clean(new: list[Event], seen: dict[str, int], old: Any, ledger: Ledger,
               raw: bytes, old_size: int, tail: str, ev_path: str) -> set[str] | None:
    """The unused-source warnings that the appended events `new` (each already passed by
    validate.valid_event) clear, or None unless the full check would pass them without a
    word: the [vocabulary]'s tags, citations and other-dates' citations that exist, no
    Old Style slip (crosscheck.old_style_warnings), and parts of existing wholes, within
    them and in no cycle (evidence.check_parts, the validator's own checks)."""
    from farchron.ledger import evidence
    from farchron.ledger.check import Cites
    from farchron.ledger.crossfile import ambiguous_date_warnings, old_style_warnings
    from farchron.ledger.locate import Locator

    vocab = vocabulary(raw, old_size)
    if type(vocab) is bool:
        return None
    cited, cites = set(), Cites()
    for i, e in enumerate(new):
        if vocab is not None and not set(e.tags) <= vocab:
            return None
        cites.append((i, f"event '{e.id}'", e.citations))
        for c in (*e.citations, *evidence.other_citations(e)):
            if (c.note is not None and c.note not in ledger.notes) or (
                    c.source is not None and c.source not in ledger.sources):
                return None
            if c.source is not None:
                cited.add(f"source '{c.source}' is never cited")
    loc = Locator(Path(ev_path), tail)
    if old_style_warnings(new, cites, ledger.sources, ledger.notes, loc) or \
            ambiguous_date_warnings(new, cites, loc):
        return None
    if any(e.part_of is not None for e in new):
        # Old events cannot name a new whole (that was an error): only the new parts and
        # the old wholes they name can make a problem.
        near = {e.id: e for e in new}
        for e in new:
            if e.part_of is not None and e.part_of not in near:
                whole = old.find(e.part_of)
                if whole is None:
                    return None
                near[whole.id] = whole
        if evidence.check_parts(list(near.values()), seen, loc):
            return None
    return cited


def vocabulary(raw: bytes, end: int) -> frozenset[str] | bool | None:
    """The tags the [vocabulary] in raw[:end] (events.toml before the appended records)
    allows (None: no vocabulary), or False when the text may hold one this look cannot
    read (then the full check decides)."""
    pos = raw.find(b"vocabulary", 0, end)
    while pos >= 0 and raw[raw.rfind(b"\n", 0, pos) + 1:pos].lstrip().startswith(b"#"):
        pos = raw.find(b"vocabulary", pos + 1, end)  # a comment (init's header has some)
    if pos < 0:  # unless a quoted key spells it with escapes ("voc\u0061bulary")
        return False if escaped_key(raw, end, b"\\u") or escaped_key(raw, end, b"\\U") \
            else None
    import tomli

    from farchron.ledger.locate import vocabulary_table

    table = vocabulary_table(str(raw[:end], "utf-8"), end)
    try:
        tags = tomli.loads(table).get("vocabulary", {}).get("tags") if table else None
    except (ValueError, AttributeError):
        return False
    if type(tags) is not list or not all(type(t) is str for t in tags):
        return False
    return frozenset(tags)


def escaped_key(raw: bytes, end: int, esc: bytes) -> bool:
    """Whether an escape `esc` may sit in a key of raw[:end]: on a line that starts with
    a quote or a table header and has no '=' before it (values' escapes are common)."""
    pos = raw.find(esc, 0, end)
    while pos >= 0:
        lead = raw[raw.rfind(b"\n", 0, pos) + 1:pos].lstrip()
        if lead[:1] in (b'"', b"[") and b"=" not in lead:
            return True
        pos = raw.find(esc, pos + 1, end)
    return False
