"""A draft's prose as one plain string, with the way back to the draft as written.

One reading for every format: Markdown, plain text, stdin, and .docx/.odt through pandoc
(which turns them into Markdown, its notes into `[^N]:` footnotes). Headings are left out
(they are not claims); notes, endnotes and a bibliography (Markdown footnotes,
`<sup>N</sup>` blocks, a trailing section of numbered notes after a rule, everything under a
"Notes" or "Bibliography" heading) come after the body, their spans listed, so their
publication years are never read as events nor carried into the text. The text is
normalised (NFKC, soft hyphens and zero-width characters dropped, full-width digits made
ASCII) before dates are read, while every character keeps its offset in the original, so a
finding says FILE:LINE:COL of the text the author wrote. A document may state its calendar
convention ("dates before February 1918 are Old Style", or `farchron-calendar: julian` in
its front matter or a comment). Pure: no click, no rich.
"""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from array import array
from dataclasses import dataclass, field

from farchron.dates.edtf import YMD

# Markup deleted from a Markdown line; everything else is kept, character for character.
_MD_INLINE = re.compile(
    r"<sup>[^<]*</sup>"            # note markers
    r"|<[A-Za-z/!][^>]*>"          # other HTML tags
    r"|\[\^[^\]\s]+\]"             # [^1] footnote references
    r"|\[[^\[\]\n]*?@[^\[\]\n]*\]"  # pandoc citations: a key like hata-2014 is no date
    r"|\[\]\{[^}]*\}|\{[#.][^}]*\}"  # pandoc's empty anchors and attributes
    r"|!?\[(?=[^\]]*\]\()"         # the opening bracket of a link or image
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # the link's target
    r"|\*+|`+|~~"                  # emphasis, code, strike
    r"|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])"  # _emphasis_, not snake_case
    r"|\\(?=[!-/:-@\[-`{-~])"      # backslash escapes
)
# Plain text keeps its asterisks; only note markers go.
_TXT_INLINE = re.compile(r"<sup>[^<]*</sup>|\[\^[^\]\s]+\]|(?<=[^\s\[])\[[0-9]{1,3}\]")
_MD_BLOCK = re.compile(r"[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-+*][ \t]+|[0-9]+[.)][ \t]+)+")
FENCE = re.compile(r"[ \t]{0,3}(```|~~~)")
_RULE = re.compile(r"[ \t]{0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
# A paragraph that is a note of the paper: its dates are publication dates, not claims.
NOTE = re.compile(r"[ \t]{0,3}(?:<sup>[^<]*</sup>|\[\^[^\]]+\]:)")
SUP = re.compile(r"[ \t]{0,3}<sup>([^<]*)</sup>")
# A numbered note of a trailing notes section ("[1] Paine, ...", "1. Paine, ...", "1 Paine").
_NUMBERED_NOTE = re.compile(
    r"[ \t]{0,3}(?:\[([0-9]{1,3})\]|([0-9]{1,3})[.)]?)[ \t]+"
    r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+[0-9])\S")
# Headings that open a section of notes or works cited.
_NOTES_HEADING = re.compile(
    r"(?i)(?:[0-9.]+\s+)?(?:notes|endnotes|footnotes|references|bibliography|works cited|"
    r"sources|select bibliography|further reading|literature)\s*:?\s*")
# The calendar convention, written as a line of its own (front matter, a comment).
_CONVENTION_LINE = re.compile(
    r"[ \t]*(?:<!--|%|//|#)?[ \t]*farchron-calendar[ \t]*:[ \t]*([^\n]*?)[ \t]*(?:-->)?[ \t]*$",
    re.IGNORECASE)
# ... or in the author's words: "dates before February 1918 are Old Style".
_CONVENTION_PROSE = re.compile(
    r"(?i)\b(?:all\s+)?dates\b(?P<scope>[^.;:]{0,80}?)\b(?:are|is|were)\s+(?:given\s+)?"
    r"(?:in\s+)?(?:the\s+)?(?P<cal>Old\s+Style|O\.\s?S\.|Julian(?:\s+calendar)?)")
_UNTIL = re.compile(r"(?i)\b(?:before|until|till|up\s+to|prior\s+to)\s+(?:the\s+)?(.+?)\s*,?\s*$")

#: When Russia, the usual reason for an Old Style convention, left the Julian calendar.
JULIAN_UNTIL_DEFAULT: YMD = (1918, 2, 14)


@dataclass(frozen=True, slots=True)
class Convention:
    """The document's calendar: unmarked dates written before `until` (as written) are
    in `calendar`; `where` is the line that says so."""

    calendar: str = "julian"
    until: YMD = JULIAN_UNTIL_DEFAULT
    where: str = ""

    def applies(self, written: YMD) -> bool:
        return written < self.until


@dataclass(slots=True)
class Plain:
    """Text with markup removed; `offsets[i]` is where plain character i stood in the
    original, so findings point at the draft as written."""

    text: str
    offsets: array[int]
    source: str
    notes: list[tuple[int, int]]  # plain spans of note paragraphs, in order
    convention: Convention | None = None
    skip: list[tuple[int, int]] = field(default_factory=list)  # spans that are no claims
    _lines: list[int] | None = None

    def in_note(self, i: int) -> bool:
        """Is plain character i inside a note (where years are mostly publication years)?"""
        k = bisect.bisect_right(self.notes, (i, 1 << 62)) - 1
        return k >= 0 and self.notes[k][0] <= i < self.notes[k][1]

    def skipped(self, i: int) -> bool:
        return any(a <= i < b for a, b in self.skip)

    def position(self, i: int) -> tuple[int, int]:
        """1-based line and column in the original of plain character i."""
        if self._lines is None:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self.source)]
        o = self.offsets[i] if i < len(self.offsets) else len(self.source)
        line = bisect.bisect_right(self._lines, o)
        return line, o - self._lines[line - 1] + 1


