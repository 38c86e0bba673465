"""What an id is, lowercase ASCII words joined by hyphens (`nomonhan-incident`), and how
one is made from a title (`slugify`) and kept unique (`unique_id`).

One pattern for the checker, the writers, the cache's id lookup and the importers, so an
id that `add` makes is one that `check` accepts and `show` finds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def slugify(text: str, limit: int = 60, japanese: bool | None = None) -> str:
    """A lowercase ASCII id from any text: `Battle of Mukden` -> `battle-of-mukden`;
    Japanese by its Hepburn reading (`細谷` -> `hosoya` where `japanese`, or wherever there
    is kana), Russian by ALA-LC without diacritics (`Айрапетов` -> `airapetov`, as `import
    --romanise` writes the name), the rest by anyascii, so ids stay typeable."""
    from anyascii import anyascii

    if not text.isascii():
        from farchron.model.romanise import cyrillic, has_cyrillic, has_han, has_kana

        if has_cyrillic(text):
            text = cyrillic(text)
        # a name already romanised ("Sanbōhonbu") is no text for pykakasi to read
        if (japanese and (has_kana(text) or has_han(text))) \
                or (japanese is None and has_kana(text)):
            from farchron.model.romanise import japanese as reading

            text = reading(text, macrons=False)
    ascii_text = anyascii(text).lower().replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-") or "untitled"


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: the year-suffix letters of author-date styles."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def unique_id(base: str, taken: Iterable[str] | Callable[[str], bool],
              letters: bool = False) -> str:
    """`base`, or the first of `base-2`, `base-3`... (`base-a`, `base-b`... with letters)
    that is not taken."""
    # A set (or dict) is asked as it is: copying it for each new id made an import of n
    # records cost n * n (80k RIS records: 126 s).
    if callable(taken):
        is_taken = taken
    elif isinstance(taken, (set, frozenset, dict)):
        is_taken = taken.__contains__
    else:
        is_taken = set(taken).__contains__
    if not is_taken(base):
        return base
    n = 1 if letters else 2
    while True:
        cand = f"{base}-{_letters(n) if letters else n}"
        if not is_taken(cand):
            return cand
        n += 1


class FreshIds:
    """unique_id for many new ids drawn against one growing set (an import): it remembers
    where each base's search stopped, so k records sharing a base ("family-year") cost k
    steps, not k * k / 2. The caller adds each id it is given to `taken`."""

    def __init__(self, taken: set[str] | Callable[[str], bool]) -> None:
        self.is_taken = taken if callable(taken) else taken.__contains__
        self.next: dict[tuple[str, bool], int] = {}

    def __call__(self, base: str, letters: bool = False) -> str:
        key = (base, letters)
        n = self.next.get(key)
        if n is None:
            if not self.is_taken(base):
                return base
            n = 1 if letters else 2
        while True:
            cand = f"{base}-{_letters(n) if letters else n}"
            if not self.is_taken(cand):
                self.next[key] = n + 1
                return cand
            n += 1
