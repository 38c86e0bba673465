"""Every command documents itself: help text, and an example that names the command."""

from __future__ import annotations

import click
import pytest

from farchron.cli import cli
from tests.conftest import invoke


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path)
        else:
            out.append(path)
    return out


COMMANDS = _commands(cli)


def test_the_commands_of_the_contract_exist():
    names = {" ".join(c) for c in COMMANDS}
    assert {"timeline", "search", "show", "cite", "sources", "notes", "check"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_help_has_a_summary_and_an_example(path):
    r = invoke(*path, "--help", data=None)
    assert r.exit_code == 0
    text = r.stdout
    assert "Examples:" in text or "Example:" in text
    assert f"farchron {' '.join(path)}" in text
    cmd = cli
    for part in path:
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    assert cmd.get_short_help_str().strip()
