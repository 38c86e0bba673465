"""Writes to the ledger that lose nothing: new records appended as text, checked, atomic.

The files are never re-serialised: every existing byte, comment and blank line stays, and
new `[[event]]`, `[[source]]` and `[[note]]` tables are appended in the file's own layout
(line endings, blank lines between records, aligned `=`). Before anything is written the
combined text is checked by the same validator `farchron check` uses; the write itself is
farchron.authoring.commit's: under the ledger's locks (one per real file), taken before
the files are re-read and held through the check, so concurrent writers all land and the
ledger stays valid; several files are written all or nothing. No click or rich here: the
command layer turns the exceptions into messages and exit codes.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from farchron.authoring.commit import (
    STAGED_SUFFIX,
    WriteError,
    atomic_write,
    commit,
    locked,
    recover,
    refuse_unwritable,
)
from farchron.errors import DataError, Problem
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE
from farchron.ledger.locate import vocabulary_table
from farchron.model.ids import ID_RE as ID_RE  # re-exported: ids are made and checked here
from farchron.model.ids import FreshIds as FreshIds
from farchron.model.ids import slugify as slugify
from farchron.model.ids import unique_id as unique_id

__all__ = ["STAGED_SUFFIX", "WriteError", "atomic_write", "commit", "locked", "recover",
           "refuse_unwritable"]

LOCK_FILE = ".farchron.lock"

#: An events.toml at least this big is checked by its new records alone (with the
#: validated, usually cached ledger for ids), so an `add` never re-parses 100k events.
FRAGMENT_CHECK_BYTES = 1 << 20

#: Test hook (farchron.settings.write_pause): seconds to sleep after the temp file is
#: written, before it replaces the ledger, so a test can SIGKILL a writer then.
PAUSE_ENV = "FARCHRON_TEST_WRITE_PAUSE"

#: Which file each kind of record lives in.
TABLE_FILE = {"event": EVENTS_FILE, "source": SOURCES_FILE, "note": SOURCES_FILE}



class Rejected(DataError):
    """The records to be added would not check: nothing was written (exit 2). Lines are
    those the records would have had in the combined file; `record_of` says which."""

    def __init__(self, problems: list[Problem],
                 origins: Sequence[tuple[str, int, int]] = ()) -> None:
        super().__init__(problems)
        self.origins = list(origins)  # (file, header line, index in the plan), sorted

    def record_of(self, p: Problem) -> int | None:
        """The index (in the plan) of the new record a problem is about, if it is one."""
        hit = None
        for file, line, index in self.origins:
            if file == p.file and p.line is not None and line <= p.line:
                hit = index
        return hit


# --------------------------------------------------------------------------- TOML text


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n",
            "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f]')
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped (C1 too,
    so no raw terminal control ends up in the file), every other character literal."""
    if _SURROGATE.search(value):
        raise ValueError("text holds a lone surrogate, which no TOML file can")
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def toml_key(key: str) -> str:
    """A bare key where TOML allows one, else a quoted one."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """One inline TOML value: string, integer, boolean, array, or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()
                          if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} to TOML")


class Style:
    """The layout of an existing file, so appended records look like their neighbours."""

    __slots__ = ("align", "gap", "newline")

    def __init__(self, newline: str = "\n", gap: int = 1, align: int = 0) -> None:
        self.newline = newline  # "\n" or "\r\n"
        self.gap = gap  # blank lines before each [[table]]
        self.align = align  # column of "=" when the file aligns them, else 0


_HEADER = re.compile(r"[ \t]*\[\[[ \t]*[\"']?([A-Za-z0-9_-]+)[\"']?[ \t]*\]\]")
#: A `[[table]]` header line, its name in group 1 (for finding one record's text).
TABLE_HEADER = _HEADER
_KEYLINE = re.compile(r"([ \t]*[A-Za-z0-9_\"'-]+?)([ \t]*)=")


