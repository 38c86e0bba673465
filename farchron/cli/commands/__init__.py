"""The commands, one module each, imported only when invoked (papis, hatch).

To add a command: write `farchron/commands/NAME.py` holding a click command (see
timeline.py), and add ONE line to COMMANDS below: its name, "module:function", and the
first paragraph of its help (what `farchron --help` lists, without importing it;
tests/architecture/test_startup_imports.py checks the two agree). A subcommand of `export` goes in
EXPORT_COMMANDS the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import click

#: name: ("farchron.cli.commands.MODULE:FUNCTION", short help)
COMMANDS: dict[str, tuple[str, str]] = {
    "timeline": ("farchron.cli.commands.timeline:timeline",
                 "Events in PERIOD, in chronological order."),
    "check": ("farchron.cli.commands.check:check",
              "Validate events.toml and sources.toml, listing every problem at once."),
    "search": ("farchron.cli.commands.search:search",
               "Events ranked by a fuzzy match of QUERY, in any script or spelling."),
    "show": ("farchron.cli.commands.show:show",
             "Events in full, with their citations resolved to works and pages."),
    "cite": ("farchron.cli.commands.cite:cite",
             "A footnoted summary of the events matching QUERY, in date order."),
    "sources": ("farchron.cli.commands.sources:sources",
                "The works cited, or those matching QUERY; exported as BibTeX, CSL-JSON or "
                "RIS."),
    "notes": ("farchron.cli.commands.notes:notes",
              "The paper's numbered notes, each resolved to its works and pages."),
    "chart": ("farchron.cli.commands.chart:chart",
              "A Gantt chart of the events in PERIOD, one row per event in date order."),
    "stats": ("farchron.cli.commands.stats:stats",
              "Counts of events per year, month, tag or actor: a bar chart or TSV/JSON."),
    "date": ("farchron.cli.commands.date:date",
             "One date in every form and calendar: EDTF, bounds, Julian, Japanese era, Minguo."),
    "audit": ("farchron.cli.commands.audit:audit",
              "Check a draft's dates against the ledger: each dated claim and the event it is "
              "about."),
    "export": ("farchron.cli.commands.export:export",
               "Write the events as one file for another program or a browser."),
    "init": ("farchron.cli.commands.init:init",
             "Start a new ledger in DIR (default: the current folder)."),
    "add": ("farchron.cli.commands.add:add",
            "Append one event or one work to the ledger; the new id is printed."),
    "edit": ("farchron.cli.commands.edit:edit",
             "Edit one event, work (by id) or note (note:N) in $VISUAL / $EDITOR."),
    "import": ("farchron.cli.commands.import_:import_",
               "Import works (BibTeX, RIS, CSL-JSON) or events (CSV, TimelineJS sheet, "
               "jsonl)."),
    "diff": ("farchron.cli.commands.diff:diff",
             "What changed in the ledger between two versions, in historians' terms."),
    "fmt": ("farchron.cli.commands.fmt:fmt",
            "Put the ledger files in canonical order and layout (what add and import keep)."),
    "merge": ("farchron.cli.commands.merge:merge",
              "Merge two versions of a ledger file per record and field, into OURS."),
    "lsp": ("farchron.cli.commands.lsp:lsp",
            "A Language Server on stdio: a draft's dates checked as you type, citation keys."),
}

#: The subcommands of `farchron export`, as COMMANDS.
EXPORT_COMMANDS: dict[str, tuple[str, str]] = {
    "html": ("farchron.cli.commands.export_html:export_html",
             "A self-contained interactive HTML timeline (no network, no server needed)."),
    "timelinejs": ("farchron.cli.commands.export_timelinejs:export_timelinejs",
                   "TimelineJS 3 JSON for Knight Lab's TimelineJS "
                   "(https://timeline.knightlab.com)."),
    "sqlite": ("farchron.cli.commands.export_sqlite:export_sqlite",
               "The whole ledger as a documented SQLite database (Datasette, sqlite-utils, "
               "SQL)."),
}


def load_command(target: str) -> click.Command:
    """The command object at "package.module:attribute"."""
    module, _, attr = target.partition(":")
    cmd = getattr(importlib.import_module(module), attr)
    if not isinstance(cmd, click.Command):
        raise TypeError(f"{target} is not a click command")
    return cmd


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's `commands`, importing each module on first access by name.

    Behaves as the dict click keeps (tests walk `group.commands.items()`), so
    add_command and get_command work unchanged.
    """

    def __init__(self, lazy: Mapping[str, tuple[str, str]],
                 loaded: Mapping[str, click.Command] | None = None) -> None:
        self.lazy = dict(lazy)
        self.loaded: dict[str, click.Command] = dict(loaded or {})

    def __getitem__(self, name: str) -> click.Command:
        cmd = self.loaded.get(name)
        if cmd is None:
            if name not in self.lazy:
                raise KeyError(name)
            cmd = self.loaded[name] = load_command(self.lazy[name][0])
        return cmd

    def __setitem__(self, name: str, cmd: click.Command) -> None:
        self.loaded[name] = cmd

    def __delitem__(self, name: str) -> None:
        found = self.loaded.pop(name, None) is not None
        if self.lazy.pop(name, None) is None and not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self.lazy, *self.loaded}))

    def __len__(self) -> int:
        return len({*self.lazy, *self.loaded})

    def __contains__(self, name: object) -> bool:
        return name in self.lazy or name in self.loaded

    def short_help(self, name: str, limit: int) -> str:
        """What --help lists for `name`, without importing it if it is not loaded yet."""
        if name in self.loaded:
            return self.loaded[name].get_short_help_str(limit)
        # A stand-in command shortens the text exactly as click shortens a real one's.
        return click.Command(name, help=self.lazy[name][1]).get_short_help_str(limit)


class LazyGroup(click.Group):
    """A click Group whose commands are imported only when invoked (or asked for)."""

    commands: LazyCommands

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(lazy or {}, self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, but the short help comes from the registry: --help imports nothing."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(n, self.commands.short_help(n, limit)) for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
