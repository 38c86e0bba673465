"""Search words for engines that cannot transliterate a query: SQLite FTS5 (Datasette) and
the HTML page's search box. Each text is given in every script a reader may type: romanised
as the CLI's search keys, Japanese by its reading, Latin words in Cyrillic (Nomonhan ->
номонхан), kana runs apart from kanji (ノモンハン事件 -> ノモンハン 事件)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from farchron.model.romanise import ALA_LC
from farchron.query.search import normalize, readings

if TYPE_CHECKING:
    from farchron.model.records import Ledger

# Latin to Cyrillic: the ALA-LC table (model/romanise.py) read backwards, the first letter
# for a spelling winning (e -> е, not ё or э), plus the spellings a reader may type for
# the same sounds; longest spelling first, so a Russian reader's query finds the romanised
# ledger: nomonhan -> номонхан.
_BACKWARDS: dict[str, str] = {}
for _cyr, _latin in ALA_LC.items():
    if _latin.isalpha():
        _BACKWARDS.setdefault(_latin, _cyr)
_TO_CYRILLIC = sorted({**_BACKWARDS, "yu": "ю", "ya": "я", "h": "х", "j": "дж", "c": "к",
                       "w": "в", "q": "к", "x": "кс"}.items(), key=lambda kv: -len(kv[0]))
_SCRIPT_RUN = (r"[\u30a0-\u30ff\u31f0-\u31ff]+|[\u3040-\u309f]+|"
               r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _cyrillic(word: str) -> str:
    out, i = [], 0
    while i < len(word):
        for latin, cyr in _TO_CYRILLIC:
            if word.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def text_keys(ledger: Ledger) -> Mapping[str, list[str]] | None:
    """For every text of the ledger's events outside ASCII, its search key then its
    readings (normalize(), readings()), kept in the cache beside the ledger: anyascii and
    pykakasi's dictionaries (~0.5 s to load) were imported by every `export html` of events
    with Cyrillic or Japanese names. None for a ledger not from the cache."""
    from farchron.store.cache import Events, cached_index

    if not isinstance(ledger.events, Events):
        return None

    def build(led: Ledger) -> dict[str, list[str]]:
        texts = {t for e in led.events for t in (e.title, *e.aliases, *e.actors, *e.places)
                 if t and not t.isascii()}
        return {t: [normalize(t), *readings((t,))] for t in sorted(texts)}

    return dict(cached_index(ledger, "text-keys-1", build))


def search_words(texts: Iterable[str], known: Mapping[str, list[str]] | None = None) -> str:
    """Words for a search engine that cannot transliterate a query (SQLite FTS5 in
    Datasette, the HTML page's search box): each text, its romanisation (the CLI's search
    key, Japanese by its reading), its Latin words in Cyrillic, and its kana and kanji runs
    apart (FTS5's unicode61 keeps a CJK run as one token: ノモンハン事件 -> ノモンハン 事件).
    `known`: text_keys() of the ledger, if the texts are its events'."""
    words: list[str] = []
    for text in texts:
        if not text:
            continue
        words.append(text)
        key = None if known is None else known.get(text)
        latin = normalize(text) if key is None else key[0]
        words.append(latin)
        words += readings((text,)) if key is None else key[1:]
        words += re.findall(_SCRIPT_RUN, text)  # compiled on first use: start-up
        words += [_cyrillic(w) for w in latin.split() if w.isascii() and w.isalpha()]
    seen: dict[str, None] = dict.fromkeys(w for w in " ".join(words).split())
    return " ".join(seen)
