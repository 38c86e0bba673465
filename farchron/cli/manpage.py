"""farchron(1), generated from the commands' own help: `python -m farchron.cli.manpage`.

The page is committed as docs/farchron.1 and installed with the wheel; a test checks
it is current, so the help and the manual cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import click

from farchron import __version__

SECTIONS_AFTER = """\
.SH EXIT STATUS
.TP
.B 0
something was printed
.TP
.B 1
nothing matched (search, cite, show, timeline with no events), or a write error
.TP
.B 2
a usage error, a bad date, or unreadable or invalid data (the message names the file,
line and column)
.TP
.B 141
the reader of a pipe went away (as if killed by SIGPIPE)
.SH ENVIRONMENT
.TP
.B FARCHRON_DATA
the data folder, when
.B \\-\\-data
is not given
.TP
.B FARCHRON_NO_CACHE
set to 1: never use the cache
.TP
.B XDG_CACHE_HOME
the cache lives in $XDG_CACHE_HOME/farchron (default ~/.cache/farchron)
.TP
.B NO_COLOR
any value: no colour or escape codes, ever
.TP
.B FORCE_COLOR
colour even in a pipe (NO_COLOR wins)
.TP
.B COLUMNS
the width of tables, charts and
.BR show ;
.B FZF_PREVIEW_COLUMNS
in an fzf preview
.SH SHELL COMPLETION
Completes commands, options, event ids, tags, actors, places, source ids and note
numbers from the ledger:
.PP
.nf
.RS
eval "$(_FARCHRON_COMPLETE=bash_source farchron)"      # ~/.bashrc
eval "$(_FARCHRON_COMPLETE=zsh_source farchron)"       # ~/.zshrc
_FARCHRON_COMPLETE=fish_source farchron | source       # ~/.config/fish/config.fish
.RE
.fi
.SH FILES
.TP
.I events.toml, sources.toml
the ledger: events; works and the paper's notes
.SH SEE ALSO
.BR jq (1),
.BR fzf (1),
.BR pandoc (1)
"""


def roff(text: str) -> str:
    """Text safe in roff: backslashes escaped, no line starting a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + ln if ln.startswith((".", "'")) else ln
                     for ln in text.split("\n"))


def help_paragraphs(help_text: str) -> Iterator[tuple[bool, str]]:
    """click's help text as (verbatim, text) paragraphs: a \\b block kept line for line
    (its 4-space indent taken off), any other paragraph joined into one line. The man page
    and docs/reference/commands.md both render these."""
    for para in re.split(r"\n\s*\n", help_text.strip()):
        lines = para.split("\n")
        if lines[0].strip() == "\b":
            body = [ln[4:] if ln.startswith("    ") else ln.strip() for ln in lines[1:]]
            yield True, "\n".join(body)
        else:
            yield False, " ".join(ln.strip() for ln in lines)


def _help_blocks(help_text: str) -> Iterator[str]:
    """click's help text as roff."""
    for verbatim, text in help_paragraphs(help_text):
        yield (".PP\n.nf\n" + roff(text) + "\n.fi") if verbatim else ".PP\n" + roff(text)


def _options(cmd: click.Command, ctx: click.Context) -> Iterator[str]:
    for p in cmd.get_params(ctx):
        rec = p.get_help_record(ctx)
        if rec is None:
            continue
        names, text = rec
        yield ".TP\n.B " + roff(names) + "\n" + roff(text or "")


def all_commands() -> Iterator[tuple[str, click.Command]]:
    """Every command and subcommand, as ("export html", command), in help order."""
    from farchron.cli import cli

    ctx = click.Context(cli, info_name="farchron", **cli.context_settings)
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None
        yield name, cmd
        if isinstance(cmd, click.Group):
            sub_ctx = click.Context(cmd, info_name=name, parent=ctx)
            for sub in cmd.list_commands(sub_ctx):
                sc = cmd.get_command(sub_ctx, sub)
                assert sc is not None
                yield f"{name} {sub}", sc


def page() -> str:
    """The whole manual page."""
    from farchron.cli import cli

    root = click.Context(cli, info_name="farchron", **cli.context_settings)
    out = [f'.TH FARCHRON 1 "" "farchron {__version__}" "User Commands"',
           ".SH NAME", "farchron \\- a chronology and citation tool for historians",
           ".SH SYNOPSIS", ".B farchron", "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
           ".SH DESCRIPTION", *_help_blocks(cli.help or ""), ".SH OPTIONS",
           *_options(cli, root), ".SH COMMANDS"]
    for name, cmd in all_commands():
        ctx = click.Context(cmd, info_name=f"farchron {name}", parent=root)
        usage = " ".join(cmd.collect_usage_pieces(ctx))
        out += [f".SS {roff(name)}", f".B farchron {roff(name)}", roff(usage)]
        out += list(_help_blocks(cmd.help or ""))
        out += list(_options(cmd, ctx))
    return "\n".join(out) + "\n" + SECTIONS_AFTER


def main() -> None:
    sys.stdout.write(page())


if __name__ == "__main__":
    main()
