"""A draft audited as `farchron audit` audits it, paragraph by paragraph, so that an edit
re-audits only the paragraphs it touched.

Why paragraphs can be audited apart: the audit ties a date to names in its sentence and
the one before, never across a paragraph break, so a paragraph's findings depend only on
its own text and on one thing before it, the last date read (which resolves "on July 17"
or "that same day"). A unit is a paragraph (or the paragraphs `prose.plain_text` joins
into one: a page break cut it mid-sentence), or one note; notes come after the body, as
in `plain_text`. Each unit's result is kept under (its text, the date before it), so an
edit re-audits its own unit, and the next ones only while the date carried into them
changes.

Citation keys (`[@id]`, `[@id, 159]`, `[@id; @other]`, pandoc's syntax) are blanked
before the audit (a key like `hata-2014` is not a date) and listed with their ranges.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from farchron.audit.document import FENCE, NOTE, SUP
from farchron.cite.keys import KEY
from farchron.lsp.positions import Lines

if TYPE_CHECKING:
    from farchron.audit.compare import Claim, Finding
    from farchron.lsp.state import LedgerState

#: Drafts larger than this are not audited (a message says so): the server stays quick.
MAX_DRAFT_CHARS = 4_000_000

# Pandoc citations: a bracketed group holding @keys; the key's own characters.
CITE_GROUP = re.compile(r"\[[^\[\]\n]*?@[^\[\]\n]*\]")
_RULE = re.compile(r"[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_HEADING = re.compile(r"[ \t]{0,3}(?:(?:>[ \t]?|[-+*][ \t]+|[0-9]+[.)][ \t]+))*#{1,6}[ \t]+")
_SENTENCE_END = ".!?:;\"”’')]*"


@dataclass(frozen=True, slots=True)
class Key:
    """One citation key of a draft: its id, the locator after it, its offsets."""

    id: str
    locator: str
    start: int  # of the "@"
    end: int


@dataclass(slots=True)
class Block:
    """A paragraph of the draft: its raw text and where it starts in the draft."""

    start: int
    text: str
    kind: str  # "body", "heading" or "note"
    sup: str = ""  # a body paragraph opened by <sup>N</sup> that is not the note N


@dataclass(slots=True)
class Unit:
    """What is audited in one go: body paragraphs read as one, or one note."""

    blocks: list[Block]
    note: bool = False

    def text(self) -> tuple[str, list[tuple[int, int]]]:
        """The unit's text (blocks apart by a blank line) and (unit offset, draft offset)
        of each block."""
        parts: list[str] = []
        where: list[tuple[int, int]] = []
        at = 0
        for b in self.blocks:
            if parts:
                parts.append("\n\n")
                at += 2
            where.append((at, b.start))
            parts.append(b.text)
            at += len(b.text)
        text = "".join(parts)
        sups = [b.sup for b in self.blocks if b.sup]
        if sups:  # a later note with the same marker keeps plain_text reading it as body
            text += "".join(f"\n\n<sup>{s}</sup>\n" for s in sups)
        return text, where


@dataclass(slots=True)
class Found:
    """One claim read in a unit, offsets relative to the unit's text."""

    start: int
    end: int
    claim: Claim
    finding: Finding | None


@dataclass(slots=True)
class Result:
    """A unit's claims and the last date read in it (carried into the next unit)."""

    found: list[Found]
    ref: str | None


@dataclass(slots=True)
class Located:
    """A claim placed in the draft: draft offsets of the date expression."""

    start: int
    end: int
    claim: Claim
    finding: Finding | None


def blank_keys(text: str) -> str:
    """The text with pandoc citation groups replaced by spaces (offsets kept)."""
    return CITE_GROUP.sub(lambda m: " " * len(m.group(0)), text)


def citation_keys(text: str) -> list[Key]:
    """Every @key inside a bracketed citation group, with its locator ("159")."""
    out = []
    for g in CITE_GROUP.finditer(text):
        body, base = g.group(0)[1:-1], g.start() + 1
        for piece in re.finditer(r"[^;]+", body):
            m = KEY.search(piece.group(0))
            if not m:
                continue
            key = m.group(1) or m.group(2)
            loc = piece.group(0)[m.end():].strip().lstrip(",").strip()
            at = base + piece.start() + m.group(0).index("@")
            out.append(Key(key, loc, at, base + piece.start() + m.end()))
    return out


def _plain_of(text: str, markdown: bool, memo: dict[tuple[str, bool], str]) -> str:
    got = memo.get((text, markdown))
    if got is None:
        from farchron.audit.document import plain_text

        got = memo[(text, markdown)] = plain_text(text, markdown).text
        if len(memo) > 20_000:
            memo.clear()
    return got


def split_blocks(text: str, markdown: bool) -> list[Block]:
    """The draft's paragraphs, as prose._paragraphs finds them (fenced code and rules left
    out, headings alone, notes marked)."""
    blocks: list[Block] = []
    cur: list[str] = []
    cur_start = 0
    fence = ""
    pos = 0
    kind = "body"

    def close() -> None:
        nonlocal cur, kind
        if cur:
            blocks.append(Block(cur_start, "".join(cur).rstrip("\r\n"), kind))
        cur, kind = [], "body"

    for raw in text.splitlines(keepends=True):
        start, pos = pos, pos + len(raw)
        line = raw.rstrip("\r\n")
        if markdown:
            m = FENCE.match(line)
            if fence:
                if m and m.group(1) == fence:
                    fence = ""
                continue
            if m:
                fence = m.group(1)
                close()
                continue
            if not line.strip() or _RULE.match(line):
                close()
                continue
            if _HEADING.match(line):
                close()
                blocks.append(Block(start, line, "heading"))
                continue
            if not cur and NOTE.match(line):
                kind = "note"
        elif not line.strip():
            close()
            continue
        if not cur:
            cur_start = start
        cur.append(raw)
    close()
    # a <sup>N</sup> paragraph is the note N only if no later paragraph opens with <sup>N</sup>
    last: dict[str, int] = {}
    for i, b in enumerate(blocks):
        m = SUP.match(b.text) if b.kind == "note" else None
        if m:
            last[m.group(1)] = i
    for i, b in enumerate(blocks):
        m = SUP.match(b.text) if b.kind == "note" else None
        if m and last[m.group(1)] != i:
            b.kind, b.sup = "body", m.group(1)
    return blocks


