"""Fixtures for the LSP tests: a writable copy of a ledger, and a started server."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lspclient import Client

HERE = Path(__file__).resolve().parent
RUSSO_JAPANESE = HERE / "fixtures" / "russojapanese"
ROOT = HERE.parent.parent


@pytest.fixture
def rj_ledger(tmp_path: Path) -> Path:
    """A writable copy of the Russo-Japanese War fixture ledger (the workspace folder)."""
    folder = tmp_path / "ws"
    shutil.copytree(RUSSO_JAPANESE, folder)
    return folder


@pytest.fixture
def shipped_ledger(tmp_path: Path) -> Path:
    """A writable copy of the shipped ledger."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    for name in ("events.toml", "sources.toml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


@pytest.fixture
def server(rj_ledger: Path, _isolated_cache: Path) -> Iterator[Client]:
    c = Client(rj_ledger, env={"XDG_CACHE_HOME": str(_isolated_cache)})
    c.initialize(rj_ledger)
    try:
        yield c
    finally:
        c.close()
