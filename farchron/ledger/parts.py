"""A ledger split into parts: `include = ["chapters/*.toml"]` at the top of events.toml (or
sources.toml) names more files of the same kind, read after the main file in sorted glob
order, checked as one file (ids unique across all of them) with every FILE:LINE in the part
it is about.

Kept simple on purpose: parts live inside the ledger folder, may not include in turn, and
a pattern that matches nothing is an error (a typo would otherwise hide a chapter).
The loader's side (PartsLocator) is in locate.py; this module is light, since the cache
reads the parts' names from the main files' heads on every warm run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from farchron.errors import Problem

if TYPE_CHECKING:  # the cache imports this module on every warm run: no validation chain
    from pathlib import Path  # nor pathlib (~3 ms), nor glob unless a ledger has parts

    from farchron.ledger.locate import Locator

INCLUDE = "include"

#: `include = [ "...", '...' ]` (one line or several, comments allowed) at the top level.
#: (compiled on first use, by re's own cache: a head without the word needs neither)
_INCLUDE = (
    r"""^[ \t]*(?:include|"include"|'include')[ \t]*=[ \t]*\[((?:[^\]"'#]|"[^"\n]*"|'[^'\n]*'"""
    r"""|\#[^\n]*)*)\]""")
_TOKEN = r""""((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|\#[^\n]*"""
_HEAD_STEP = 1 << 16


def head(data: str | bytes) -> str:
    """The text before the first table header: the only place a top-level key can be."""
    if isinstance(data, bytes):
        data = data[: _end_of_head(data)].decode("utf-8", errors="replace")
    else:
        data = data[: _end_of_head(data)]
    return data


def _end_of_head(data: Any) -> int:
    nl: Any = "\n[" if isinstance(data, str) else b"\n["
    if data[:1] in ("[", b"["):
        return 0
    at = data.find(nl)
    return len(data) if at < 0 else at + 1


def declared(data: str | bytes) -> list[str] | None:
    """The patterns of a file's `include`, read from its text without a TOML parse (the
    cache's key is made from them on every warm run); None if it has no `include`.

    The loader compares this with tomli's reading and calls any difference an error, so
    the two cannot disagree about which files make up the ledger."""
    text = head(data)
    m = re.search(_INCLUDE, text, re.M) if INCLUDE in text else None
    if m is None:
        return None
    out = []
    for tok in re.finditer(_TOKEN, m.group(1)):
        if tok.group(1) is not None:
            out.append(tok.group(1))
        elif tok.group(2) is not None:
            out.append(tok.group(2))
    return out


def declared_in(path: str | os.PathLike[str]) -> list[str] | None:
    """declared() of a file, reading only its head (64 KiB at a time); None for what is no
    regular file or is over the size cap (the loader refuses those, saying why)."""
    import stat

    from farchron.settings import max_bytes

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes():
            return None
        with open(path, "rb") as fh:
            data = b""
            while len(data) <= st.st_size:
                chunk = fh.read(_HEAD_STEP)
                data += chunk
                if not chunk or _end_of_head(data) < len(data):
                    break
    except OSError:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return declared(data)


def matches(root: str | os.PathLike[str], patterns: Sequence[str]) -> list[str]:
    """The files (relative to root, '/'-separated) the patterns match, in sorted glob
    order, each once; no checks (the cache's key: the loader checks)."""
    import glob

    out: list[str] = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern or os.path.isabs(pattern):
            continue
        for hit in sorted(glob.glob(pattern, root_dir=root)):
            rel = hit.replace(os.sep, "/")
            if rel not in out and os.path.isfile(os.path.join(root, hit)):
                out.append(rel)
    return out


def names(rel: str, pattern: str) -> bool:
    """Whether `pattern` of an `include` names the file at `rel` (a '/'-separated path in
    the folder), as `matches` finds files with glob: a wildcard never crosses a '/'. For
    files that are not on disk (yet): a new part, a file of a git revision."""
    import fnmatch

    return rel.count("/") == pattern.count("/") and fnmatch.fnmatchcase(rel, pattern)


def resolve(data_dir: Path, name: str, value: Any, loc: Locator, others: Sequence[str]
            ) -> tuple[list[Path], list[Problem]]:
    """The part files of main file `name` (its `include` value), and a problem for each
    pattern that is not a string, points outside the folder, matches nothing, or matches a
    main file (a loop)."""
    line = loc.top(INCLUDE)
    problems: list[Problem] = []

    def bad(code: str, message: str) -> None:
        problems.append(Problem(loc.path, line, None, code, message))

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        bad("wrong-type", f"'{INCLUDE}' must be an array of file patterns, such as "
            f"{INCLUDE} = [\"chapters/*.toml\"]")
        return [], problems
    text_view = declared(loc.text)
    if text_view != value:
        bad("include-layout", f"write '{INCLUDE}' as a plain array of strings at the top of "
            f"{name} (such as {INCLUDE} = [\"chapters/*.toml\"]); this one is read "
            "differently by the quick scan that finds the parts")
        return [], problems
    root = data_dir.resolve()
    parts: list[Path] = []
    for pattern in value:
        if not pattern.strip():
            bad("include-empty", f"{INCLUDE}: an empty pattern")
            continue
        if os.path.isabs(pattern) or ".." in re.split(r"[\\/]" if os.altsep else "/", pattern):
            bad("include-outside", f"{INCLUDE} pattern '{pattern}' points outside the "
                f"ledger folder {data_dir}; parts must live inside it")
            continue
        hits = matches(data_dir, [pattern])
        if not hits:
            bad("include-empty", f"{INCLUDE} pattern '{pattern}' matches no file in "
                f"{data_dir}")
            continue
        for rel in hits:
            path = data_dir / rel
            try:
                real = path.resolve()
                real.relative_to(root)
            except (OSError, ValueError):
                bad("include-outside", f"{INCLUDE} pattern '{pattern}' matches {rel}, "
                    f"which lies outside the ledger folder {data_dir} (a link?)")
                continue
            if real in (root / n for n in others) or real == (root / name):
                bad("include-loop", f"{INCLUDE} pattern '{pattern}' matches {rel}, a main "
                    "file of the ledger; a file cannot include itself or the other main "
                    "file")
                continue
            if path not in parts:
                parts.append(path)
    return parts, problems


def ledger_files(data_dir: str | os.PathLike[str]) -> dict[str, list[str]]:
    """{main file: [itself, then the parts its `include` names now]}, paths relative to the
    folder ('/'-separated): every file a record of the ledger may live in."""
    from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE

    out: dict[str, list[str]] = {}
    for main in (EVENTS_FILE, SOURCES_FILE):
        path = os.path.join(data_dir, main)
        patterns = declared_in(path) if os.path.isfile(path) else None
        out[main] = [main, *(matches(data_dir, patterns) if patterns else [])]
    return out
