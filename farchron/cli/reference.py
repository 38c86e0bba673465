"""docs/reference/commands.md, generated from the commands' own help like the man page:
`python -m farchron.cli.reference > docs/reference/commands.md`; a test checks it is current.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from farchron.cli.manpage import all_commands, help_paragraphs

HEADER = """\
# Command reference

<!-- Generated from the commands' help by `python -m farchron.cli.reference >
docs/reference/commands.md`; tests/docs/test_docs.py fails when it is not current.
Edit the help text in farchron/cli/, not this page. -->

Every command and option of farchron {version}, as `farchron COMMAND --help` prints them.
The same text is the manual page (`man farchron`, or `man docs/farchron.1` in a clone).
Exit codes: [exit-codes.md](exit-codes.md); environment variables:
[environment.md](environment.md); JSON shapes: [json.md](json.md).

"""


def _anchor(name: str) -> str:
    return "farchron-" + name.replace(" ", "-")


def _paragraphs(help_text: str) -> Iterator[str]:
    """click's help as Markdown: paragraphs, and \\b blocks kept line for line."""
    for verbatim, text in help_paragraphs(help_text):
        yield f"```text\n{text.rstrip()}\n```" if verbatim else text


def _options(cmd: click.Command, ctx: click.Context) -> Iterator[str]:
    for p in cmd.get_params(ctx):
        rec = p.get_help_record(ctx)
        if rec is None:
            continue
        names, text = rec
        yield f"- `{names}`" + (f": {' '.join(text.split())}" if text else "")


def page() -> str:
    """The whole reference page, in Markdown."""
    from farchron import __version__
    from farchron.cli import cli

    root = click.Context(cli, info_name="farchron", **cli.context_settings)
    commands = list(all_commands())
    out = [HEADER.format(version=__version__).rstrip("\n"), ""]
    out += ["Commands: " + ", ".join(f"[{name}](#{_anchor(name)})" for name, _ in commands),
            "", "## farchron", "", "```text",
            "farchron [OPTIONS] COMMAND [ARGS]...", "```", ""]
    for para in _paragraphs(cli.help or ""):
        out += [para, ""]
    out += ["Global options (before the command):", "", *_options(cli, root), ""]
    for name, cmd in commands:
        ctx = click.Context(cmd, info_name=f"farchron {name}", parent=root)
        usage = " ".join(cmd.collect_usage_pieces(ctx))
        out += [f"## farchron {name}", "", "```text",
                f"farchron {name} {usage}".rstrip(), "```", ""]
        for para in _paragraphs(cmd.help or ""):
            out += [para, ""]
        opts = list(_options(cmd, ctx))
        if opts:
            out += ["Options:", "", *opts, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> None:
    sys.stdout.write(page())


if __name__ == "__main__":
    main()
