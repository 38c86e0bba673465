"""`farchron edit` below the command line: one record copied out, edited, and put back.

The copy holds the record alone (under a short comment); the edited record replaces that
record in the file as it is when the edit is installed, under the lock, and only if the
whole ledger still checks. Nothing else in the file ever comes from the copy.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from farchron.authoring import writer as ledgerwrite
from farchron.authoring.commit import WriteError, commit, locked
from farchron.errors import FarchronError, Problem, UsageError

EVENTS_FILE = ledgerwrite.EVENTS_FILE
SOURCES_FILE = ledgerwrite.SOURCES_FILE


#: A table header line: `[[event]]`, `[vocabulary]` (bare keys, as farchron and people write them).
_ANY_HEADER = re.compile(r"[ \t]*\[\[?[ \t]*[A-Za-z0-9_.-]+[ \t]*\]\]?[ \t]*(?:#.*)?\r?\Z")


class Span:
    """Where one record sits in a file's text: [start, end) in characters, the line of its
    header (1-based) and its table name. From the header through its last key line: blank
    lines and comments after it belong to what follows."""

    __slots__ = ("end", "line", "start", "table")

    def __init__(self, start: int, end: int, line: int, table: str) -> None:
        self.start, self.end, self.line, self.table = start, end, line, table


def record_span(text: str, table_names: Sequence[str], key: str, value: str | int) -> Span | None:
    """The record of one of `table_names` whose `key` is `value` (id = "x", number = 3),
    found by a text scan that skips multi-line strings; None if there is none."""
    if isinstance(value, int):
        want = re.compile(r"[ \t]*" + key + r"[ \t]*=[ \t]*" + str(value) + r"[ \t]*(?:#.*)?\r?\Z")
    else:
        want = re.compile(r"[ \t]*(?:" + key + r"|\"" + key + r"\")[ \t]*=[ \t]*([\"'])"
                          + re.escape(value) + r"\1[ \t]*(?:#.*)?\r?\Z")
    lines = text.split("\n")
    offsets = []
    pos = 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    headers: list[int] = []  # line indexes of table headers outside multi-line strings
    hit: int | None = None
    delim = ""
    for i, ln in enumerate(lines):
        if not delim:
            if _ANY_HEADER.match(ln):
                headers.append(i)
            elif hit is None and want.match(ln):
                hit = i
        for m in re.finditer(r'"""|\'\'\'', ln):
            if not delim:
                delim = m.group(0)
            elif m.group(0) == delim:
                delim = ""
    if hit is None:
        return None
    above = [h for h in headers if h < hit]
    if not above:
        return None
    head = above[-1]
    found = ledgerwrite.TABLE_HEADER.match(lines[head])
    if not found or found.group(1) not in table_names:
        return None
    after = [h for h in headers if h > hit]
    last = (after[0] if after else len(lines)) - 1
    while last > hit and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    end = min(offsets[last] + len(lines[last]) + 1, len(text))
    return Span(offsets[head], end, head + 1, found.group(1))


def replace_span(text: str, span: Span, record: str) -> str:
    """The text with the record at `span` replaced by `record` (in the file's line endings),
    or removed (with the blank lines after it) when `record` is empty."""
    nl = "\r\n" if "\r\n" in text[:4096] else "\n"
    body = record.replace("\r\n", "\n").strip("\n")
    if not body.strip():
        return text[:span.start] + text[span.end:].lstrip("\r\n")
    body = body.replace("\n", nl) + nl
    tail = text[span.end:]
    if span.end == len(text) and not text.endswith("\n"):
        body = body[:-len(nl)]
    return text[:span.start] + body + tail


def other_file(name: str) -> str:
    return SOURCES_FILE if name == EVENTS_FILE else EVENTS_FILE


def kind_of(data_dir: Path, name: str) -> str:
    """EVENTS_FILE or SOURCES_FILE: the main file `name` is (or is a part of)."""
    from farchron.ledger.parts import ledger_files

    for main, names in ledger_files(data_dir).items():
        if name in names:
            return main
    return name