@dataclass(slots=True)
class _Para:
    kind: str              # "body", "heading", "note"
    text: str
    offs: list[int]
    level: int = 0         # a heading's level (1-6; 9 for a guessed one)


def _front_matter(source: str) -> tuple[int, str | None]:
    """(where the text after a YAML front matter block starts, its farchron-calendar)."""
    m = re.match(r"---[ \t]*\r?\n(.*?\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", source, re.DOTALL)
    if not m:
        return 0, None
    cal = re.search(r"(?m)^farchron-calendar[ \t]*:[ \t]*[\"']?([^\"'\r\n]*)", m.group(1))
    return m.end(), cal.group(1).strip() if cal else None


def parse_convention(value: str, where: str = "") -> Convention | None:
    """"julian", "julian until 1918-02-14", "Old Style before February 1918" -> the
    Convention; None for "gregorian"; ValueError for anything else."""
    from farchron.dates.edtf import DateError
    from farchron.dates.written import parse_human

    v = value.strip().strip("\"'")
    m = re.fullmatch(r"(?i)(julian|old[ -]style|o\.?s\.?|gregorian|new[ -]style|n\.?s\.?)"
                     r"(?:\s*[,;]?\s*(?:until|before|to)\s+(.+))?", v)
    if not m:
        raise ValueError(f"unknown calendar convention '{value}' (expected julian, "
                         "'julian until DATE' or gregorian)")
    if m.group(1).lower().startswith(("g", "n")):
        return None
    until = JULIAN_UNTIL_DEFAULT
    if m.group(2):
        try:
            until = parse_human(m.group(2).strip()).date().start
        except DateError as exc:
            raise ValueError(f"calendar convention '{value}': {exc}") from None
    return Convention("julian", until, where)


