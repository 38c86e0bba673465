"""`farchron diff [OLD] [NEW]`: what changed in the ledger, in historians' terms."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from farchron.cli.app import App, output_format, pass_app
from farchron.cli.options import format_option
from farchron.errors import NotFound, UsageError


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError(f"cannot run git: {exc}") from None


def _texts(where: str | None, data_dir: Path) -> dict[str, str]:
    """The ledger files of a folder, or of a git revision of the data folder: the two
    main files and the parts their `include` names (as that folder or revision has them)."""
    from farchron.ledger import parts
    from farchron.ledger.folder import EVENTS_FILE, SOURCES_FILE

    names = (EVENTS_FILE, SOURCES_FILE)
    if where is None:
        where = str(data_dir)
    folder = Path(where)
    if folder.is_dir():
        from farchron.authoring.writer import read_texts

        return read_texts(folder)
    top = _git(data_dir, "rev-parse", "--show-prefix")
    if top.returncode != 0:
        raise UsageError(f"'{where}' is neither a folder nor a git revision ({data_dir} is "
                         "not in a git repository)")
    prefix = top.stdout.strip()
    out = {}
    for n in names:
        r = _git(data_dir, "show", f"{where}:{prefix}{n}")
        if r.returncode != 0:
            if _git(data_dir, "rev-parse", "--verify", "--quiet", f"{where}^{{commit}}"
                    ).returncode != 0:
                raise UsageError(f"'{where}' is neither a folder nor a git revision")
            out[n] = ""  # the file did not exist in that revision
        else:
            out[n] = r.stdout
    patterns = [p for n in names for p in parts.declared(out[n]) or []]
    if patterns:
        for rel in _revision_parts(data_dir, where, prefix, patterns):
            if rel not in out:
                out[rel] = _git(data_dir, "show", f"{where}:{prefix}{rel}").stdout
    return out


def _revision_parts(data_dir: Path, where: str, prefix: str, patterns: list[str]
                    ) -> list[str]:
    """The files of revision `where` (under the data folder) that the `include` patterns
    name, in the loader's order (each pattern's files sorted, each file once)."""
    from farchron.ledger import parts

    listed = _git(data_dir, "ls-tree", "-r", "--full-name", "--name-only", where, "--", ".")
    files = sorted(f[len(prefix):] for f in listed.stdout.splitlines() if f.startswith(prefix))
    out: list[str] = []
    for pattern in patterns:
        out += [rel for rel in files if rel not in out and parts.names(rel, pattern)]
    return out


@click.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--textconv", "textconv", type=click.Path(dir_okay=False, exists=True),
              help="Print FILE in canonical order, for git's diff.farchron.textconv.")
@format_option()
@pass_app
def diff(app: App, old: str | None, new: str | None, textconv: str | None,
         fmt: str | None) -> None:
    """What changed in the ledger between two versions, in historians' terms.

    \b
    OLD and NEW are git revisions (HEAD~3, a tag, a branch) of the data folder, or two
    folders; NEW defaults to the files as they are, OLD to HEAD. Each change is one row:
    kind, id, change (event added / removed, date refined "1939-08 → 1939-08-20", date
    changed, citation added / removed, summary reworded, work corrected...), old and new.
    Records are matched by id, so moving one in the file is no change. Exit 1 when
    nothing changed.

    \b
    Examples:
      farchron diff
      farchron diff HEAD~5 HEAD -f json
      farchron diff v1 v2 | cut -f2,3
      git log -p events.toml   (after farchron init --git: records in canonical order)
    """
    from farchron.ledger.diff import compare
    from farchron.render import listings

    if textconv:
        from farchron.authoring.layout import canonical

        click.echo(canonical(Path(textconv).read_text(encoding="utf-8")), nl=False)
        return
    data_dir = app.data_dir
    before = _texts(old or "HEAD", data_dir)
    after = _texts(new, data_dir)
    changes = compare(before, after)
    if not changes:
        raise NotFound()
    listings.write_changes(output_format(fmt), changes)