def units(blocks: Sequence[Block], markdown: bool,
          memo: dict[tuple[str, bool], str]) -> list[Unit]:
    """Body paragraphs grouped as plain_text joins them (a paragraph cut mid-sentence, or
    one starting in lower case, continues the one before), then the notes."""
    body: list[Unit] = []
    notes: list[Unit] = []
    cut = False
    for b in blocks:
        if b.kind == "note":
            notes.append(Unit([b], note=True))
            continue
        plain = _plain_of(b.text, markdown, memo)
        if not plain:
            continue
        if body and (cut or plain[:1].islower()):
            body[-1].blocks.append(b)
        else:
            body.append(Unit([b]))
        cut = b.kind != "heading" and plain.rstrip()[-1:] not in _SENTENCE_END
    return body + notes


class DraftAuditor:
    """Audits drafts against one ledger, keeping each unit's result for the next edit."""

    def __init__(self, state: LedgerState, min_score: float = 70.0) -> None:
        self.state = state
        self.min_score = min_score
        self.cache: dict[tuple[str, str | None, bool], Result] = {}
        self.plain_memo: dict[tuple[str, bool], str] = {}
        self.generation = state.generation
        self.audited = 0  # units audited (not from the cache), for tests and benchmarks

    @staticmethod
    def _scanner(ref: str | None, last: list[str | None]
                 ) -> Callable[[str], list[tuple[int, int, str, Any]]]:
        """audit's default scanner, resolving against `ref` first; the last whole date
        read is left in `last[0]`."""
        from farchron.dates.inprose import Mention, find_dates, resolve_dates
        from farchron.dates.written import ABSOLUTE, HumanDate

        def scan(text: str) -> list[tuple[int, int, str, Any]]:
            found = find_dates(text)
            if ref is not None:
                seed = Mention(-1, -1, "", HumanDate(text="", edtf=ref, gregorian=ref))
                found = resolve_dates([seed, *found])[1:]
            else:
                found = resolve_dates(found)
            for m in found:
                edtf = m.result.gregorian or m.result.edtf
                if edtf and m.result.kind == ABSOLUTE:
                    last[0] = edtf
            return [(m.start, m.end, m.text, m.result) for m in found]

        return scan

    def _audit_unit(self, text: str, ref: str | None, markdown: bool) -> Result:
        from farchron.audit import compare as audit
        from farchron.audit.document import plain_text

        state = self.state
        last: list[str | None] = [ref]
        scan = self._scanner(ref, last)
        plain = plain_text(text, markdown)
        claims = audit.read_claims(text, state.events, state.index, scan, markdown=markdown,
                                   min_score=self.min_score, matcher=state.matcher)
        found = []
        offs = plain.offsets
        for c in claims:
            if c.start >= len(offs) or c.end <= c.start:
                continue
            got = audit.findings([c], "draft")
            start, end = offs[c.start], offs[min(c.end, len(offs)) - 1] + 1
            found.append(Found(start, end, c, got[0] if got else None))
        return Result(found, last[0])

    def audit(self, text: str, markdown: bool = True) -> list[Located]:
        """Every claim of the draft, placed in it; units unchanged since the last call (same
        text, same date before them) come from the cache."""
        if self.state.generation != self.generation:  # a new ledger: everything again
            self.cache.clear()
            self.generation = self.state.generation
        if self.state.ledger is None or len(text) > MAX_DRAFT_CHARS:
            return []
        blanked = blank_keys(text)
        out: list[Located] = []
        ref: str | None = None
        seen: dict[tuple[str, str | None, bool], Result] = {}
        for unit in units(split_blocks(blanked, markdown), markdown, self.plain_memo):
            utext, where = unit.text()
            key = (utext, ref, markdown)
            res = self.cache.get(key)
            if res is None:
                res = self._audit_unit(utext, ref, markdown)
                self.audited += 1
            seen[key] = res
            for f in res.found:
                out.append(Located(_to_draft(f.start, where), _to_draft(f.end - 1, where) + 1,
                                   f.claim, f.finding))
            ref = res.ref
        # keep this draft's units (and a bounded number of older ones, for undo)
        if len(self.cache) > 4 * len(seen) + 256:
            self.cache = {}
        self.cache.update(seen)
        return out


def _to_draft(offset: int, where: Sequence[tuple[int, int]]) -> int:
    """A unit offset as a draft offset, through the block it falls in."""
    base, draft = where[0]
    for u, d in where:
        if u <= offset:
            base, draft = u, d
        else:
            break
    return draft + (offset - base)


@dataclass
class Draft:
    """An open draft: its text, kind, and the last audit's claims and keys."""

    uri: str
    text: str
    markdown: bool = True
    version: int | None = None
    located: list[Located] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    lines: Lines | None = None

    def claim_at(self, offset: int) -> Located | None:
        for loc in self.located:
            if loc.start <= offset <= loc.end:
                return loc
        return None

    def key_at(self, offset: int) -> Key | None:
        for k in self.keys:
            if k.start <= offset <= k.end:
                return k
        return None