def detect_style(text: str) -> Style:
    """Line endings, blank lines before a [[table]], and `=` alignment of the last record.

    Only the end of the file is read (the last two headers are enough): on a 100k-event
    ledger splitting the whole text into lines cost more than the rest of an `add`.
    """
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    window = 1 << 16
    while True:
        start = max(0, len(text) - window)
        cut = text.find("\n", start) + 1 if start else 0
        lines = text[cut:].split("\n")
        heads = [i for i, ln in enumerate(lines) if _HEADER.match(ln)]
        if len(heads) >= 2 or not start:
            break
        window *= 4
    return style_of_lines(newline, lines, heads)


def style_of_lines(newline: str, lines: list[str], heads: list[int]) -> Style:
    """detect_style's reading of the file's last lines (`heads`: the indexes of the
    `[[table]]` lines among them). With two heads or more, lines from any earlier line
    boundary give the style of the whole file: only the last record and the blank lines
    above it count (farchron.authoring.append reads a big file's tail alone)."""
    if not heads:
        return Style(newline)
    last = heads[-1]
    gap = 0
    i = last - 1
    while i >= 0 and not lines[i].strip():
        gap += 1
        i -= 1
    if len(heads) == 1 and (i < 0 or lines[i].lstrip().startswith("#")):
        # the first record of the file, or after a header comment: nothing to follow yet,
        # so the usual one blank line (a new part's second record was glued to its first)
        gap = max(gap, 1)
    columns = []
    for ln in lines[last + 1:]:
        if ln.strip().startswith("[") or not ln.strip():
            break
        m = _KEYLINE.match(ln)
        if m:
            columns.append((len(m.group(1)), len(m.group(2))))
    align = 0
    padded = [k + sp for k, sp in columns if sp > 1]
    if padded:  # someone padded keys to line up "=": follow the column they chose
        col = max(set(padded), key=padded.count)
        if sum(k + sp == col for k, sp in columns) > 1:
            align = col
    return Style(newline, min(gap, 3), align)


def is_table_header(line: str) -> bool:
    """Whether a line is a `[[table]]` header as detect_style reads them."""
    return _HEADER.match(line) is not None


def render_table(table: str, fields: Mapping[str, Any], style: Style | None = None) -> str:
    """One `[[table]]` with a `key = value` line per field (None and empty lists left out)."""
    style = style or Style()
    out = [f"[[{table}]]"]
    for key, value in fields.items():
        if value is None or (isinstance(value, (list, tuple)) and not value):
            continue
        k = toml_key(key)
        pad = " " * max(1, style.align - len(k)) if style.align else " "
        out.append(f"{k}{pad}= {toml_value(value)}")
    return style.newline.join(out) + style.newline


def append_text(text: str, table: str, records: Sequence[Mapping[str, Any]],
                style: Style | None = None) -> tuple[str, int]:
    """The file's text with the records appended, and the line where the first one starts.

    Nothing before the end is touched; a missing final newline is added.
    """
    text, firsts = append_records(text, table, records, style)
    return text, firsts[0] if firsts else 0


def append_records(text: str, table: str, records: Sequence[Mapping[str, Any]],
                   style: Style | None = None) -> tuple[str, list[int]]:
    """append_text, with the line of each record's [[table]] header (for messages)."""
    if not records:
        return text, []
    style = style or detect_style(text)
    nl = style.newline
    head = text
    if head and not head.endswith("\n"):
        head += nl
    parts: list[str] = []
    firsts: list[int] = []
    line = head.count("\n") + 1  # the line the next character starts
    trailing = trailing_blank_lines(head)
    for rec in records:
        gap = style.gap - trailing if not parts else style.gap
        if not head.strip() and not parts:
            gap = 0
        blank = nl * max(gap, 0)
        part = blank + render_table(table, rec, style)
        firsts.append(line + max(gap, 0))
        line += part.count("\n")
        parts.append(part)
    return head + "".join(parts), firsts