def _paragraphs(source: str, markdown: bool) -> tuple[list[_Para], Convention | None]:
    """The paragraphs of the draft, each a body paragraph, a heading or a note, and the
    calendar convention its front matter or a comment line states."""
    paras: list[_Para] = []
    cur: list[str] = []
    offs: list[int] = []
    kind = "body"
    fence = ""
    body_at, cal = _front_matter(source)
    convention = parse_convention(cal, "front matter") if cal else None
    pos = body_at
    inline = _MD_INLINE if markdown else _TXT_INLINE
    # A note marker opening a paragraph is a note, unless the same marker opens a later
    # paragraph too: then the first is body text cut by a page break ("<sup>24</sup> As
    # a result, ...") and the later one the note.
    leading = [m.group(1) for m in re.finditer(r"(?m)^[ \t]{0,3}<sup>([^<]*)</sup>", source)]
    seen: dict[str, int] = {}
    in_footnote = False  # after a [^N]: definition, an indented paragraph continues it

    def close(heading: int = 0) -> None:
        nonlocal cur, offs, kind
        if cur:
            paras.append(_Para("heading" if heading else kind, "".join(cur), offs, heading))
        cur, offs, kind = [], [], "body"

    def emit(text: str, at: int) -> None:
        cur.append(text)
        offs.extend(range(at, at + len(text)))

    for raw in source[body_at:].splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start, pos = pos, pos + len(raw)
        m = FENCE.match(line)
        if fence:
            if m and m.group(1) == fence:
                fence = ""
            continue
        if m and markdown:
            fence = m.group(1)
            close()
            continue
        if not line.strip():
            close()
            continue
        if _RULE.match(line):
            # "Title" underlined with === or --- is a heading (setext); else a rule
            if cur and len(cur) == 1 and "\n" not in cur[0] and line.strip()[0] in "=-":
                close(heading=1 if line.strip()[0] == "=" else 2)
            else:
                close()
                paras.append(_Para("rule", "", []))
            continue
        conv = _CONVENTION_LINE.fullmatch(line)
        if conv and not cur:
            try:
                convention = parse_convention(
                    conv.group(1), f"line {source.count(chr(10), 0, start) + 1}")
            except ValueError:
                pass
            else:
                continue
        if not cur:
            note = NOTE.match(line)
            if note:
                sup = SUP.match(line)
                if sup is None:
                    kind = "note"
                    in_footnote = True
                else:
                    k = seen[sup.group(1)] = seen.get(sup.group(1), 0) + 1
                    kind = "note" if k >= leading.count(sup.group(1)) else "body"
            elif in_footnote and line.startswith(("    ", "\t")):
                kind = "note"
            else:
                in_footnote = False
        b = _MD_BLOCK.match(line)
        level = len(b.group(0).strip().split()[0]) if b and b.group(0).lstrip()[:1] == "#" \
            else 0
        if level:
            close()
            in_footnote = False
        i = b.end() if b and (markdown or level) else 0
        if cur:
            emit("\n", start - 1)
        for mm in inline.finditer(line, i):
            if mm.start() > i:
                emit(line[i:mm.start()], start + i)
            i = mm.end()
        if i < len(line):
            emit(line[i:], start + i)
        if level:
            close(heading=level)
    close()
    _guess_headings(paras)
    _notes_sections(paras)
    return [p for p in paras if p.kind != "rule"], convention


_END_PUNCT = ".!?:;,\"”’')]*。．！？」』）"
_STOP_END = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of",
                       "on", "or", "the", "to", "with", "that", "which", "its", "their"))


def _guess_headings(paras: list[_Para]) -> None:
    """A short line standing alone, without closing punctuation, before a paragraph that
    starts a sentence, is a heading in any format ("From Shimonoseki to 1905" in a .txt
    or a .docx's plain text reads the same as "## From Shimonoseki to 1905")."""
    body = [k for k, p in enumerate(paras) if p.kind == "body"]
    for j, k in enumerate(body):
        p = paras[k]
        t = p.text.strip()
        words = t.split()
        if not words or "\n" in t or len(words) > 12 or t[-1] in _END_PUNCT:
            continue
        if not (t[0].isupper() or t[0].isdigit() or t[0] == "("):
            continue
        if words[-1].lower() in _STOP_END or (", " in t and t[t.index(", ") + 2:][:1].islower()):
            continue
        nxt = paras[body[j + 1]].text.lstrip() if j + 1 < len(body) else ""
        if nxt[:1].islower():
            continue  # a paragraph cut by a page of notes, not a heading
        p.kind, p.level = "heading", 9


def _notes_sections(paras: list[_Para]) -> None:
    """Everything under a "Notes" or "Bibliography" heading, and a trailing run of
    numbered notes after a rule, is notes."""
    level = 0
    for p in paras:
        if p.kind == "heading":
            if _NOTES_HEADING.fullmatch(p.text.strip()):
                level = p.level if p.level != 9 else 1
            elif level and p.level <= level:
                level = 0
        elif level and p.kind == "body":
            p.kind = "note"
    # numbered notes in the text's own order ("1 Paul Kennedy ...", "[2] Paine, ...",
    # "3. Nish, ..."): pandoc's plain text, a word processor's notes saved as text, a
    # .docx whose superscript markers became digits. Each continues the numbering.
    expect = 1
    for p in paras:
        if p.kind != "body":
            continue
        m = _NUMBERED_NOTE.match(p.text)
        if m and int(m.group(1) or m.group(2)) == expect:
            p.kind = "note"
            expect += 1


