"""normalize() folds typographic punctuation itself (issue 28: no anyascii import for a
page whose only non-ASCII is its quotes and dashes): exactly as anyascii would."""

from __future__ import annotations

from anyascii import anyascii
from hypothesis import given
from hypothesis import strategies as st

from farchron.query import search
from farchron.query.search import normalize
from farchron.text import TYPOGRAPHY


def test_each_typographic_sign_is_written_as_anyascii_writes_it():
    for ch, ascii_form in TYPOGRAPHY.items():
        assert anyascii(ch) == ascii_form, ch


def _reference(text: str) -> str:
    """normalize() as it was: anything outside ASCII after the accent fold to anyascii."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        if not text.isascii():
            parts = search.re.split(search._HAN_RUN, text)  # search._ascii as it was
            text = " ".join(p if n % 2 else anyascii(p)
                            for n, p in enumerate(parts) if p).lower()
    text = text.translate(search._APOSTROPHES)
    return " ".join(search.re.split(search._NON_WORD, text)).strip()


PIECES = st.sampled_from([*TYPOGRAPHY, "Dubrovnik", "Ragusa", "1667", " ", "-", "'", "é",
                          "Дубровник", "Ῥαγοῦσα", "杜布罗夫尼克", "ドゥブロヴニク", "ß", "İ", "…"])


@given(st.lists(PIECES, max_size=12).map("".join))
def test_the_fold_equals_the_anyascii_path(text: str):
    assert normalize(text) == _reference(text)


def test_quotes_and_apostrophes_fold_as_before():
    assert normalize("“Ragusa’s” earthquake — 6 April 1667 «Dubrovnik»") == (
        "ragusas earthquake 6 april 1667 dubrovnik")