def trailing_blank_lines(text: str) -> int:
    """The blank lines a text ends with (they count towards the first appended record's
    gap); only its last 512 characters are read."""
    tail = text[-512:].split("\n")[:-1]
    trailing = 0
    while trailing < len(tail) and not tail[-1 - trailing].strip():
        trailing += 1
    return trailing


def appended_text(end: str, table: str, fields: Mapping[str, Any], style: Style) -> str:
    """What append_records adds for one record after a text that is not blank and ends
    with `end` (its last 512 characters, or more)."""
    nl = style.newline
    pre = "" if end.endswith("\n") else nl
    gap = style.gap - trailing_blank_lines(end + pre)
    return pre + nl * max(gap, 0) + render_table(table, fields, style)


def inserted_text(table: str, fields: Mapping[str, Any], style: Style) -> str:
    """What insert_records puts at a record's place for one record."""
    return render_table(table, fields, style) + style.newline * style.gap


def insert_records(text: str, table: str, records: Sequence[Mapping[str, Any]],
                   style: Style | None = None) -> tuple[str, list[int]]:
    """append_records, but each record at its place (farchron.authoring.order: events by
    date, works by id) instead of at the end, so additions to different parts of a shared
    file touch different lines and git merges them; the line of each record's header."""
    from farchron.authoring.order import insertion_offset, key_of_fields

    if not records:
        return text, []
    style = style or detect_style(text)
    placed: list[tuple[int, int]] = []  # (offset, index in records)
    last: list[int] = []
    for i, rec in enumerate(records):
        at = insertion_offset(text, table, rec)
        (last.append(i) if at is None else placed.append((at, i)))
    placed.sort(key=lambda p: (p[0], key_of_fields(table, records[p[1]]) or ()))
    out: list[str] = []
    firsts: dict[int, int] = {}
    pos, line = 0, 1
    for at, i in placed:
        line += text.count("\n", pos, at)
        out.append(text[pos:at])
        pos = at
        firsts[i] = line
        part = inserted_text(table, records[i], style)
        out.append(part)
        line += part.count("\n")
    out.append(text[pos:])
    new = "".join(out)
    new, ends = append_records(new, table, [records[i] for i in last], style)
    firsts.update(zip(last, ends, strict=True))
    return new, [firsts[i] for i in range(len(records))]


# --------------------------------------------------------------------------- ids


# --------------------------------------------------------------------------- writing
def _read_text(path: Path) -> str:
    from farchron.ledger.load import decode_text, read_raw

    if not path.exists():
        return ""
    return decode_text(read_raw(path), str(path))


def read_texts(data_dir: Path) -> dict[str, str]:
    """Both files' texts (a missing sources.toml is empty), then those of the parts they
    include, keyed by their paths in the folder ("chapters/1453.toml")."""
    data_dir = Path(data_dir)
    texts = {name: _read_text(data_dir / name) for name in (EVENTS_FILE, SOURCES_FILE)}
    for names in part_names(data_dir, texts).values():
        for rel in names:
            texts.setdefault(rel, _read_text(data_dir / rel))
    return texts


def part_names(data_dir: Path, texts: Mapping[str, str]) -> dict[str, list[str]]:
    """{main file: the parts its `include` names now} (the loader checks the patterns)."""
    from farchron.ledger import parts

    out: dict[str, list[str]] = {}
    for main in (EVENTS_FILE, SOURCES_FILE):
        patterns = parts.declared(texts.get(main, ""))
        out[main] = parts.matches(data_dir, patterns) if patterns else []
    return out


