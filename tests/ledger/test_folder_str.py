"""The warm path names the ledger's folder with str (issue 28: pathlib costs ~3 ms of
start-up): spelt as pathlib spells it, and a Ledger still hands out a Path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from farchron.ledger.folder import (
    find_data_dir,
    find_folder,
    shipped_data_dir,
    shipped_folder,
    tidy,
)
from farchron.model.records import Ledger

pytestmark = pytest.mark.skipif(os.sep != "/", reason="POSIX spelling; pathlib elsewhere")


@given(st.lists(st.sampled_from(["", ".", "..", "a", "b c", "é", "/", "//", "x.toml"]),
                max_size=8).map("/".join))
def test_tidy_spells_a_path_as_pathlib_does(path: str):
    assert tidy(path) == str(Path(path))


@given(st.text(alphabet="/.ab", max_size=12))
def test_tidy_on_any_slashes_and_dots(path: str):
    assert tidy(path) == str(Path(path))


def test_the_str_and_path_finders_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("FARCHRON_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert find_folder() == str(find_data_dir()) == shipped_folder()
    assert Path(shipped_folder()) == shipped_data_dir()
    (tmp_path / "events.toml").write_text("", encoding="utf-8")
    assert find_folder() == str(tmp_path) == str(find_data_dir())
    monkeypatch.setenv("FARCHRON_DATA", "rjw//./")
    assert find_folder() == "rjw" == str(find_data_dir())
    assert find_folder(tmp_path / "x") == str(tmp_path / "x")


def test_a_ledger_given_a_str_folder_hands_out_a_path(tmp_path: Path):
    led = Ledger((), {}, {}, str(tmp_path))
    assert isinstance(led.data_dir, Path) and led.data_dir == tmp_path
    assert led == Ledger((), {}, {}, tmp_path)