def plain_text(source: str, markdown: bool = True) -> Plain:
    """The prose of a draft as one string, paragraphs apart by a blank line.

    Markdown markers (headings, emphasis, links, note markers) are dropped; fenced code,
    rules and headings are left out. Notes follow the body, their spans listed, so a
    paragraph that a page of notes cut in two ("... the Changkufeng" / notes / "Incident
    or ...") reads as one again. Plain text is read the same way, keeping its asterisks.
    """
    out: list[str] = []
    offs = array("I")
    notes: list[tuple[int, int]] = []
    paras, convention = _paragraphs(source, markdown)
    last_end = 0
    cut = False  # the previous paragraph stopped mid-sentence
    first = True
    for p in paras:
        if p.kind == "heading":
            cut = False
            continue
        if p.kind != "body":
            continue
        text, o = p.text, p.offs
        if not first:
            if cut or text[:1].islower():  # a page break, not a new paragraph
                out.append(" ")
                offs.append(last_end)
            else:
                out.append("\n\n")
                offs.extend((last_end, last_end))
        first = False
        out.append(text)
        offs.extend(o)
        last_end = o[-1] + 1 if o else last_end
        cut = text.rstrip()[-1:] not in _END_PUNCT
    for p in paras:
        if p.kind == "note":
            out.append("\n\n")
            offs.extend((p.offs[0], p.offs[0]) if p.offs else (0, 0))
            notes.append((len(offs), len(offs) + len(p.text)))
            out.append(p.text)
            offs.extend(p.offs)
    text, offs, notes = normalise("".join(out), offs, notes)
    plain = Plain(text, offs, source, notes, convention)
    if plain.convention is None:
        _prose_convention(plain)
    return plain


def _prose_convention(plain: Plain) -> None:
    """"Unless otherwise stated, dates before February 1918 are Old Style": the sentence
    sets the convention, and is itself no claim."""
    from farchron.dates.edtf import DateError
    from farchron.dates.written import parse_human

    body_end = plain.notes[0][0] if plain.notes else len(plain.text)
    m = _CONVENTION_PROSE.search(plain.text, 0, body_end)
    if m is None:
        return
    until = JULIAN_UNTIL_DEFAULT
    scope = m.group("scope")
    u = _UNTIL.search(scope)
    if u:
        try:
            until = parse_human(u.group(1)).date().start
        except DateError:
            return  # "dates before the war are Old Style": not a date we can use
    elif scope.strip() and not re.fullmatch(r"(?i)\s*(?:in\s+this\s+\w+|here|below)?\s*",
                                            scope):
        return
    line, _col = plain.position(m.start())
    plain.convention = Convention("julian", until, f"line {line}")
    plain.skip.append((m.start(), m.end()))


# --------------------------------------------------------------------------- normalising

# Characters that never change what a date says: soft hyphen, zero-width space, joiners,
# word joiner, byte-order mark, Mongolian vowel separator.
_IGNORABLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e")
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def normalise(text: str, offs: array[int], notes: list[tuple[int, int]]
              ) -> tuple[str, array[int], list[tuple[int, int]]]:
    """NFKC, with ignorable characters dropped and hyphen look-alikes made '-'; each
    output character keeps the offset of the character it came from, and the note spans
    move with them. Pure ASCII passes untouched; only runs of other characters are
    looked at, so the cost stays linear."""
    if text.isascii():
        return text, offs, notes
    out: list[str] = []
    new = array("I")
    # old plain index -> new plain index, only needed at note boundaries
    marks = sorted({i for span in notes for i in span})
    moved: dict[int, int] = {}
    mk = 0
    last = 0

    def copy(a: int, b: int) -> None:
        nonlocal mk
        while mk < len(marks) and marks[mk] <= b:
            if marks[mk] >= a:
                moved[marks[mk]] = len(new) + (marks[mk] - a)
            mk += 1
        out.append(text[a:b])
        new.extend(offs[a:b])

    for m in _NON_ASCII.finditer(text):
        copy(last, m.start())
        i, end = m.start(), m.end()
        while i < end:
            while mk < len(marks) and marks[mk] <= i:
                moved[marks[mk]] = len(new)
                mk += 1
            j = i + 1
            while j < end and unicodedata.combining(text[j]):
                j += 1  # a letter and its accents are normalised together
            chunk = text[i:j]
            if chunk in _IGNORABLE:
                pass
            else:
                rep = _DASHES.get(chunk) or unicodedata.normalize("NFKC", chunk)
                out.append(rep)
                new.extend([offs[i]] * len(rep))
            i = j
        last = end
    copy(last, len(text))
    while mk < len(marks):
        moved[marks[mk]] = len(new)
        mk += 1
    return "".join(out), new, [(moved[a], moved[b]) for a, b in notes]