def _target(data_dir: Path, into: str | Path, texts: Mapping[str, str]) -> tuple[str, str]:
    """(main file, part) for `add --file PART`: the part's path in the folder, which must be
    one the main file's `include` names (an existing file, or a new one its pattern
    matches); else a WriteError saying what the includes are."""
    import os

    from farchron.ledger import parts

    path = Path(into)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(Path(data_dir).resolve())
        except ValueError:
            raise WriteError(f"{into}: not inside the ledger folder {data_dir}; name a part "
                             "by its path in the folder (chapters/1453.toml)") from None
    rel = path.as_posix()
    if rel in (EVENTS_FILE, SOURCES_FILE):
        return rel, rel
    found = part_names(data_dir, texts)
    for main in (EVENTS_FILE, SOURCES_FILE):
        if rel in found[main]:
            return main, rel
        for pattern in parts.declared(texts.get(main, "")) or []:
            if (".." not in path.parts and parts.names(rel, pattern)
                    and not os.path.isdir(Path(data_dir) / rel)):
                return main, rel  # a new part, made by this write
    said = "; ".join(f"{m} includes {parts.declared(texts.get(m, ''))}"
                     for m in (EVENTS_FILE, SOURCES_FILE) if parts.declared(texts.get(m, "")))
    raise WriteError(f"{rel}: not a part of the ledger in {data_dir} "
                     f"({said or 'neither file has an include'}); nothing written")


def collect_texts(texts: Mapping[str, str | bytes], errors_only: bool = True
                  ) -> list[Problem]:
    """Every problem the checker finds in these files ({path in the folder: text, or bytes
    as they are on disk}, written to a scratch folder), each named by its path in the
    folder; only the errors unless `errors_only` is False (only errors block a write, and
    10k "never cited" warnings cost 0.2 s to carry over)."""
    import os

    from farchron.ledger.load import collect

    with tempfile.TemporaryDirectory(prefix="farchron-check-") as tmp:
        for name, text in texts.items():
            try:
                if "/" in name:
                    Path(tmp, name).parent.mkdir(parents=True, exist_ok=True)
                if isinstance(text, bytes):
                    Path(tmp, name).write_bytes(text)
                else:
                    Path(tmp, name).write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                raise WriteError(f"{Path(tmp, name)}: cannot write the scratch copy the "
                                 f"check reads: {exc.strerror}; nothing written (TMPDIR "
                                 "names another folder)") from exc
        _, problems = collect(Path(tmp))
        # the caller puts each path back in the real folder; a message naming another
        # file of the scratch copy ("first used by the event at FILE:LINE", in a ledger
        # split into parts) names it by its path in the folder
        return [Problem(Path(os.path.relpath(p.file, tmp)).as_posix(), p.line, p.column,
                        p.code, p.message.replace(tmp + os.sep, ""), p.severity)
                for p in problems if not errors_only or p.severity == "error"]


def check_texts(data_dir: Path, texts: Mapping[str, str],
                appended: Mapping[str, int] | None = None,
                known_event_ids: Callable[[str], bool] | None = None) -> list[Problem]:
    """The errors `farchron check` would report for the ledger made of these texts.

    With `appended` ({file: offset where the appended text starts}) and a big events.toml,
    the events file is checked by its new records alone: the rest was valid when loaded
    (the caller holds a validated ledger), so only the new records, their citations
    (checked against the whole sources.toml) and their ids (against known_event_ids) can
    be wrong. Line numbers are those of the combined file either way.
    """
    use_fragment = (appended is not None and EVENTS_FILE in appended
                    and known_event_ids is not None
                    and len(texts.get(EVENTS_FILE, "")) >= FRAGMENT_CHECK_BYTES)
    scratch = dict(texts)
    offset = 0
    fragment = ""
    if use_fragment:
        assert appended is not None
        text, start = texts[EVENTS_FILE], appended[EVENTS_FILE]
        fragment = text[start:]
        offset = text.count("\n", 0, start)
        # The tag vocabulary applies to the new records too: check them under it.
        head = vocabulary_table(text, start)
        if head and not head.endswith("\n"):
            head += "\n"
        scratch[EVENTS_FILE] = head + fragment
        offset -= head.count("\n")
    problems = []
    for p in collect_texts(scratch):
        if p.severity != "error":
            continue
        line = p.line
        if use_fragment and p.file == EVENTS_FILE and line is not None:
            line += offset
        problems.append(Problem(str(data_dir / p.file), line, p.column, p.code, p.message))
    if use_fragment:
        assert known_event_ids is not None
        import tomli

        with contextlib.suppress(tomli.TOMLDecodeError):
            lines = fragment.split("\n")
            for rec in tomli.loads(fragment).get("event", []):
                eid = rec.get("id") if isinstance(rec, dict) else None
                if isinstance(eid, str) and known_event_ids(eid):
                    at = next((i for i, ln in enumerate(lines)
                               if re.match(r"\s*id\s*=\s*" + re.escape(toml_string(eid)), ln)),
                              0)
                    problems.append(Problem(str(data_dir / EVENTS_FILE), offset + at + 1, None,
                                            "duplicate-id", f"duplicate id '{eid}' (already in "
                                            "the ledger)"))
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return problems




