"""Every byte that reaches stdout: table, tsv, csv, json, jsonl, markdown.

Text from the data files is cleaned here, at output time, because TOML lets
escape sequences into strings and Rich passes most of them through.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from farchron import settings
from farchron.text import clean, json_dumps

LISTING_FORMATS = ("table", "tsv", "csv", "json", "jsonl", "markdown", "ids")


class ListingOptions:
    """Options of every listing that no command needs to know about (set by --header)."""

    tsv_header = False


listing_options = ListingOptions()

def encoding_of(stream: object) -> str:
    """The stream's encoding by Python's own codec lookup ("utf-8", "iso8859-1",
    "koi8-r"), so any name Python accepts is understood; "utf-8" if unknown."""
    import codecs

    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def is_unicode(stream: object) -> bool:
    return encoding_of(stream) in ("utf-8", "utf-16", "utf-32")


#: Widths beyond this are clamped: a huge --width or COLUMNS would allocate rows of
#: billions of cells.
MAX_WIDTH = 1000


def clamp_width(width: int | None) -> int | None:
    """A usable width: None (ask the terminal) for none or below 1, at most MAX_WIDTH."""
    if width is None or width < 1:
        return None
    return min(width, MAX_WIDTH)


def env_width() -> int | None:
    """$COLUMNS as a width: unset, empty, 0, negative or not a number means unknown."""
    raw = settings.columns()
    if not raw.isdigit() or len(raw) > 9:
        return MAX_WIDTH if raw.isdigit() else None
    return clamp_width(int(raw))


def no_color() -> bool:
    """NO_COLOR (any non-empty value) wins, as https://no-color.org asks."""
    return settings.no_color()


def default_format(stream: IO[str] | None = None) -> str:
    """A Rich table on a terminal, TSV in a pipe."""
    stream = stream or sys.stdout
    try:
        return "table" if stream.isatty() else "tsv"
    except (AttributeError, ValueError):
        return "tsv"


class Column:
    """A column of a tabular listing: its header, how to get the cell, how to draw it."""

    __slots__ = ("get", "header", "min_width", "no_wrap", "ratio", "style", "wrap")

    def __init__(self, header: str, get: Callable[[dict[str, Any]], object], *,
                 min_width: int | None = None, ratio: int | None = None,
                 style: str | None = None, no_wrap: bool = False,
                 wrap: str | None = None) -> None:
        self.header, self.get = header, get
        self.min_width, self.ratio, self.style = min_width, ratio, style
        self.no_wrap = no_wrap  # keys (ids) are never broken: they are meant to be copied
        # "never" (ids), "parts" (dates: only between parts, "8 Feb 1904–"), "words"
        self.wrap = wrap or ("never" if no_wrap else "words")


#: OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: ...unless the cell is a number or an EDTF date (the start/end bounds "-0215-08-01").
_NUMBER_OR_DATE = None
_raw_csv = False


_csv_bom = False


def set_csv_bom(bom: bool) -> None:
    """--bom: begin CSV with U+FEFF, the mark spreadsheets need to read UTF-8."""
    global _csv_bom
    _csv_bom = bom


def set_raw_csv(raw: bool) -> None:
    """--raw: write CSV cells exactly as they are (no formula guard)."""
    global _raw_csv
    _raw_csv = raw


def csv_cell(text: str) -> str:
    """A CSV cell safe to open in a spreadsheet: a text starting =, +, -, @, tab or CR gets a
    leading apostrophe (OWASP); numbers and dates are left as they are."""
    if _raw_csv or not text.startswith(_FORMULA_START):
        return text
    global _NUMBER_OR_DATE
    if _NUMBER_OR_DATE is None:
        import re

        date = r"-?\d{4,}(?:-\d{2}){0,2}(?:T\d{2}:\d{2}(?::\d{2})?)?[~?%]?"
        _NUMBER_OR_DATE = re.compile(
            rf"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|(?:{date}|\.\.)(?:/(?:{date}|\.\.)?)?")
    return text if _NUMBER_OR_DATE.fullmatch(text) else "'" + text


