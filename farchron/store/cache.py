"""The cache of the validated ledger, as a verified memory-mapped store (farchron/store.py).

Why: a warm command should cost what it prints. The store keeps each event as its own
marshal row (decoded when printed), the events' bounds as two sorted int64 arrays (a
period is two bisects and one C-speed filter, no event decoded), the ids, and the
sources, notes and every problem `check` would report (warnings of a valid ledger), so
`check` on unchanged files, `stats` (a difference array over the bounds) and
`timeline` never parse TOML nor decode what they do not show.

Key: each data file's size, mtime, ctime, inode and device, plus a crc32 of its bytes
that is compared only when stat cannot be trusted (the file changed within seconds of
the cache being built): a warm run reads no data file. The size cap and the refusal of
what is not a regular file apply before either path reads a byte.

Trust: the folder and file must be the user's own and not writable by others, else the
cache is ignored (said once on stderr). Any damage (checksums, layout, shapes) raises
StoreError before the data is used; `open_ledger` then rebuilds with one stderr line.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import sys
import zlib
from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from farchron import __version__, files, settings
from farchron.errors import DataError, Problem
from farchron.ledger import parts
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE
from farchron.model.records import Citation, Event, Ledger, Note, citation_row, event_row
from farchron.settings import max_bytes
from farchron.store import sections as store
from farchron.store import works
from farchron.store.events import Events, check_row, day, ymd_of
from farchron.store.sections import StoreError

if TYPE_CHECKING:  # a warm run works with str paths: pathlib costs ~3 ms of start-up
    from pathlib import Path

T = TypeVar("T")
#: A ledger's folder: a warm run passes a str (pathlib costs ~3 ms of start-up).
Folder = str | os.PathLike[str]

__all__ = [
    "BIG",
    "Events",
    "cache_dir",
    "cached_index",
    "cached_sections",
    "check_row",
    "day",
    "disabled",
    "load_cached",
    "open_checked",
    "open_ledger",
    "recover",
    "say_once",
    "store_path",
    "ymd_of",
]

#: Bumped whenever the layout changes; the Event fields are part of the key too.
#: 4: main's event rows (calendar, date-as-printed, part-of, other-dates), notes'
#: date-as-printed, and the ev.partof section (show finds parts without decoding).
#: 5: the works as rows decoded one by one (store/works.py).
FORMAT = 5
_VERSION = ("farchron-ledger", FORMAT, __version__, tuple(sys.version_info[:2]),
            tuple(Event._fields))

#: Ledgers at least this big are worth a fast exit (freeing a million objects takes time).
BIG = 20_000

_SAID: set[str] = set()


def say_once(message: str) -> None:
    """One line on stderr, once per process: cache trouble never floods the terminal."""
    if message in _SAID:
        return
    _SAID.add(message)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"farchron: {message}\n")
        sys.stderr.flush()


def disabled() -> bool:
    """FARCHRON_NO_CACHE set to anything but '' or '0' turns the cache off."""
    return settings.no_cache()


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/farchron, or ~/.cache/farchron (XDG base directory spec)."""
    return settings.cache_home() / "farchron"


def cache_folder() -> str:
    """cache_dir() as a str (the warm path imports no pathlib)."""
    return os.path.join(settings.cache_base(), "farchron")


def store_path(root: str, kind: str = "ledger") -> Path:
    from pathlib import Path

    return Path(store_file(root, kind))


def store_file(root: str, kind: str = "ledger") -> str:
    """store_path() as a str."""
    name = f"{zlib.crc32(root.encode('utf-8', 'surrogatepass')):08x}"
    return os.path.join(cache_folder(), f"{name}.{kind}.store")


# --------------------------------------------------------------------------- building