def locate(data_dir: Path, record_id: str) -> tuple[str, int]:
    """(file name, line) of the record with this id: an event, a work, or `note:N`; in a
    ledger split by `include`, the name is the part's path in the folder."""
    from farchron.ledger.parts import ledger_files

    m = re.fullmatch(r"(?:note:)?(\d+)", record_id)
    sides = ledger_files(data_dir)
    if m:
        pat = re.compile(r"\s*number\s*=\s*" + m.group(1) + r"\s*(#.*)?$")
        files = sides[SOURCES_FILE]
    else:
        pat = re.compile(r"\s*id\s*=\s*([\"'])" + re.escape(record_id) + r"\1\s*(#.*)?$")
        files = sides[EVENTS_FILE] + sides[SOURCES_FILE]
    for name in files:
        path = data_dir / name
        if not path.is_file():
            continue
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                if pat.match(line):
                    return name, n
    raise FarchronError(f"no event, work or note '{record_id}' in {data_dir}")


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi: split as a shell would ("code --wait")."""
    from farchron import settings

    return shlex.split(settings.editor())


#: The top of every edit copy; what follows it is the record, and only the record is
#: ever written back (the rest of the file is never rewritten from the copy).
COPY_HEADER = """\
# farchron edit: {what}, one record of {path}
# Save and quit to put it back; it is installed only if the whole ledger still checks.
# Quit without saving, or empty this file, to change nothing.

