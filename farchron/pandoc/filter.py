"""`farchron-pandoc`: a pandoc JSON filter that writes the ledger's Chicago notes.

    pandoc chapter.md --filter farchron-pandoc -o chapter.docx
    pandoc chapter.md --filter farchron-pandoc --citeproc --bibliography zotero.json ...

`[@event-id]` becomes a footnote citing the event's evidence, `[see @work-id, 12–14]` a
footnote citing the work; `@event-id` in the text becomes the event's date. Keys the
ledger does not know are left for `--citeproc` (given after `--filter`, it runs after).
Metadata: `farchron-data`, `farchron-edition`, `farchron-date-style`,
`farchron-bibliography`, `farchron-source`. Messages go to stderr as pandoc's do.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from farchron.errors import DataError
from farchron.pandoc import tree
from farchron.pandoc.locators import split_suffix
from farchron.pandoc.notes import BOTH, EVENT, UNKNOWN, Citer, Item, date_style

Node = dict[str, Any]

USAGE = """usage: pandoc FILE --filter farchron-pandoc [--citeproc] -o OUTPUT

A pandoc JSON filter: pandoc runs it; it reads pandoc's JSON on stdin.
  [@event-id]             a Chicago note citing the event's evidence
  [see @work-id, 12-14]   a Chicago note citing the work, with locator and prefix
  @event-id               the event's date in the text
Metadata: farchron-data (the ledger folder), farchron-edition (17 or 18),
farchron-date-style ("23 August 1939" or "August 23, 1939"), farchron-bibliography
(false: none), farchron-source (the Markdown file, for line numbers in messages).
"""

#: Keys of other filters (pandoc-crossref) are never reported as unknown.
_CROSSREF = ("fig:", "sec:", "tbl:", "eq:", "lst:")
_PUNCTUATION = ".,;:!?"


class Stop(Exception):
    """A message already said: end with this exit status."""

    def __init__(self, status: int = 2) -> None:
        super().__init__(status)
        self.status = status


def say(level: str, message: str) -> None:
    """One line on stderr, as pandoc writes its own: `[WARNING] farchron: ...`."""
    sys.stderr.write(f"[{level}] farchron: {message}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- where keys are


def _parent_inputs() -> list[Path]:
    """The files on the command line of the pandoc that runs this filter (Linux /proc;
    pandoc tells a JSON filter only the output format, not its inputs)."""
    import itertools
    import os

    try:
        argv = Path(f"/proc/{os.getppid()}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []
    args = [a.decode("utf-8", "replace") for a in argv if a]
    if not args or not Path(args[0]).name.startswith("pandoc"):
        return []
    out = []
    for prev, arg in itertools.pairwise(args):
        if arg.startswith("-") or prev in ("-o", "--output"):
            continue
        path = Path(arg)
        if path.suffix.lower() not in (".docx", ".odt", ".pdf", ".json", ".csl", ".bib") \
                and path.is_file():
            out.append(path)
    return out


class Places:
    """Where each key is first used: found in the source text only when a message needs
    it (`farchron-source`, else the files pandoc was given)."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self._found: dict[str, tuple[str, int, int]] | None = None

    def of(self, key: str) -> str:
        if self._found is None:
            from farchron.cite.keys import find_keys

            self._found = {}
            files = [Path(self.source)] if self.source else _parent_inputs()
            for path in files:
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                for use in find_keys(text):
                    self._found.setdefault(use.key, (str(path), use.line, use.column))
        where = self._found.get(key)
        return f" at {where[0]} line {where[1]} column {where[2]}" if where else ""


# --------------------------------------------------------------------------- the walk


