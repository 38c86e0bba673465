"""A draft's prose as one plain string, with the way back to the draft as written.

Markdown is stripped (headings, emphasis, links, note markers) but every character of
the plain text keeps its offset in the original, so a finding can say FILE:LINE:COL of
the text the author wrote. Notes come after the body; a paragraph that a page of notes
cut in two reads as one again. Pure: no click, no rich.
"""

from __future__ import annotations

import os
import re
from array import array
from dataclasses import dataclass

# Markup deleted from a Markdown line; everything else is kept, character for character.
_MD_INLINE = re.compile(
    r"<sup>[^<]*</sup>"            # note markers
    r"|<[A-Za-z/!][^>]*>"          # other HTML tags
    r"|\[\^[^\]\s]+\]"             # [^1] footnote references
    r"|!?\[(?=[^\]]*\]\()"         # the opening bracket of a link or image
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # the link's target
    r"|\*+|`+|~~"                  # emphasis, code, strike
    r"|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])"  # _emphasis_, not snake_case
    r"|\\(?=[!-/:-@\[-`{-~])"      # backslash escapes
)
_MD_BLOCK = re.compile(r"[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-+*][ \t]+|[0-9]+[.)][ \t]+)+")
_FENCE = re.compile(r"[ \t]{0,3}(```|~~~)")
_RULE = re.compile(r"[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# A paragraph that is a note of the paper: its dates are publication dates, not claims.
_NOTE = re.compile(r"[ \t]{0,3}(?:<sup>[^<]*</sup>|\[\^[^\]]+\]:)")


@dataclass(slots=True)
class Plain:
    """Text with markup removed; `offsets[i]` is where plain character i stood in the
    original, so findings point at the draft as written."""

    text: str
    offsets: array[int]
    source: str
    notes: list[tuple[int, int]]  # plain spans of note paragraphs

    def in_note(self, i: int) -> bool:
        """Is plain character i inside a note (where years are mostly publication years)?"""
        return any(a <= i < b for a, b in self.notes)

    def position(self, i: int) -> tuple[int, int]:
        """1-based line and column in the original of plain character i."""
        o = self.offsets[i] if i < len(self.offsets) else len(self.source)
        line = self.source.count("\n", 0, o) + 1
        return line, o - (self.source.rfind("\n", 0, o) + 1) + 1


def _paragraphs(source: str, markdown: bool) -> list[tuple[bool, str, list[int], bool]]:
    """(is a note, text, original offset of each character, is a heading) of each
    paragraph."""
    paras: list[tuple[bool, str, list[int], bool]] = []
    cur: list[str] = []
    offs: list[int] = []
    is_note = False
    fence = ""
    pos = 0
    # A note marker opening a paragraph is a note, unless the same marker opens a later
    # paragraph too: then the first is body text cut by a page break ("<sup>24</sup> As
    # a result, ...") and the later one the note.
    leading = [m.group(1) for m in re.finditer(r"(?m)^[ \t]{0,3}<sup>([^<]*)</sup>", source)]
    seen: dict[str, int] = {}

    def close(heading: bool = False) -> None:
        nonlocal cur, offs, is_note
        if cur:
            paras.append((is_note, "".join(cur), offs, heading))
        cur, offs, is_note = [], [], False

    def emit(text: str, at: int) -> None:
        cur.append(text)
        offs.extend(range(at, at + len(text)))

    for raw in source.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start, pos = pos, pos + len(raw)
        if not markdown:
            if not line.strip():
                close()
                continue
            if cur:
                emit("\n", start - 1)
            emit(line, start)
            continue
        m = _FENCE.match(line)
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
        note = _NOTE.match(line)
        if note and not cur:
            sup = re.match(r"[ \t]{0,3}<sup>([^<]*)</sup>", line)
            if sup is None:
                is_note = True
            else:
                n = seen[sup.group(1)] = seen.get(sup.group(1), 0) + 1
                is_note = n >= leading.count(sup.group(1))
        b = _MD_BLOCK.match(line)
        heading = bool(b and "#" in b.group(0))
        if heading:
            close()
        i = b.end() if b else 0
        if cur:
            emit("\n", start - 1)
        for mm in _MD_INLINE.finditer(line, i):
            if mm.start() > i:
                emit(line[i:mm.start()], start + i)
            i = mm.end()
        if i < len(line):
            emit(line[i:], start + i)
        if heading:
            close(heading=True)
    close()
    return paras


def plain_text(source: str, markdown: bool = True) -> Plain:
    """The prose of a draft as one string, paragraphs apart by a blank line.

    Markdown markers (headings, emphasis, links, note markers) are dropped; fenced code
    and rules are left out. Notes (`<sup>N</sup> ...`, `[^N]: ...`) follow the body, their
    spans listed (a note may make a dated claim too), so a paragraph that a page of notes
    cut in two ("... the Changkufeng" / notes / "Incident or ...") reads as one again.
    """
    out: list[str] = []
    offs = array("I")
    notes: list[tuple[int, int]] = []
    paras = _paragraphs(source, markdown)
    last_end = 0
    cut = False  # the previous paragraph stopped mid-sentence
    for k, (_n, text, o, heading) in enumerate(p for p in paras if not p[0]):
        if k:
            if cut or text[:1].islower():  # a page break, not a new paragraph
                out.append(" ")
                offs.append(last_end)
            else:
                out.append("\n\n")
                offs.extend((last_end, last_end))
        out.append(text)
        offs.extend(o)
        last_end = o[-1] + 1 if o else last_end
        cut = not heading and text.rstrip()[-1:] not in ".!?:;\"”’')]*"
    for is_note, text, o, _h in paras:
        if is_note:
            out.append("\n\n")
            offs.extend((o[0], o[0]) if o else (0, 0))
            notes.append((len(offs), len(offs) + len(text)))
            out.append(text)
            offs.extend(o)
    return Plain("".join(out), offs, source, notes)


# Ends of sentences: . ! ? (and closing quotes or brackets) before a space and a capital,
# a digit or an opening quote; not after an initial ("V. Stalin", "U.S.") or an
# abbreviation.
_SENT_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9\u0400-\u04ff])|\n\n")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Dr|St|No|Vol|vol|pp?|ed|eds|cf|e\.g|i\.e|etc|ca|c|Gen|Lt|Col|"
    r"Adm|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.[\"”’')\]]*$")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, paragraph breaks always ending one."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group(0) != "\n\n" and _ABBREV.search(text, max(0, m.start() - 8), m.end()):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