def _sections(ledger: Ledger, problems: Sequence[Problem]) -> tuple[Any, dict[str, Any]]:
    w = store.RowsWriter()
    starts, ends = array("q"), array("q")
    ids, parts = [], []
    for e in ledger.events:
        w.add(event_row(e))
        starts.append(day(e.date.start))
        ends.append(day(e.date.end))
        ids.append(e.id)
        parts.append(e.part_of or "")
    sources = works.pack(ledger.sources.values())  # decoded one by one (store/works.py)
    notes = tuple((n.number, n.text, tuple(map(citation_row, n.citations)), n.date_as_printed)
                  for n in ledger.notes.values())
    probs = tuple((p.file, p.line, p.column, p.code, p.message, p.severity) for p in problems)
    warnings = tuple(i for i, p in enumerate(problems) if p.severity == "warning")
    body = (sources, notes, probs, warnings)
    sections = {"ev.starts": starts, "ev.ends": ends, "ev.ids": store.join_strings(ids),
                "ev.partof": store.join_strings(parts), **w.sections("ev"),
                "meta": __import__("marshal").dumps(body)}
    return len(ids), sections


def _restore_body(st: store.Store, n: int, data_dir: Folder) -> tuple[Ledger, list[Problem]]:
    import marshal

    try:
        sources, notes, probs, warnings = marshal.loads(st.section("meta"))
        srcs = works.Works(sources, st.path)
        nts = {n_[0]: Note(n_[0], n_[1], tuple(Citation(*c) for c in n_[2]), n_[3])
               for n_ in notes}
        for n_ in nts.values():
            if not (type(n_.number) is int and type(n_.text) is str
                    and type(n_.date_as_printed) is str):
                raise StoreError("a note of another shape")
        problems = [Problem(*p) for p in probs]
        warn = tuple(problems[i] for i in warnings)
        for p in problems:
            if not (type(p.file) is str and type(p.message) is str and type(p.code) is str
                    and p.severity in ("error", "warning")
                    and (p.line is None or type(p.line) is int)
                    and (p.column is None or type(p.column) is int)):
                raise StoreError("a problem of another shape")
    except StoreError:
        raise
    except Exception as exc:  # any shape that does not unpack: damage, not a bug
        raise StoreError(f"metadata of another shape ({type(exc).__name__})") from None
    events = Events(st, n)
    return Ledger(events, srcs, nts, data_dir, warn), problems  # type: ignore[arg-type]


# --------------------------------------------------------------------------- keys


def _data_files(root: str) -> list[str]:
    """Both files, then the parts each includes (in the loader's order): every file whose
    change must rebuild the store. A part added, removed or renamed changes the list,
    and a key of another length never matches."""
    mains = [os.path.join(root, EVENTS_FILE), os.path.join(root, SOURCES_FILE)]
    out = list(mains)
    for main in mains:
        patterns = parts.declared_in(main)
        if patterns:
            out += [os.path.join(root, rel) for rel in parts.matches(root, patterns)]
    return out


def _data_error(path: str, exc: files.DataFileError) -> DataError:
    return DataError([Problem(path, None, None, exc.code, exc.message)])


def _stats(root: str) -> list[Any]:
    """Stat both files with the size cap and file-type checks (DataError if refused)."""
    cap = max_bytes()
    out = []
    for p in _data_files(root):
        try:
            out.append(files.stat_capped(p, cap))
        except files.DataFileError as exc:
            raise _data_error(p, exc) from None
    return out


def _fingerprint(root: str) -> tuple[list[tuple[Any, ...]], list[Any]]:
    """(stat ids + crc32 of each file's bytes, the stats): read once, capped, for the key."""
    cap = max_bytes()
    key, sts = [], []
    for p in _data_files(root):
        try:
            raw, st = files.read_capped(p, cap)
        except files.DataFileError as exc:
            raise _data_error(p, exc) from None
        key.append((*files.file_id(st), zlib.crc32(raw)))
        sts.append(st)
    return key, sts