class Filter:
    """One document's walk: every Cite in reading order, then the bibliography."""

    def __init__(self, citer: Citer, places: Places, warn_unknown: bool) -> None:
        self.citer = citer
        self.places = places
        self.warn_unknown = warn_unknown
        self.errors = 0
        self.cited = 0  # ledger citations in the author's current footnote
        self.bib_div: Node | None = None
        self._reported: set[str] = set()

    def kind(self, key: str) -> str:
        kind = self.citer.kind(key)
        if key in self._reported:
            return kind
        self._reported.add(key)
        if kind == BOTH:
            data = self.citer.ledger.data_dir
            say("ERROR", f"@{key} is both an event ({data / 'events.toml'}) and a work "
                         f"({data / 'sources.toml'}): give one of them another id"
                         f"{self.places.of(key)}")
            self.errors += 1
        elif kind == UNKNOWN and self.warn_unknown and not key.startswith(_CROSSREF):
            say("WARNING", f"@{key} is neither an event nor a work of the ledger: left as "
                           f"it is (for --citeproc and a bibliography){self.places.of(key)}")
        return kind

    def walk(self, value: Any, in_note: bool = False) -> None:
        if isinstance(value, list):
            if any(isinstance(x, dict) and x.get("t") == "Cite" for x in value):
                value[:] = self.inlines(value, in_note)
            else:
                for x in value:
                    self.walk(x, in_note)
        elif isinstance(value, dict):
            t = value.get("t")
            if t == "Note" and not in_note:
                self.cited = 0
                self.walk(value["c"], True)
                if not self.cited:
                    self.citer.gap()
            elif t == "Div" and value["c"][0][0] == "farchron-bibliography":
                self.bib_div = value
            elif "c" in value:
                self.walk(value["c"], in_note)

    def inlines(self, items: list[Node], in_note: bool) -> list[Node]:
        """A list of inlines with its Cites replaced; a note takes the punctuation that
        follows it and the space before it (as citeproc sets notes): "text.¹"."""
        out: list[Node] = []
        i = 0
        while i < len(items):
            node = items[i]
            i += 1
            if node.get("t") != "Cite":
                self.walk(node, in_note)
                out.append(node)
                continue
            new = self.cite(node, in_note, after_text=in_note and bool(out))
            if new and new[-1].get("t") == "Note":
                if len(new) == 1:
                    while out and out[-1].get("t") in ("Space", "SoftBreak"):
                        out.pop()
                nxt = items[i] if i < len(items) else None
                if nxt is not None and nxt.get("t") == "Str":
                    text = nxt["c"]
                    punct = text[:len(text) - len(text.lstrip(_PUNCTUATION))]
                    if punct:
                        new.insert(len(new) - 1, {"t": "Str", "c": punct})
                        if text[len(punct):]:
                            items[i] = {"t": "Str", "c": text[len(punct):]}
                        else:
                            i += 1
            out += new
        return out

    def cite(self, node: Node, in_note: bool, after_text: bool = False) -> list[Node]:
        """What one Cite becomes: a Note, a date, names and a Note, or itself.

        `@event-id` gives the event's date and `@work-id` its authors' names then the
        note (in the author's own footnote, the citation itself); what follows an
        in-text key (`@event-id [@work-id, 3]`) is cited in a note.
        """
        citations = node["c"][0]
        kinds = [self.kind(c["citationId"]) for c in citations]
        if all(k in (UNKNOWN, BOTH) for k in kinds):
            if not in_note and citations[0]["citationMode"]["t"] != "AuthorInText":
                self.citer.gap()  # a note of citeproc's: "Ibid." may not reach over it
            return [node]
        self.cited += 1
        lead: list[Node] = []
        cited = list(zip(citations, kinds, strict=True))
        first, first_kind = cited[0]
        if first["citationMode"]["t"] == "AuthorInText" and first_kind not in (UNKNOWN, BOTH):
            if first_kind == EVENT:
                lead = tree.inlines([(self.citer.date(first["citationId"]), False)])
                cited = cited[1:]
            elif not in_note:
                lead = tree.inlines(self.citer.authors(first["citationId"]))
        items = [self.item(c, k) for c, k in cited if k not in (UNKNOWN, BOTH)]
        others = [c for c, k in cited if k == UNKNOWN]
        runs = self.citer.note(items, inline=in_note or bool(others),
                               after_text=after_text or bool(lead)) if items else []
        body = tree.inlines(runs)
        if others and runs:
            self.citer.gap()  # the note cites more than the ledger knows: no "Ibid." to it
        for c in others:  # left for citeproc, inside the same note: one note a place
            if body:
                body += [{"t": "Str", "c": ";"}, {"t": "Space"}]
            # citeproc sets a citation in a note in parentheses, unless it is "in text"
            c = {**c, "citationMode": {"t": "AuthorInText"}}
            body.append({"t": "Cite", "c": [[c], [{"t": "Str", "c": "@" + c["citationId"]}]]})
        if in_note or not body:
            return lead + ([{"t": "Space"}] if lead and body else []) + body
        return [*lead, tree.note(body)]

    def item(self, c: Node, kind: str) -> Item:
        prefix = tree.runs_of(c["citationPrefix"])
        suffix = tree.runs_of(c["citationSuffix"])
        if kind == EVENT:
            return Item(c["citationId"], prefix, "", suffix)
        text = "".join(t for t, _i in suffix)
        locator, rest = split_suffix(text)
        if locator:
            suffix = _tail(suffix, len(rest))
        return Item(c["citationId"], prefix, locator, suffix)

    def bibliography(self, doc: Node) -> None:
        entries = [tree.para(tree.inlines(e)) for e in self.citer.bibliography()]
        if not entries:
            return
        if self.bib_div is not None:
            self.bib_div["c"][1] += entries
        else:
            doc["blocks"] += [tree.header(1, "bibliography", "Bibliography"),
                              tree.div("farchron-bibliography", [], entries)]