def write_listing(fmt: str, records: Sequence[dict[str, Any]], columns: Sequence[Column],
                  out: IO[str] | None = None, *, title: str | None = None) -> None:
    """Write records in one of LISTING_FORMATS; json/jsonl carry the whole records."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json_dumps(list(records)) + "\n")
    elif fmt == "jsonl":
        for r in records:
            out.write(json_dumps(r, indent=None) + "\n")
    elif fmt == "ids":  # one key a line (the first column), for xargs and scripts
        for r in records:
            out.write(clean(columns[0].get(r)) + "\n")
    elif fmt == "tsv":
        if listing_options.tsv_header:
            out.write("\t".join(c.header.lower() for c in columns) + "\n")
        for r in records:
            out.write("\t".join(clean(c.get(r)) for c in columns) + "\n")
    elif fmt == "csv":
        import csv

        if _csv_bom:
            out.write("\ufeff")
        w = csv.writer(out, lineterminator="\n")
        w.writerow([c.header.lower() for c in columns])
        for r in records:
            w.writerow([csv_cell(clean(c.get(r))) for c in columns])
    elif fmt == "markdown":
        out.write(_markdown_row(c.header for c in columns))
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for r in records:
            out.write(_markdown_row(clean(c.get(r)) for c in columns))
    elif fmt == "table":
        _rich_table(records, columns, out, title)
    else:  # pragma: no cover - click restricts the choices
        raise ValueError(f"unknown format {fmt!r}")


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(c.translate(_MD_SPECIAL) for c in cells) + " |\n"


def console(out: IO[str] | None = None, *, stderr: bool = False) -> Any:
    """A Rich Console that never interprets data: no markup, emoji or highlighting."""
    from rich.console import Console

    plain = no_color()
    width = env_width()
    con = Console(
        file=out or (sys.stderr if stderr else sys.stdout),
        markup=False, emoji=False, highlight=False,
        no_color=plain, color_system=None if plain else "auto",
        safe_box=True, width=width,
    )
    if width is None and not 1 <= con.width <= MAX_WIDTH:  # a terminal claiming odd sizes
        con.width = 80 if con.width < 1 else MAX_WIDTH
    con.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # Rich would exit 1 ("nothing matched") by itself
    return con


def _broken_pipe() -> None:
    """Hand a broken pipe to cli's one handler (quiet, exit 141) instead of Rich's exit 1."""
    import errno

    raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def _rich_table(records: Sequence[dict[str, Any]], columns: Sequence[Column], out: IO[str],
                title: str | None) -> None:
    """A table fitted by tablefit: no character of a cell is lost at any width."""
    from farchron.render import widths as tablefit

    con = console(out)
    plain = no_color() or not con.is_terminal
    cells = [[clean(c.get(r)) for c in columns] for r in records]
    enc = encoding_of(out)
    unicode = is_unicode(out)
    if not unicode:
        # An ASCII or Latin-1 terminal: one "?" per unencodable character keeps the columns
        # aligned (the stream's backslash escapes would widen cells already measured).
        cells = [[v.encode(enc, "replace").decode(enc) for v in row] for row in cells]
    main = max(range(len(columns)), key=lambda i: columns[i].ratio or 0)
    specs = [tablefit.Spec(c.header, c.wrap, main=i == main and bool(c.ratio),
                           min_width=c.min_width or 0) for i, c in enumerate(columns)]
    width = max(con.width, 1)
    layout = tablefit.fit(specs, cells, width)
    styles = [None if plain else c.style for c in columns]
    lines: list[list[tuple[str, str | None]]] = []
    if title:
        lines += [[(t, None if plain else "bold")]
                  for t in tablefit.wrap(clean(title), width)]
    if layout.mode == "stacked":
        for n, row in enumerate(cells):
            if n:
                lines.append([])
            lines += [[(t, styles[i] if i >= 0 else None) for t, i in segs]
                      for segs in tablefit.stacked_lines(specs, row, width)]
    else:
        head = tablefit.header_line(specs, layout)
        lines.append([(head, None if plain else "bold")])
        rule = sum(layout.widths) + tablefit.GAP * (len(layout.widths) - 1)
        lines.append([(("─" if unicode else "-") * rule, None)])
        lines += [[(t, styles[i] if i >= 0 else None) for t, i in segs]
                  for segs in tablefit.table_lines(specs, cells, layout)]
    if plain:
        out.write("".join("".join(t for t, _s in segs) + "\n" for segs in lines))
        return
    from rich.text import Text

    for segs in lines:
        text = Text()
        for t, style in segs:
            text.append(t, style=style or "")
        con.print(text, soft_wrap=True)
