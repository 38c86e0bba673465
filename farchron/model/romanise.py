"""Latin forms of Cyrillic and Japanese text for ids, search keys and `import --romanise`:
Russian by ALA-LC without diacritics (Кривошеев -> Krivosheev, Записки -> Zapiski), Japanese
by its readings in modified Hepburn (細谷 -> Hosoya, シベリア出兵 -> shiberia shuppei).

anyascii reads kanji as Mandarin (細谷 -> "Xi Gu"), so Japanese goes through pykakasi's
dictionary instead. pykakasi loads a dictionary (~0.3 s) and is imported only when a text is
Japanese: kana in it, or the caller knows the work is in Japanese (han alone may be Chinese).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# ALA-LC romanisation of Russian (and the pre-1918 letters), diacritics and ligature ties
# left out: й is "i", ь is "'" in titles and nothing in ids, ъ nothing.
ALA_LC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіѣѳѵ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "'", "e", "iu", "ia",
     "i", "e", "f", "y"], strict=True))
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CYR = re.compile(r"[\u0400-\u04ff]")


def has_kana(text: str) -> bool:
    return bool(_KANA.search(text))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def has_cyrillic(text: str) -> bool:
    return bool(_CYR.search(text))


def is_latin(text: str) -> bool:
    """No Cyrillic, kana or han: what the ledger's `title` field promises."""
    return not (_CYR.search(text) or _KANA.search(text) or _HAN.search(text))


def japanese_work(fields: Any) -> bool:
    """Whether a work's han should be read as Japanese: its language, or kana in a title."""
    if str(fields.get("language") or "").lower().startswith("ja"):
        return True
    return any(has_kana(str(fields.get(k) or ""))
               for k in ("title", "original-title", "container-title", "short-title"))


def cyrillic(text: str) -> str:
    """ALA-LC without diacritics, capitals kept: "Кривошеев, Г. Ф." -> "Krivosheev, G. F."."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = ALA_LC.get(low)
        if latin is None:
            out.append(ch)
        elif ch != low and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()


def _long_vowels(word: str) -> str:
    """pykakasi spells long vowels out (toukyou, kenkyuu); modified Hepburn marks them."""
    return (word.replace("ou", "ō").replace("oo", "ō").replace("uu", "ū")
            .replace("aa", "ā").replace("ee", "ē"))


def japanese(text: str, macrons: bool = True) -> str:
    """The Hepburn reading, word by word: "シベリア出兵と日本" -> "shiberia shuppei to nippon"."""
    words = []
    for part in _kakasi().convert(text):
        reading = part["hepburn"] or part["orig"]
        words.append(_long_vowels(reading) if macrons else reading.replace("ou", "o")
                     .replace("oo", "o").replace("uu", "u"))
    return re.sub(r"\s+([,.:;!?)\]」』）])", r"\1", " ".join(w for w in words if w.strip()))


def to_latin(text: str, japanese_text: bool | None = None, macrons: bool = True) -> str:
    """Cyrillic and Japanese in `text` to Latin letters; anything else left as it is.
    `japanese_text` None: Japanese if there is kana in it."""
    if text.isascii():
        return text
    if _CYR.search(text):
        text = cyrillic(text)
    if japanese_text is None:
        japanese_text = has_kana(text)
    if japanese_text and (_KANA.search(text) or _HAN.search(text)):
        text = japanese(text, macrons=macrons)
    return text


def romanised_title(text: str, japanese_text: bool | None = None) -> str:
    """A title for the ledger's `title` field: romanised, its first letter a capital (ALA-LC
    capitalises Japanese and Russian titles as sentences)."""
    latin = to_latin(text, japanese_text)
    return latin[:1].upper() + latin[1:]


def romanised_name(name: str, japanese_text: bool | None = None) -> str:
    """A "Family, Given" name romanised part by part, each part capitalised."""
    parts = []
    for p in name.split(",", 1):
        latin = to_latin(p.strip(), japanese_text)
        if latin != p.strip() and " " not in p.strip() and not _CYR.search(p):
            latin = latin.replace(" ", "")  # one Japanese name read as several words
        parts.append(latin)
    return ", ".join(" ".join(w[:1].upper() + w[1:] for w in p.split()) for p in parts)
