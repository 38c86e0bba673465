"""Three-way merge of a ledger file per record and per field: git's merge driver.

`farchron merge BASE OURS THEIRS` (git's %O %A %B) reads the three versions as blocks
(farchron.authoring.layout), matches records by id (notes by number) and merges:
a record added on either side is kept at its place in date (id) order; one removed on one
side and unchanged on the other is removed; inside a record changed on both sides, a field
changed on one side is taken from it, and one changed differently on both is a conflict.

A conflict is written as a still-parseable record, our value in place and a
`merge-conflict` line naming the field and both sides' values, with a comment above it:

    # farchron merge: `date` changed on both sides; keep one value, delete the merge-conflict line
    date = "1939-08-20"
    merge-conflict = [{ field = "date", ours = "1939-08-20", theirs = "1939-08-21" }]

so `farchron check` points at it (FILE:LINE), and every other record stays usable. Lines of
unchanged records are kept byte for byte; a field taken from the other side brings its
own line(s). Never `merge=union`: it fuses two tables into one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from farchron.authoring.layout import Block, split
from farchron.authoring.order import insertion_offset

CONFLICT_KEY = "merge-conflict"
_KEY = re.compile(r"[ \t]*(\"[^\"]+\"|'[^']+'|[A-Za-z0-9_-]+)[ \t]*=")


class Unmergeable(ValueError):
    """A version that cannot be read as TOML records (the caller falls back to lines)."""


@dataclass
class Outcome:
    """The merged text and the conflicts left in it: (record, field) pairs."""

    text: str
    conflicts: list[tuple[str, str]] = field(default_factory=list)


def field_spans(text: str) -> dict[str, tuple[int, int]]:
    """{key: (start, end)} of each `key = value` of one block, multi-line values whole,
    the comment lines directly above a key included (they travel with it)."""
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    depth = 0
    in_str = ""
    current: str | None = None
    lead: int | None = None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        end = pos + len(line) + (1 if i + 1 < len(lines) else 0)
        if not in_str and depth == 0:
            m = _KEY.match(line)
            stripped = line.strip()
            if m and not stripped.startswith("["):
                current = m.group(1).strip("\"'")
                spans[current] = (lead if lead is not None else pos, end)
                lead = None
            elif stripped.startswith("#"):
                lead = pos if lead is None else lead
                current = None
            else:
                lead = None
                current = None
        elif current is not None:
            spans[current] = (spans[current][0], end)
        depth, in_str = _scan(line, depth, in_str)
        pos = end
    return spans


def _scan(line: str, depth: int, in_str: str) -> tuple[int, str]:
    """Bracket depth and open triple-quoted string after one line (comments skipped)."""
    i, n = 0, len(line)
    while i < n:
        if in_str:
            j = line.find(in_str, i)
            if j < 0:
                return depth, in_str
            i, in_str = j + 3, ""
            continue
        ch = line[i]
        if line.startswith('"""', i) or line.startswith("'''", i):
            in_str = line[i:i + 3]
            i += 3
            continue
        if ch in "\"'":
            j = i + 1
            while j < n and line[j] != ch:
                j += 2 if ch == '"' and line[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "#":
            break
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, in_str


def _record(block: Block) -> dict[str, Any]:
    import tomli

    try:
        doc = tomli.loads(block.text)
    except tomli.TOMLDecodeError as exc:
        raise Unmergeable(f"line {block.line}: {exc}") from None
    value = doc.get(block.table)
    if block.array:
        return dict(value[0]) if isinstance(value, list) and value else {}
    return dict(value) if isinstance(value, dict) else {}


def _blocks(text: str) -> tuple[str, dict[tuple[str, str], Block], list[tuple[str, str]]]:
    if "\n<<<<<<< " in "\n" + text or "\n>>>>>>> " in "\n" + text:
        raise Unmergeable("it holds merge-conflict markers")
    head, blocks = split(text)
    found: dict[tuple[str, str], Block] = {}
    order = []
    for b in blocks:
        if b.ident in found:
            raise Unmergeable(f"line {b.line}: {b.table} '{b.ident[1]}' is there twice")
        found[b.ident] = b
        order.append(b.ident)
    return head, found, order


def merge_texts(base: str, ours: str, theirs: str) -> Outcome:
    """The three-way merge of one ledger file (see the module docstring)."""
    if ours == theirs or theirs == base:
        return Outcome(ours)
    if ours == base:
        return Outcome(theirs)
    b_head, b_blocks, _ = _blocks(base)
    o_head, o_blocks, o_order = _blocks(ours)
    t_head, t_blocks, t_order = _blocks(theirs)
    out = Outcome("")
    head = o_head
    if o_head != t_head and o_head == b_head:
        head = t_head
    pieces: list[str] = []
    for ident in o_order:
        ob = o_blocks[ident]
        tb, bb = t_blocks.get(ident), b_blocks.get(ident)
        if tb is None:
            if bb is not None and bb.text != ob.text and bb.body() != ob.body():
                pieces.append(_conflict_whole(ob, "removed on their side, changed on ours",
                                              out, ident))
            elif bb is None:
                pieces.append(ob.text)  # added on our side
            continue  # removed on their side, unchanged on ours: removed
        pieces.append(_merge_block(bb, ob, tb, out, ident))
    text = head + "".join(pieces)
    if text and not text.endswith("\n"):
        text += "\n"
    for ident in t_order:
        if ident in o_blocks:
            continue
        tb = t_blocks[ident]
        bb = b_blocks.get(ident)
        if bb is not None:
            if bb.body() != tb.body():
                text = _insert(text, _conflict_whole(
                    tb, "removed on our side, changed on theirs", out, ident), tb)
            continue  # removed on our side, unchanged on theirs
        text = _insert(text, tb.text, tb)
    out.text = text
    return out


def _insert(text: str, block_text: str, block: Block) -> str:
    """The block put at its place (events by date, works by id), else at the end."""
    fields = _record(block) if block.array else {}
    at = insertion_offset(text, block.table, fields) if block.array else None
    if not block_text.endswith("\n"):
        block_text += "\n"
    if at is None:
        lines = text.rstrip("\n")
        gap = "\n\n" if lines else ""
        body = block_text.rstrip("\n") + "\n"
        return lines + gap + body if lines else body
    if not block_text.endswith("\n\n"):
        block_text += "\n"
    return text[:at] + block_text + text[at:]


def _merge_block(bb: Block | None, ob: Block, tb: Block, out: Outcome,
                 ident: tuple[str, str]) -> str:
    if ob.body() == tb.body():
        return ob.text
    if bb is not None and ob.body() == bb.body():
        return _with_trailing(tb.body(), ob.text)
    if bb is not None and tb.body() == bb.body():
        return ob.text
    base = _record(bb) if bb is not None else {}
    mine, theirs = _record(ob), _record(tb)
    text = ob.text
    spans_t = field_spans(tb.text)
    conflicts: list[dict[str, Any]] = []
    keys = list(mine) + [k for k in theirs if k not in mine]
    for key in keys:
        b, o, t = base.get(key), mine.get(key), theirs.get(key)
        if o == t or t == b:
            continue
        if o == b:  # changed (or added, or removed) on their side only: take theirs
            text = _replace_field(text, key, tb.text[slice(*spans_t[key])] if key in spans_t
                                  else "", ob.table)
            continue
        conflicts.append({"field": key, "ours": o, "theirs": t})
        out.conflicts.append((ident[1], key))
    if conflicts:
        text = _add_conflict_line(text, conflicts)
    return text


def _with_trailing(body: str, like: str) -> str:
    """`body` followed by the blank lines `like` ends with."""
    trailing = like[len(like.rstrip("\r\n \t")):]
    return body + (trailing if trailing else "\n")


def _replace_field(text: str, key: str, new_lines: str, table: str = "") -> str:
    spans = field_spans(text)
    if new_lines and not new_lines.endswith("\n"):
        new_lines += "\n"
    if key in spans:
        a, b = spans[key]
        if text[a:b] and not text[a:b].endswith("\n") and new_lines:
            new_lines = new_lines.rstrip("\n")
        return text[:a] + new_lines + text[b:]
    if not new_lines:
        return text
    # a field new to this record: before the first field that comes after it in the
    # canonical order (farchron.model.fields), else after the last field
    from farchron.model.fields import EVENT_FIELDS, NOTE_FIELDS, SOURCE_FIELDS

    canon = {"event": EVENT_FIELDS, "source": SOURCE_FIELDS, "note": NOTE_FIELDS}.get(table, ())
    if key in canon:
        later = [spans[k][0] for k in canon[canon.index(key) + 1:] if k in spans]
        if later:
            at = min(later)
            return text[:at] + new_lines + text[at:]
    body = text.rstrip("\r\n \t")
    return body + "\n" + new_lines.rstrip("\n") + text[len(body):]


def _toml(value: Any) -> str:
    from farchron.authoring.writer import toml_value

    if value is None:
        return '"(none)"'
    try:
        return toml_value(value)
    except TypeError:  # a TOML date or float: as text
        return toml_value(str(value))


def _add_conflict_line(text: str, conflicts: Sequence[Mapping[str, Any]]) -> str:
    names = ", ".join(f"`{c['field']}`" for c in conflicts)
    items = ", ".join(f"{{ field = {_toml(c['field'])}, ours = {_toml(c['ours'])}, "
                      f"theirs = {_toml(c['theirs'])} }}" for c in conflicts)
    lines = (f"# farchron merge: {names} changed on both sides; keep one value, "
             f"delete the {CONFLICT_KEY} line\n{CONFLICT_KEY} = [{items}]")
    body = text.rstrip("\r\n \t")
    return body + "\n" + lines + (text[len(body):] or "\n")


def _conflict_whole(block: Block, what: str, out: Outcome, ident: tuple[str, str]) -> str:
    out.conflicts.append((ident[1], "(record)"))
    ours = _toml("removed" if what.startswith("removed on our") else "changed")
    theirs = _toml("removed" if what.startswith("removed on their") else "changed")
    item = f'{{ field = "(record)", ours = {ours}, theirs = {theirs} }}'
    body = block.text.rstrip("\r\n \t")
    return (body + f"\n# farchron merge: this record was {what}; delete it or the "
            f"{CONFLICT_KEY} line\n{CONFLICT_KEY} = [{item}]" + (block.text[len(body):]
                                                                  or "\n"))