"""


class EditConflict(FarchronError):
    """The record changed in the ledger while it was being edited (someone else wrote it):
    nothing was written. `current` is the record as it is now (None: it is gone)."""

    exit_code = 1

    def __init__(self, message: str, current: str | None) -> None:
        super().__init__(message)
        self.current = current


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "?"


class EditSession:
    """One `farchron edit`: the record alone, copied (under a short comment) to a temp
    file and opened in the editor; the edited record replaces that record in the file as
    it is when the edit is installed (other writes meanwhile are kept), and only if the
    whole ledger still checks. An emptied or deleted copy changes nothing, unless
    install(delete=True) is asked for."""

    def __init__(self, data_dir: Path, record_id: str) -> None:
        from farchron.files import writable_reason

        self.data_dir = Path(data_dir)
        self.record_id = record_id
        self.name, _ = locate(self.data_dir, record_id)
        m = re.fullmatch(r"(?:note:)?(\d+)", record_id)
        self._key: tuple[tuple[str, ...], str, str | int] = (
            (("note",), "number", int(m.group(1))) if m else
            (("event",) if kind_of(self.data_dir, self.name) == EVENTS_FILE else ("source",),
             "id", record_id))
        path = self.data_dir / self.name
        why = writable_reason(path)
        if why:
            raise WriteError(f"{path}: {why}; not opened for editing")
        text = ledgerwrite.read_texts(self.data_dir)[self.name]
        span = record_span(text, *self._key)
        if span is None:
            raise FarchronError(f"{path}: cannot tell where '{record_id}' starts and ends "
                                "(a table header in an unusual form?); edit the file by hand")
        self.base = text[span.start:span.end]  # the record as the copy started from
        self.original = self.base
        self.header = COPY_HEADER.format(what=_one_line(record_id), path=_one_line(str(path)))
        fd, tmp = tempfile.mkstemp(prefix=f"farchron-edit-{Path(self.name).stem}-",
                                   suffix=".toml")
        self.copy = Path(tmp)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(self.header + self.base.replace("\r\n", "\n"))
        except OSError as exc:
            self.discard()
            raise WriteError(f"{tmp}: cannot write the copy to edit: "
                                         f"{exc.strerror}") from exc
        self.line = self._record_line()

    def _record_line(self) -> int:
        """The copy's line of the record's id (or number): where the editor opens."""
        lines = self.copy.read_text(encoding="utf-8").split("\n")
        top = self.header.count("\n")
        key = re.compile(r"\s*" + self._key[1] + r"\s*=")
        at = next((i for i in range(top, len(lines)) if key.match(lines[i])), top)
        return at + 1

    def run_editor(self, run: Callable[[list[str]], int] | None = None) -> int:
        argv = [*editor_command(), f"+{self.line}", str(self.copy)]
        if run is not None:
            return run(argv)
        try:
            return subprocess.call(argv)
        except OSError as exc:
            self.discard()  # nothing was edited: no copy left behind
            raise UsageError(f"cannot run the editor {argv[0]!r}: {exc.strerror} "
                             "(set $VISUAL or $EDITOR); the ledger is unchanged") from None

    def edited(self) -> str | None:
        """The record as the copy now holds it (our comment at the top left out), or None
        when the editor removed the copy."""
        try:
            text = self.copy.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as exc:
            raise UsageError(f"{self.copy}: not UTF-8 (byte {exc.start}); the ledger is "
                             "unchanged") from None
        return text[len(self.header):] if text.startswith(self.header) else text

    def emptied(self) -> bool:
        """Whether the copy is gone, or holds nothing but comments and blank lines."""
        body = self.edited()
        return body is None or all(not ln.strip() or ln.lstrip().startswith("#")
                                   for ln in body.split("\n"))

    def changed(self) -> bool:
        body = self.edited()
        return body is None or body.strip() != self.base.replace("\r\n", "\n").strip()

    def _first_copy_line(self) -> int:
        """The copy's line where the record's text starts."""
        text = self.copy.read_text(encoding="utf-8") if self.copy.exists() else ""
        skip = len(self.header) if text.startswith(self.header) else 0
        rest = text[skip:]
        lead = len(rest) - len(rest.lstrip("\r\n"))
        return text.count("\n", 0, skip + lead) + 1

    def _attempt(self, texts: dict[str, str], delete: bool
                 ) -> tuple[dict[str, str], list[Problem]]:
        """The new texts with the edit applied to `texts`, and the problems (lines of the
        record mapped to the copy). EditConflict if the record changed under us."""
        path = self.data_dir / self.name
        text = texts[self.name]
        span = record_span(text, *self._key)
        if span is None:
            raise EditConflict(f"{path}: '{self.record_id}' was removed while you were "
                               "editing it; the ledger is unchanged", None)
        if text[span.start:span.end] != self.base:
            raise EditConflict(f"{path}: '{self.record_id}' was changed while you were "
                               "editing it; the ledger is unchanged",
                               text[span.start:span.end])
        body = "" if delete else (self.edited() or "")
        problems: list[Problem] = []
        first = self._first_copy_line()
        if body.strip():
            problems += self._shape(body, span.table, first)
        new_text = replace_span(text, span, body)
        new = dict(texts)
        new[self.name] = new_text
        if problems:
            return new, problems
        body_lines = (new_text.count("\n", 0, len(new_text) - len(text[span.end:]))
                      - text.count("\n", 0, span.start))
        old_lines = text.count("\n", span.start, span.end)
        shown = str(path)
        for p in ledgerwrite.check_texts(self.data_dir, new):
            line = p.line
            if p.file == shown and line is not None and not delete:
                if span.line <= line < span.line + body_lines:
                    problems.append(Problem(str(self.copy), line - span.line + first,
                                            p.column, p.code, p.message))
                    continue
                if line >= span.line + body_lines:
                    line -= body_lines - old_lines
            problems.append(Problem(p.file, line, p.column, p.code, p.message))
        return new, problems

    def _shape(self, body: str, table: str, first: int) -> list[Problem]:
        """The copy must hold the one record being edited: a second table, or another kind
        of table, is refused (`add` adds records)."""
        import tomli

        try:
            doc = tomli.loads(body)
        except tomli.TOMLDecodeError:
            return []  # the check reports it, at its line
        found = {k: (len(v) if isinstance(v, list) else 1) for k, v in doc.items()}
        if found == {table: 1}:
            return []
        what = ", ".join(f"{n} [[{k}]]" if isinstance(doc[k], list) else f"key '{k}'"
                         for k, n in found.items()) or "nothing"
        return [Problem(str(self.copy), first, None, "one-record",
                        f"the copy must hold one [[{table}]] table, the record being edited; "
                        f"it holds {what} (`farchron add` adds new records)")]

    def problems(self, delete: bool = False) -> list[Problem]:
        """The errors of the ledger with the edit applied to the files as they are now
        (lines of the record are the copy's)."""
        return self._attempt(ledgerwrite.read_texts(self.data_dir), delete)[1]

    def install(self, delete: bool = False) -> None:
        """Under the ledger's lock, for the whole cycle: read both files afresh, put the
        edited record (or, with delete, nothing) where the record is now, check the whole
        ledger, write the one file. Rejected (nothing written) with the problems;
        EditConflict if the record itself changed meanwhile. The copy is removed once
        the record is written."""
        with locked(self.data_dir):
            texts = ledgerwrite.read_texts(self.data_dir)
            new, problems = self._attempt(texts, delete)
            if problems:
                raise ledgerwrite.Rejected(problems)
            commit(self.data_dir, [(self.data_dir / self.name,
                                                new[self.name].encode("utf-8"))])
        self.discard()

    def rebase(self, current: str) -> None:
        """After a conflict: the user's text stays in the copy, under the record as it is
        now in the ledger (as comments), and the next install starts from that version."""
        body = self.edited() or ""
        lines = current.replace("\r\n", "\n").rstrip("\n").split("\n")
        shown = "".join(f"#   {ln}\n" for ln in lines)
        self.header = (COPY_HEADER.format(what=_one_line(self.record_id),
                                          path=_one_line(str(self.data_dir / self.name)))
                       + "# While you were editing, someone else changed this record. It is now:\n"
                       + shown + "# Your version is below: bring in what you want to keep.\n\n")
        self.base = current
        self.copy.write_text(self.header + body.lstrip("\n"), encoding="utf-8")
        self.line = self._record_line()

    def discard(self) -> None:
        self.copy.unlink(missing_ok=True)
