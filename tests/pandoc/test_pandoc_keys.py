"""Citation keys read from a Markdown text, and a citation's suffix split into locator."""

from __future__ import annotations

import pytest

from farchron.cite.keys import find_keys, first_lines
from farchron.pandoc.locators import split_suffix


def test_keys_with_their_lines_and_columns():
    text = ("---\ntitle: '@not-a-key'\n---\n\nText [@nomonhan-incident]. Mail a@b.com.\n"
            "[see @hata-2014, 12; -@x] and @{odd key} and @a:b.c.\n")
    got = [(u.key, u.line, u.column) for u in find_keys(text)]
    assert got == [("nomonhan-incident", 5, 7), ("hata-2014", 6, 6), ("x", 6, 22),
                   ("odd key", 6, 31), ("a:b.c", 6, 46)]


def test_code_and_comments_hold_no_keys_and_keep_lines():
    text = "`@code`\n```\n@fenced\n```\n\n    @indented\n<!-- @a\n@b -->\nlast @key\n"
    assert [(u.key, u.line) for u in find_keys(text)] == [("key", 9)]


def test_first_lines():
    assert first_lines("@a\n@b @a\n") == {"a": 1, "b": 2}


@pytest.mark.parametrize(("suffix", "locator", "rest"), [
    (", 159", "159", ""),
    (", pp. 12–14, for the losses", "12–14", ", for the losses"),
    (", p.\u00a03", "3", ""),
    (", 12-14, 20", "12-14, 20", ""),
    (", sec. 3(2)", "sec. 3(2)", ""),
    (", chap. 4 and passim", "chap. 4", " and passim"),
    (", {ch. 2, n. 4} quoted", "ch. 2, n. 4", " quoted"),
    (", xiv", "xiv", ""),
    (", for the losses", "", ", for the losses"),
    ("", "", ""),
])
def test_locators_as_citeproc_reads_them(suffix: str, locator: str, rest: str):
    assert split_suffix(suffix) == (locator, rest)