def _matches(meta: Any, root: str, sts: Sequence[Any], paths: list[str] | None = None
             ) -> bool:
    """Whether a store's metadata describes these files (a crc read only if racy)."""
    if not (type(meta) is tuple and len(meta) == 5 and meta[0] == _VERSION
            and meta[1] == root):
        return False
    recorded, built_ns = meta[2], meta[3]
    if not (type(recorded) is tuple and len(recorded) == len(sts) and type(built_ns) is int):
        return False
    cap = max_bytes()
    paths = paths or _data_files(root)
    if len(paths) != len(sts):  # a part came or went since the stat
        return False
    for path, st, f in zip(paths, sts, recorded, strict=True):
        if type(f) is not tuple or len(f) != 6 or f[:5] != files.file_id(st):
            return False
        if files.racy(st, built_ns):
            try:
                crc, st2 = files.crc_capped(path, cap)
            except files.DataFileError as exc:
                raise _data_error(path, exc) from None
            if files.file_id(st2) != f[:5] or crc != f[5]:
                return False
    return True


# --------------------------------------------------------------------------- entry points


def _usable_folder() -> str | None:
    """The cache folder if it may be trusted (created 0700 if missing), else None."""
    folder = cache_folder()
    reason = files.unsafe_reason(folder, folder=True)
    if reason is None and not os.path.exists(folder):
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        except OSError:
            return None
        reason = files.unsafe_reason(folder, folder=True)
    if reason == "writable by group or others" and os.stat(folder).st_uid == os.geteuid():
        # ours but loose: tighten it; each file in it is still checked on its own
        say_once(f"the cache folder {folder} was {reason}; made it private (0700)")
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return None
        reason = files.unsafe_reason(folder, folder=True)
    if reason is not None:
        say_once(f"not using the cache in {folder}: {reason}")
        return None
    with contextlib.suppress(OSError):
        if stat.S_IMODE(os.stat(folder).st_mode) & 0o077:
            os.chmod(folder, 0o700)  # readable by others: the ledger is private data
    return folder


def _open(path: str, root: str, sts: Sequence[Any], data_dir: Folder
          ) -> tuple[Ledger, list[Problem]] | None:
    """The cached ledger if the store at `path` is sound and matches, else None."""
    reason = files.unsafe_reason(path, folder=False)
    if reason is not None:
        say_once(f"not using the cache file {path}: {reason}")
        try:
            if os.lstat(path).st_uid == os.geteuid():
                os.unlink(path)  # ours but loose: rebuilt below
                return None
        except OSError:
            pass
        raise PermissionError(reason)
    try:
        st = store.Store(path)
    except FileNotFoundError:
        return None
    except (StoreError, OSError, ValueError) as exc:
        say_once(f"the cache file {path} was damaged ({exc}); rebuilding it")
        return None
    try:
        if not (type(st.meta) is tuple and len(st.meta) == 5 and type(st.meta[4]) is int
                and st.meta[4] >= 0):
            return None  # another layout: rebuilt silently
        if not _matches(st.meta, root, sts):
            return _extend(st, root, sts, data_dir, path)
        return _restore_body(st, st.meta[4], data_dir)
    except StoreError as exc:
        say_once(f"the cache file {path} was damaged ({exc}); rebuilding it")
        return None