def _tail(runs: list[tuple[str, bool]], n: int) -> list[tuple[str, bool]]:
    """The last n characters of runs, as runs."""
    out: list[tuple[str, bool]] = []
    for text, italic in reversed(runs):
        if n <= 0:
            break
        take = text[-n:] if n < len(text) else text
        out.insert(0, (take, italic))
        n -= len(take)
    return out


# --------------------------------------------------------------------------- settings, ledger


def _ledger(meta: dict[str, Any]) -> Any:
    """The ledger named by `farchron-data`, else found as the command line finds it."""
    from farchron import settings
    from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE, find_data_dir
    from farchron.store.cache import open_ledger

    folder = find_data_dir(tree.meta_text(meta, "farchron-data") or None)
    if not ((folder / EVENTS_FILE).is_file() or (folder / SOURCES_FILE).is_file()):
        where = "farchron-data" if "farchron-data" in meta else "$FARCHRON_DATA or the folder"
        say("ERROR", f"no ledger: {folder / EVENTS_FILE}: no such file (set by {where}; "
                     f"farchron init starts one)")
        raise Stop(2)
    try:
        return open_ledger(folder, use_cache=not settings.no_cache())
    except DataError as exc:
        problems = [p for p in exc.problems if p.severity == "error"] or exc.problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        say("ERROR", f"the ledger in {folder} cannot be read: {exc}{more}; "
                     f"farchron --data {folder} check lists every problem")
        raise Stop(2) from None


def run(doc: Node) -> Node:
    """The filtered document (the same object, changed in place)."""
    meta = doc.setdefault("meta", {})
    edition_text = tree.meta_text(meta, "farchron-edition") or "17"
    try:
        style = date_style(tree.meta_text(meta, "farchron-date-style"))
    except ValueError as exc:
        say("ERROR", str(exc))
        raise Stop(2) from None
    if edition_text not in ("17", "18"):
        say("ERROR", f'farchron-edition is 17 or 18, not "{edition_text}"')
        raise Stop(2)
    citer = Citer(_ledger(meta), int(edition_text), style)
    places = Places(tree.meta_text(meta, "farchron-source"))
    warn = "bibliography" not in meta and "references" not in meta
    walk = Filter(citer, places, warn)
    walk.walk(doc["blocks"])
    if walk.errors:
        raise Stop(2)
    if tree.meta_flag(meta, "farchron-bibliography"):
        walk.bibliography(doc)
    return doc


def main(argv: list[str] | None = None) -> None:
    """The console script: pandoc's JSON on stdin, the filtered JSON on stdout."""
    args = sys.argv[1:] if argv is None else argv
    asked = bool(args) and args[0] in ("-h", "--help")
    if asked or sys.stdin.isatty():
        sys.stdout.write(USAGE)
        sys.exit(0 if asked else 2)
    raw = sys.stdin.buffer.read()
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict) or "pandoc-api-version" not in doc:
            raise ValueError
    except ValueError:
        say("ERROR", "standard input is not pandoc's JSON (pandoc 2.x or 3.x): run "
                     "pandoc FILE --filter farchron-pandoc")
        sys.exit(2)
    try:
        run(doc)
    except Stop as stop:
        sys.exit(stop.status)
    sys.stdout.buffer.write(json.dumps(doc, ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8"))
    sys.stdout.flush()
