"""Pandoc's JSON AST, the few shapes the filter reads and writes.

The filter reads whatever `pandoc-api-version` it is given and echoes it: Debian 12's
pandoc 2.17 writes 1.22, pandoc 3 writes 1.23. The elements touched here (Str, Space,
Emph, Quoted, Cite, Note, Para, Plain, Div, Header, and the Meta values) have the same
JSON in both; 1.23's Figure and the removal of Null are walked over like any other node.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from farchron.cite.typeset import Run

Node = dict[str, Any]

_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


def stringify(value: Any) -> str:
    """The plain text of inlines, blocks or a metadata value."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(stringify(v) for v in value)
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    t, c = value.get("t"), value.get("c", [])
    if t == "Str" or t == "MetaString":
        return str(c)
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t == "MetaBool":
        return "true" if c else "false"
    if t == "Quoted":
        left, right = _QUOTES.get(c[0]["t"], ('"', '"'))
        return left + stringify(c[1]) + right
    if t in ("Code", "Math", "RawInline"):
        return str(c[1])
    if t in ("Cite", "Span", "Link", "Image"):
        return stringify(c[1])
    if t == "Note":
        return ""
    return stringify(c)


def meta_text(meta: dict[str, Any], name: str) -> str | None:
    """A metadata field as text, None when absent."""
    if name not in meta:
        return None
    return stringify(meta[name]).strip()


def meta_flag(meta: dict[str, Any], name: str, default: bool = True) -> bool:
    """A yes/no field (`farchron-bibliography: false`)."""
    value = meta.get(name)
    if value is None:
        return default
    if value.get("t") == "MetaBool":
        return bool(value["c"])
    return stringify(value).strip().lower() not in ("false", "no", "off", "0")


def runs_of(inlines: Iterable[Node]) -> list[Run]:
    """Inlines (a citation's prefix or suffix) as runs: italics kept, the rest as text."""
    out: list[Run] = []
    for node in inlines:
        t = node.get("t")
        if t == "Emph":
            out += [(text, True) for text, _i in runs_of(node["c"])]
        elif t in ("Strong", "Underline", "SmallCaps", "Strikeout"):
            out += runs_of(node["c"])
        elif t == "Quoted":
            left, right = _QUOTES.get(node["c"][0]["t"], ('"', '"'))
            out += [(left, False), *runs_of(node["c"][1]), (right, False)]
        else:
            out.append((stringify(node), False))
    return out


def _words(text: str) -> list[Node]:
    out: list[Node] = []
    for i, piece in enumerate(text.split(" ")):
        if i and (not out or out[-1]["t"] != "Space"):
            out.append({"t": "Space"})
        if piece:
            out.append({"t": "Str", "c": piece})
    return out


def inlines(runs: Iterable[Run]) -> list[Node]:
    """Runs as pandoc inlines: words and spaces, italics as Emph, quotes typographic and
    data text cleaned as `cite` prints it."""
    from farchron.cite.typeset import smart
    from farchron.text import clean

    out: list[Node] = []
    prev = ""
    for text, italic in runs:
        shown = smart(clean(text), prev)
        prev = text[-1:] or prev
        if not shown:
            continue
        if italic and shown.strip():
            core = shown.strip()
            lead, trail = shown[: shown.index(core)], shown[shown.index(core) + len(core):]
            out += _words(lead)
            out.append({"t": "Emph", "c": _words(core)})
            out += _words(trail)
        else:
            out += _words(shown)
    # a Space never doubles across runs
    return [n for i, n in enumerate(out)
            if not (n["t"] == "Space" and i and out[i - 1]["t"] == "Space")]


def para(content: list[Node]) -> Node:
    return {"t": "Para", "c": content}


def note(content: list[Node]) -> Node:
    return {"t": "Note", "c": [para(content)]}


def div(ident: str, classes: list[str], blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [[ident, classes, []], blocks]}


def header(level: int, ident: str, text: str) -> Node:
    return {"t": "Header", "c": [level, [ident, ["unnumbered"], []], _words(text)]}