class Snapshot:
    """The ledger as it is under the lock: file texts and the validated Ledger (or None
    for a ledger with no records yet... or one too broken to load). The texts are read
    when first asked for (`texts=None`): an `add` into a big ledger may never need them
    (farchron.authoring.append)."""

    __slots__ = ("_texts", "data_dir", "ledger")

    def __init__(self, data_dir: Path, texts: dict[str, str] | None, ledger: Any) -> None:
        self.data_dir = data_dir
        self._texts = texts
        self.ledger = ledger

    @property
    def texts(self) -> dict[str, str]:
        if self._texts is None:
            self._texts = read_texts(self.data_dir)
        return self._texts

    def event_ids(self) -> Callable[[str], bool]:
        """A membership test for the event ids already in the ledger (its own list: a
        cached ledger's ids are read from the store without decoding any event)."""

        from farchron.store.appends import id_test

        if self.ledger is None:
            return lambda eid: False
        return id_test(self.ledger.events)

    def source_ids(self) -> set[str]:
        return set(self.ledger.sources) if self.ledger is not None else set()


#: What a plan returns: (table, fields) pairs to append, in order.
Plan = list[tuple[str, dict[str, Any]]]


class Result:
    """What a write did (or, for a dry run, would do); `texts`, the files' texts after it,
    are read when asked for if the write did not hold them (an in-place add)."""

    __slots__ = ("_data_dir", "_texts", "added", "written")

    def __init__(self, added: Plan, texts: dict[str, str] | None, written: bool,
                 data_dir: Path | None = None) -> None:
        self.added = added
        self._texts = texts
        self._data_dir = data_dir
        self.written = written

    @property
    def texts(self) -> dict[str, str]:
        if self._texts is None:
            self._texts = read_texts(self._data_dir) if self._data_dir is not None else {}
        return self._texts


def _load_ledger(data_dir: Path) -> Any:
    from farchron.store.cache import load_cached

    return load_cached(data_dir)