# Ends of sentences: . ! ? (and closing quotes or brackets) before a space and a capital,
# a digit or an opening quote; not after an initial ("V. Stalin", "U.S.") or an
# abbreviation. The Japanese full stop ends one too.
_SENT_END = re.compile(
    r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9\u0400-\u04ff])|。|\n\n")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Dr|St|No|Vol|vol|pp?|ed|eds|cf|e\.g|i\.e|etc|ca|c|Gen|Lt|Col|"
    r"Adm|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.[\"”’')\]]*$")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, paragraph breaks always ending one."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group(0)[0] in ".!?" and _ABBREV.search(text, max(0, m.start() - 8), m.end()):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


# --------------------------------------------------------------------------- files

#: Word-processor files read through pandoc, as Markdown (their notes as footnotes).
PANDOC_SUFFIXES = (".docx", ".odt")
_PLAIN_SUFFIXES = (".txt", ".text")
#: The largest draft read by default (--max-size).
MAX_SIZE_DEFAULT = 20_000_000


class UnreadableDraft(Exception):
    """A draft that cannot be read; the message names the file and says why."""


def _too_big(name: str, size: int, max_size: int) -> UnreadableDraft:
    return UnreadableDraft(
        f"{name}: {size / 1e6:.1f} MB is larger than the {max_size / 1e6:g} MB an audit "
        "reads; split the draft, or raise the limit with --max-size")


def read_draft(name: str, stdin: bytes | None = None, max_size: int = MAX_SIZE_DEFAULT
               ) -> tuple[str, bool]:
    """The text of a draft and whether to read it as Markdown.

    `name` is a path, or "-" for `stdin` (bytes, Markdown). .txt is plain text, .docx
    and .odt go through pandoc (to Markdown), anything else is read as Markdown. A draft
    over `max_size` bytes is refused with a message saying so.
    """
    if name == "-":
        raw = stdin or b""
        if len(raw) > max_size:
            raise _too_big("<stdin>", len(raw), max_size)
        return _decode(raw, "<stdin>"), True
    suffix = os.path.splitext(name)[1].lower()
    try:
        size = os.stat(name).st_size
    except OSError:
        size = 0
    if size > max_size:
        raise _too_big(name, size, max_size)
    if suffix in PANDOC_SUFFIXES:
        text = _pandoc(name)
        if len(text) > max_size:
            raise _too_big(name, len(text), max_size)
        return text, True
    try:
        with open(name, "rb") as f:
            raw = f.read(max_size + 1)
    except IsADirectoryError:
        raise UnreadableDraft(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableDraft(f"{name}: {exc.strerror or exc}") from None
    if len(raw) > max_size:
        raise _too_big(name, len(raw), max_size)
    return _decode(raw, name), suffix not in _PLAIN_SUFFIXES


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise UnreadableDraft(f"{name}: a zip file (a .docx?); give it a .docx name so "
                              "pandoc reads it, or save the draft as Markdown or text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDraft(f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                              f"offset {exc.start}); save it as UTF-8") from None


def _pandoc(name: str) -> str:
    """A word-processor file as Markdown, one paragraph a line, its notes as footnotes,
    through pandoc (smart quotes and dashes kept as the characters they are)."""
    import shutil
    import subprocess

    exe = shutil.which("pandoc")
    if exe is None:
        raise UnreadableDraft(
            f"{name}: reading {os.path.splitext(name)[1]} files needs pandoc "
            "(https://pandoc.org/installing.html), which is not installed; or save the "
            "draft as Markdown (.md) or plain text (.txt)")
    if not os.path.isfile(name):
        raise UnreadableDraft(f"{name}: no such file")
    try:
        done = subprocess.run([exe, "-t", "markdown-smart", "--wrap=none", "--", name],
                              capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UnreadableDraft(f"{name}: pandoc failed: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableDraft(f"{name}: pandoc could not read it"
                              + (f": {why[0]}" if why else ""))
    return _decode(done.stdout, name)