def _extend(st: store.Store, root: str, sts: Sequence[Any], data_dir: Folder, path: str
            ) -> tuple[Ledger, list[Problem]] | None:
    """The store extended by records appended to events.toml (`add`, `import`), or None
    for a full rebuild.

    Only when sources.toml is unchanged, events.toml only grew (in place, or replaced
    atomically as `add` does), its first old-size bytes still have the old crc32, and
    the old part ends a line: then
    the tail alone is parsed and checked (ids unique against the cached ids by the
    fast-path check the loader uses, then appendcheck.tail_clean: citations and
    other-dates against the cached sources and notes, part-of against the cached wholes,
    the Old Style warning, the [vocabulary]).
    Anything unclean in the tail — even a warning — goes the long way, so every message
    and line number is the full parse's. Old rows are copied as bytes, not decoded.
    """
    import marshal
    import time

    meta = st.meta
    if not (meta[0] == _VERSION and meta[1] == root and type(meta[2]) is tuple
            and len(meta[2]) == 2 and type(meta[3]) is int):
        return None
    (ev_old, src_old), built_ns = meta[2], meta[3]
    if not (type(ev_old) is tuple and len(ev_old) == 6 and type(src_old) is tuple):
        return None
    if len(sts) != 2:  # a ledger in parts (or one that just gained some): rebuilt
        return None
    ev_path, src_path = _data_files(root)[:2]
    ev_st = sts[0]
    old_size = ev_old[0]
    if not (_matches((*meta[:2], (src_old,), built_ns, meta[4]), root, sts[1:],
                     paths=[src_path])
            and ev_st.st_size > old_size > 0):  # replaced atomically by `add`: a new inode
        return None
    try:
        raw, ev_st2 = files.read_capped(ev_path, max_bytes())
    except files.DataFileError as exc:
        raise _data_error(ev_path, exc) from None
    view = memoryview(raw)
    if (len(raw) <= old_size or zlib.crc32(view[:old_size]) != ev_old[5]
            or raw[old_size - 1] != 0x0A):
        return None
    try:
        import tomli

        doc = tomli.loads(str(view[old_size:], "utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8 or TOML: the full parse words it
        return None
    records = doc.get("event", [])
    if doc.keys() - {"event"} or type(records) is not list:
        return None
    from farchron.ledger.check import valid_event

    n = meta[4]
    old = Events(st, n)
    ids = old.ids()
    seen = dict.fromkeys(ids, 0)
    memo: dict[tuple[Any, ...], Citation] = {}
    new = []
    for rec in records:
        ev = valid_event(rec, seen, memo) if type(rec) is dict else None
        if ev is None:  # what the fast path refuses: the full parse words it
            return None
        seen[ev.id] = 0
        new.append(ev)
    ledger, problems = _restore_body(st, n, data_dir)
    from farchron.store.appends import tail_clean

    cited = tail_clean(new, seen, old, ledger, raw, old_size, str(view[old_size:], "utf-8"),
                       ev_path)
    if cited is None:
        return None
    problems = [p for p in problems if not (p.code == "unused-source" and p.message in cited)]
    # Merge in ledger order (start, end, id), copying the old rows as they are.
    new.sort(key=lambda e: e.sort_key)
    keys = [(day(e.date.start), day(e.date.end), e.id) for e in new]
    starts, ends = old.bounds()
    w = store.RowsWriter()
    s_out, e_out = array("q"), array("q")
    out_ids: list[str] = []
    old_parts, out_parts = old.parts(), []
    j = 0
    for i in range(n):
        here = (starts[i], ends[i], ids[i])
        while j < len(new) and keys[j] < here:
            w.add(event_row(new[j]))
            s_out.append(keys[j][0])
            e_out.append(keys[j][1])
            out_ids.append(keys[j][2])
            out_parts.append(new[j].part_of or "")
            j += 1
        w.add_raw(*old.raw_row(i))
        s_out.append(here[0])
        e_out.append(here[1])
        out_ids.append(here[2])
        out_parts.append(old_parts[i])
    for k in range(j, len(new)):
        w.add(event_row(new[k]))
        s_out.append(keys[k][0])
        e_out.append(keys[k][1])
        out_ids.append(keys[k][2])
        out_parts.append(new[k].part_of or "")
    sources, notes, _probs, _warnings = marshal.loads(st.section("meta"))
    probs = tuple((p.file, p.line, p.column, p.code, p.message, p.severity) for p in problems)
    body = (sources, notes, probs,
            tuple(i for i, p in enumerate(problems) if p.severity == "warning"))
    key = ((*files.file_id(ev_st2), zlib.crc32(view[old_size:], ev_old[5])), src_old)
    del view
    new_meta = (_VERSION, root, key, time.time_ns(), len(out_ids))
    try:
        store.write(path, new_meta, {"ev.starts": s_out, "ev.ends": e_out,
                                     "ev.ids": store.join_strings(out_ids),
                                     "ev.partof": store.join_strings(out_parts),
                                     **w.sections("ev"), "meta": marshal.dumps(body)})
        with contextlib.suppress(OSError):
            os.unlink(_with_suffix(path, ".search"))  # its positions moved
        return _restore_body(store.Store(path), len(out_ids), data_dir)
    except OSError:
        return None


def current_store(ledger: Ledger, data_dir: Folder) -> tuple[store.Store, tuple[Any, ...]] | None:
    """The store a ledger of the two files alone (no parts) was read from, and the key it
    holds for events.toml (size, mtime, ctime, inode, device, crc32), if the files still
    have the stat it recorded; else None. For a writer under the ledger's lock, right
    after load_cached opened (and verified) or built that store."""
    events = ledger.events
    if not isinstance(events, Events):
        return None
    st = events.store
    meta = st.meta
    root = os.path.realpath(data_dir)
    if not (type(meta) is tuple and len(meta) == 5 and meta[0] == _VERSION
            and meta[1] == root and type(meta[2]) is tuple and len(meta[2]) == 2
            and type(meta[4]) is int and meta[4] == len(events)):
        return None
    try:
        sts = _stats(root)
    except DataError:
        return None
    if len(sts) != 2 or any(type(f) is not tuple or len(f) != 6 or f[:5] != files.file_id(s)
                            for f, s in zip(meta[2], sts, strict=True)):
        return None
    return st, meta[2][0]


def _build(data_dir: Folder, root: str, path: str | None,
           collect: Callable[[Any], tuple[Ledger | None, list[Problem]]]
           ) -> tuple[Ledger | None, list[Problem]]:
    """Parse, validate, and (for a ledger without errors) write the store."""
    import time

    key_before, _ = _fingerprint(root)
    built_ns = time.time_ns()
    ledger, problems = _gc_quiet(collect, data_dir)
    if ledger is None or path is None or any(p.severity == "error" for p in problems):
        return ledger, problems
    try:
        key_after, _ = _fingerprint(root)
    except DataError:
        return ledger, problems
    if key_after != key_before:  # changed while we parsed: the key would not fit
        return ledger, problems
    n, sections = _sections(ledger, problems)
    meta = (_VERSION, root, tuple(key_before), built_ns, n)
    del ledger  # the Event objects go before the file's bytes are written
    try:
        store.write(path, meta, sections)
        del sections
        st = store.Store(path)
        return _restore_body(st, n, data_dir)
    except (OSError, StoreError, ValueError):
        return _gc_quiet(collect, data_dir)


def recover(exc: StoreError) -> None:
    """After damage found mid-command: say so once and remove the store (and its search
    index), so the command's second try rebuilds it. Without a path: the cache is off
    for the rest of this process."""
    path = getattr(exc, "path", None)
    say_once(f"the cache file {path} was damaged ({exc}); rebuilding it")
    if path is None:
        settings.cache_off()
        return
    for p in (path, _with_suffix(path, ".search")):
        with contextlib.suppress(OSError):
            os.unlink(p)


def _with_suffix(path: str | os.PathLike[str], suffix: str) -> str:
    """Path(path).with_suffix(suffix) as a str, without importing pathlib."""
    return os.path.splitext(os.fspath(path))[0] + suffix


def _default_collect(data_dir: Folder) -> tuple[Ledger | None, list[Problem]]:
    from pathlib import Path

    from farchron.ledger.load import collect

    return collect(Path(data_dir))  # a warm run's folder is a str


def load_cached(data_dir: Folder, use_cache: bool = True) -> Ledger:
    """The validated ledger (cached when possible), or a DataError (the old name)."""
    return open_ledger(data_dir, use_cache)


def open_checked(data_dir: Folder, use_cache: bool = True,
                 collect: Callable[[Any], tuple[Ledger | None, list[Problem]]] | None = None,
                 ) -> tuple[Ledger | None, list[Problem]]:
    """The ledger and every problem `check` reports: from the cache when it matches.

    Never raises for bad data (like ledger.collect) except a DataError for a data file
    that must not be read at all (not a regular file, over the cap).
    """
    collect = collect or _default_collect
    root = os.path.realpath(data_dir)
    if not use_cache or disabled():
        return _gc_quiet(collect, data_dir)
    sts = _stats(root)
    folder = _usable_folder()
    if folder is None:
        return _gc_quiet(collect, data_dir)
    path = store_file(root)
    try:
        got = _gc_quiet(_open, path, root, sts, data_dir)
    except PermissionError:
        return _gc_quiet(collect, data_dir)
    if got is not None:
        return got
    return _build(data_dir, root, path, collect)


def open_ledger(data_dir: Folder, use_cache: bool = True,
                collect: Callable[[Any], tuple[Ledger | None, list[Problem]]] | None = None,
                ) -> Ledger:
    """The validated ledger (cached when possible), or a DataError listing the errors."""
    ledger, problems = open_checked(data_dir, use_cache, collect)
    errors = [p for p in problems if p.severity == "error"]
    if errors or ledger is None:
        raise DataError(errors or problems)
    return ledger


def _gc_quiet(fn: Callable[..., Any], *args: Any) -> Any:
    """Run fn with the cyclic GC paused (building many acyclic objects triggers it for
    nothing); what was built is then frozen, so later collections skip it."""
    was = gc.isenabled()
    gc.disable()
    try:
        out = fn(*args)
    finally:
        if was:
            gc.enable()
    led = out[0] if isinstance(out, tuple) else out
    if len(getattr(led, "events", ())) >= BIG:
        # Frozen objects are never collected: only for a big ledger in a one-shot run
        # (a library caller or a test loading many small ledgers must get them back).
        gc.freeze()
    return out


# --------------------------------------------------------------------------- search index


def cached_sections(ledger: Ledger, name: str, suffix: str, what: str, build: Callable[[], T],
                    encode: Callable[[T], Mapping[str, Any]],
                    decode: Callable[[store.Store, Events], T]) -> T:
    """A structure derived from the ledger, kept as verified sections of a store beside
    the ledger's own (the file's `suffix`), rebuilt whenever the ledger's files change;
    `what` names it in the message about a damaged one.

    `encode` gives the sections to write; `decode` reads them back from the mapped
    store (raising ValueError, TypeError or EOFError for data that does not fit). So a warm run
    maps flat arrays instead of unmarshalling lists, and the cache need not know what
    the structure is (search's index lives in query/search.py, above the store).
    """
    events = ledger.events
    if disabled() or not isinstance(events, Events):
        return build()
    ledger_store = events.store
    ident = (_VERSION, name, ledger_store.path, ledger_store.meta)
    path = _with_suffix(ledger_store.path, f".{suffix}")
    if files.unsafe_reason(path, folder=False) is None:
        try:
            st = store.Store(path)
            if st.meta == ident:
                try:
                    return decode(st, events)
                except (ValueError, TypeError, EOFError) as exc:  # EOFError: marshal
                    raise StoreError(str(exc)) from None
        except FileNotFoundError:
            pass
        except (StoreError, OSError, ValueError) as exc:
            say_once(f"the {what} {path} was damaged ({exc}); rebuilding it")
    value = build()
    with contextlib.suppress(OSError, ValueError):
        store.write(path, ident, encode(value))
    return value


def cached_index(ledger: Ledger, name: str, build: Callable[[Ledger], Any]) -> Any:
    """A derived structure (plain marshal data: tuples, lists, dicts, str, int, float,
    bytes) cached beside the ledger's store, verified like it, rebuilt whenever the
    ledger's files change. `name` tells structures apart (and their layouts: bump it)."""
    import marshal

    return cached_sections(ledger, name, name, f"cached {name}", lambda: build(ledger),
                           lambda value: {"value": marshal.dumps(value)},
                           lambda st, _events: marshal.loads(st.section("value")))