def write_records(data_dir: Path, plan: Callable[[Snapshot], Plan],
                  dry_run: bool = False, into: str | Path | None = None,
                  rewrite: Callable[[Snapshot], dict[str, str]] | None = None,
                  add_in_place: Callable[[Path, Any, dict[str, Any]], bool] | None = None
                  ) -> Result:
    """Take the lock, read the ledger afresh, ask `plan` for the records to add (it picks
    ids against what is there now), append them as text, check, and write atomically.
    With `into` (a part of a ledger split by `include`), the records of that part's kind
    go there rather than into the main file. `rewrite`, if given, returns the texts with
    records changed in place (`import --update`), under the same lock and check.
    `add_in_place`, if given, may write a plan of one event itself
    (farchron.authoring.append: a big ledger is then neither read nor rewritten by
    Python); it returns False, having written nothing, for the full path.

    Raises DataError with every problem if the result would not check (nothing written),
    and WriteError if the folder cannot be locked or written.
    """
    data_dir = Path(data_dir)
    if not (data_dir / EVENTS_FILE).is_file():
        raise WriteError(f"{data_dir}: no {EVENTS_FILE} here (farchron init makes one)")
    with locked(data_dir) if not dry_run else contextlib.nullcontext():
        # One new event, written for real: perhaps without reading the files at all.
        in_place = add_in_place is not None and not dry_run and into is None \
            and rewrite is None
        snap = Snapshot(data_dir, None if in_place else read_texts(data_dir), None)
        home = dict(TABLE_FILE)  # which file each kind of record is written to
        if into is not None:
            main, part = _target(data_dir, into, snap.texts)
            snap.texts.setdefault(part, "")
            home.update({t: part for t, f in TABLE_FILE.items() if f == main})
        # DataError: an invalid ledger is not written to
        ledger = snap.ledger = _load_ledger(data_dir)
        base = rewrite(snap) if rewrite is not None else None  # first: plan may ask what it did
        records = plan(snap)
        if in_place and add_in_place is not None and len(records) == 1 and \
                records[0][0] == "event" and add_in_place(data_dir, ledger, records[0][1]):
            return Result(records, None, True, data_dir)
        texts = snap.texts
        base = texts if base is None else base
        if into is not None and any(home[t] == TABLE_FILE[t] != part for t, _ in records):
            kinds = sorted({t for t, _ in records if home[t] == TABLE_FILE[t]})
            raise WriteError(f"{part} is a part of {main}: it cannot hold "
                             f"[[{']], [['.join(kinds)}]] records; nothing written")
        new = dict(base)
        # The check reads the records appended (so a big events.toml is checked by its new
        # records alone, and messages name the same lines either way); what is written
        # has each record at its place in date (id) order.
        tail = dict(base)
        appended: dict[str, int] = {}
        origins: list[tuple[str, int, int]] = []  # (file, header line, index in records)
        for name in sorted(texts, key=lambda n: n != SOURCES_FILE):
            style = None
            for table in ("source", "note", "event"):
                picked = [(i, f) for i, (t, f) in enumerate(records)
                          if t == table and home[t] == name]
                if not picked:
                    continue
                appended.setdefault(name, len(tail[name]))
                style = style or detect_style(new[name])
                new[name], firsts = insert_records(new[name], table, [f for _, f in picked],
                                                   style)
                tail[name], firsts = append_records(tail[name], table,
                                                    [f for _, f in picked], style)
                origins += [(str(data_dir / name), line, i)
                            for line, (i, _) in zip(firsts, picked, strict=True)]
        if not records and base == texts:
            return Result(records, texts, False)
        if not dry_run:  # a read-only file or `ulimit -f`: said before any work, naming it
            changed = {data_dir / n: len(new[n].encode("utf-8")) for n in new
                       if new[n] != texts[n]}
            refuse_unwritable(changed, changed)
        errors = check_texts(data_dir, tail, appended, snap.event_ids())
        if errors:
            raise Rejected(errors, sorted(origins))
        new = {name: _placed_or_appended(new[name], tail[name]) for name in new}
        if dry_run:
            return Result(records, new, False)
        if into is not None and not (data_dir / part).exists():
            (data_dir / part).parent.mkdir(parents=True, exist_ok=True)
        commit(data_dir, [(data_dir / name, new[name].encode("utf-8"))
                          for name in sorted(new, key=lambda n: n != SOURCES_FILE)  # sources first
                          if new[name] != texts[name]
                          or (into is not None and name == part
                              and not (data_dir / name).exists())])
        return Result(records, new, True)


def _placed_or_appended(placed: str, appended: str) -> str:
    """The text with the new records in place, unless it would not read as the checked
    one did (a header-like line inside a string moved things): then the appended one.
    Files over FRAGMENT_CHECK_BYTES are trusted without the parse (it would cost more
    than the rest of the write)."""
    if placed == appended or len(placed) >= FRAGMENT_CHECK_BYTES:
        return placed
    import tomli

    try:
        same = tomli.loads(placed).keys() == tomli.loads(appended).keys()
    except tomli.TOMLDecodeError:
        return appended
    return placed if same else appended