# --------------------------------------------------------------------------- files

#: Word-processor files read through pandoc, as plain text.
PANDOC_SUFFIXES = (".docx", ".odt")
_PLAIN_SUFFIXES = (".txt", ".text")


class UnreadableDraft(Exception):
    """A draft that cannot be read; the message names the file and says why."""


def read_draft(name: str, stdin: bytes | None = None) -> tuple[str, bool]:
    """The text of a draft and whether to read it as Markdown.

    `name` is a path, or "-" for `stdin` (bytes, Markdown). .txt is plain text, .docx
    and .odt go through pandoc (`pandoc -t plain`), anything else is read as Markdown.
    """
    if name == "-":
        return _decode(stdin or b"", "<stdin>"), True
    suffix = os.path.splitext(name)[1].lower()
    if suffix in PANDOC_SUFFIXES:
        return _pandoc(name), False
    try:
        with open(name, "rb") as f:
            raw = f.read()
    except IsADirectoryError:
        raise UnreadableDraft(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableDraft(f"{name}: {exc.strerror or exc}") from None
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
    """A word-processor file as plain text, one paragraph a line, through pandoc."""
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
        done = subprocess.run([exe, "-t", "plain", "--wrap=none", "--", name],
                              capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UnreadableDraft(f"{name}: pandoc failed: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableDraft(f"{name}: pandoc could not read it"
                              + (f": {why[0]}" if why else ""))
    return _decode(done.stdout, name)
