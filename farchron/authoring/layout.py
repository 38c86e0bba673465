"""A ledger file as text blocks, one per record, and its canonical layout (`farchron fmt`).

A block runs from the comments directly above a `[[table]]` (or `[table]`) header to the
start of the next block, so a record's comments travel with it. The canonical layout
(what `add` and `import` keep, farchron.authoring.order): the text before the first table,
then any plain tables ([vocabulary]), then the records, events by date and works by id
(notes by number, after the works), each followed by the file's usual number of blank
lines. Inside a block nothing is touched: field order, comments and spacing stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from farchron.authoring.order import Key, key_of_text, lead_start

_HEADER = re.compile(r"[ \t]*(\[\[?)[ \t]*[\"']?([A-Za-z0-9_.-]+)[\"']?[ \t]*\]\]?[ \t]*"
                     r"(?:#.*)?\r?\Z")


@dataclass
class Block:
    """One table of the file: its name, whether it is a [[record]], its key and its text."""

    table: str
    array: bool
    text: str
    line: int  # the line of its first character (1-based)

    @property
    def ident(self) -> tuple[str, str]:
        """What identifies the record across versions of the file: (table, id or number);
        a plain table by its name."""
        if not self.array:
            return (self.table, "")
        from farchron.authoring.order import field_text

        value = field_text(self.text, "number" if self.table == "note" else "id")
        return (self.table, value or f"#{self.line}")

    def key(self) -> Key | None:
        return key_of_text(self.table, self.text)

    def body(self) -> str:
        """The text without the blank lines at its end."""
        lines = self.text.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines)


def header_lines(text: str) -> list[tuple[int, str, bool]]:
    """(offset, table, is-array) of each header line outside multi-line strings."""
    out = []
    pos = 0
    in_str = ""
    for line in text.split("\n"):
        if not in_str:
            m = _HEADER.match(line)
            if m:
                out.append((pos, m.group(2), m.group(1) == "[["))
        for q in ('"""', "'''"):
            if (not in_str or in_str == q) and line.count(q) % 2 == 1:
                in_str = "" if in_str else q
        pos += len(line) + 1
    return out


def split(text: str) -> tuple[str, list[Block]]:
    """The text before the first table, and the blocks; "".join gives the text back."""
    heads = header_lines(text)
    starts = [lead_start(text, off) for off, _, _ in heads]
    if not heads:
        return text, []
    blocks = []
    for i, (_off, table, array) in enumerate(heads):
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(heads) else len(text)
        blocks.append(Block(table, array, text[start:end], text.count("\n", 0, start) + 1))
    return text[:starts[0]], blocks


def gap_of(blocks: list[Block]) -> int:
    """The number of blank lines the file most often leaves after a record (at most 3)."""
    counts: dict[int, int] = {}
    for b in blocks[:-1]:
        trailing = len(b.text) - len(b.text.rstrip("\r\n \t"))
        n = max(0, b.text[len(b.text) - trailing:].count("\n") - 1)
        counts[n] = counts.get(n, 0) + 1
    return min(max(counts, key=lambda n: (counts[n], -n)), 3) if counts else 1


_TABLE_RANK = {"source": 0, "note": 1, "event": 0}


def _sort_key(b: Block, index: int) -> tuple[Any, ...]:
    k = b.key()
    # unreadable keys keep their place after the readable ones, in file order
    return (_TABLE_RANK.get(b.table, 2), 0 if k is not None else 1, k or (), index)


def canonical(text: str) -> str:
    """The file in canonical order and layout (see the module docstring); idempotent."""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n")
    head, blocks = split(body)
    if not blocks:
        return text
    gap = gap_of(blocks)
    plain = [b for b in blocks if not b.array]
    records = [b for b in blocks if b.array]
    order = sorted(range(len(records)), key=lambda i: _sort_key(records[i], i))
    head = head.rstrip("\n \t")
    parts = [head + "\n" * (gap + 1)] if head else []
    for b in [*plain, *(records[i] for i in order)]:
        parts.append(b.body() + "\n" * (gap + 1))
    out = "".join(parts).rstrip("\n") + "\n"
    return out.replace("\n", newline) if newline != "\n" else out


def is_canonical(text: str) -> bool:
    return canonical(text) == text
