"""A ledger kept in git: the attributes, ignores and merge-driver registration `init` writes.

`.gitattributes` names farchron's merge driver for the ledger files (never `merge=union`,
which fuses two TOML tables into one and lets git commit a broken ledger); `.gitignore`
keeps the lock and temp files out of commits; the driver itself is registered in the
repository's own config (git never reads a driver from a committed file), so each clone
runs `farchron init --git` once.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from farchron.errors import UsageError
from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE

DRIVER = "farchron"
ATTRIBUTES = [f"{EVENTS_FILE} merge={DRIVER} diff={DRIVER}",
              f"{SOURCES_FILE} merge={DRIVER} diff={DRIVER}"]
IGNORES = [".farchron.lock", "*.lock", "*.farchron-tmp.*.tmp", ".*.farchron-staged",
           ".*.journal"]


def _add_lines(path: Path, lines: list[str], header: str) -> bool:
    """Append the lines `path` lacks (made if need be); True if it changed."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    have = {ln.strip() for ln in old.splitlines()}
    missing = [ln for ln in lines if ln not in have]
    if not missing:
        return False
    text = old
    if text and not text.endswith("\n"):
        text += "\n"
    text += (("\n" if text else "") + f"# {header}\n" + "\n".join(missing) + "\n")
    path.write_text(text, encoding="utf-8")
    return True


def attributes(folder: Path) -> list[str]:
    """The attribute lines: the two main files, and each `include` pattern of a split
    ledger (its parts hold records too, and merge by record as the main files do)."""
    from farchron.ledger import parts

    lines = list(ATTRIBUTES)
    for main in (EVENTS_FILE, SOURCES_FILE):
        path = folder / main
        for pattern in (parts.declared_in(path) or []) if path.is_file() else []:
            if pattern.strip() and not any(c.isspace() for c in pattern):
                lines.append(f"{pattern} merge={DRIVER} diff={DRIVER}")
    return lines


def write_git_files(folder: Path) -> list[Path]:
    """.gitattributes and .gitignore in the ledger folder (lines added, never removed)."""
    done = []
    if _add_lines(folder / ".gitattributes", attributes(folder),
                  "farchron: merge and diff the ledger per record (farchron init --git)"):
        done.append(folder / ".gitattributes")
    if _add_lines(folder / ".gitignore", IGNORES, "farchron: lock and temp files"):
        done.append(folder / ".gitignore")
    return done


def git_dir(folder: Path) -> bool:
    """True if `folder` is inside a git work tree (and git is installed)."""
    try:
        r = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0 and r.stdout.strip() == "true"


def driver_command() -> str:
    """This farchron, as git should run it (the interpreter named: no PATH needed)."""
    return f"{shlex.quote(sys.executable)} -m farchron"


def register(folder: Path) -> list[str]:
    """Register the merge driver and the diff helper in the repository's own config."""
    if not git_dir(folder):
        raise UsageError(f"{folder} is not inside a git repository (git init, or clone one)")
    cmd = driver_command()
    settings = [
        (f"merge.{DRIVER}.name", "farchron: merge ledger records by id and field"),
        (f"merge.{DRIVER}.driver", f"{cmd} merge %O %A %B --path %P"),
        (f"diff.{DRIVER}.textconv", f"{cmd} diff --textconv"),
    ]
    for key, value in settings:
        subprocess.run(["git", "-C", str(folder), "config", "--local", key, value],
                       check=True, capture_output=True, timeout=30)
    return [k for k, _ in settings]
