"""The facts about a work that citations and exports share: names, their order, the year.

cite.py (Chicago notes) and export.py (BibTeX, CSL-JSON, RIS) both read these, so a
name splits and a year reads the same way in a footnote and in a .bib file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from farchron.model.records import Source

#: Languages whose personal names are printed family name first (Tomita Takeshi).
FAMILY_FIRST_LANGS = frozenset({"ja", "zh", "ko"})
INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ]\.\s*-?)+$")


def split_name(name: str) -> tuple[str, str] | None:
    """("Family", "Given") for "Family, Given"; None for a corporate name."""
    if "," not in name:
        return None
    family, given = (p.strip() for p in name.split(",", 1))
    if len(family.split()) > 3 or len(given.split()) > 4:  # "Office of War Study..., Agency"
        return None
    return family, given


#: A name list may end with "et al." where the work prints it ("ed. Matsudo Kiyohiro et al.").
ET_AL = frozenset({"et al.", "et al", "others"})


def names(source: Source, key: str) -> tuple[str, ...]:
    """Names in Latin script where a romanised form exists (Chicago transliterates).

    A trailing "et al." is not a name: see et_al().
    """
    return tuple(n for n in (source.get(f"{key}-romanised") or source.get(key) or ())
                 if n.strip().lower() not in ET_AL)


def et_al(source: Source, key: str) -> bool:
    """Whether the list of `key` ends with "et al." as printed (more names than given)."""
    given: tuple[str, ...] = tuple(source.get(f"{key}-romanised") or source.get(key) or ())
    return bool(given) and given[-1].strip().lower() in ET_AL


def romanised(source: Source, key: str) -> str | None:
    """A field in Latin script where the ledger gives one (publisher, publisher-place)."""
    value = source.get(f"{key}-romanised") or source.get(key)
    return str(value) if value else None


def year_text(source: Source) -> str:
    """The year of `issued` as written ("1939", "-0215"), else `issued` itself, or ""."""
    issued = source.issued or ""
    m = re.match(r"-?\d{4}", issued)
    return m.group(0) if m else issued


def year(source: Source) -> int | None:
    """The year of `issued` as a number, if it has one."""
    m = re.match(r"(-?\d{4})", source.issued or "")
    return int(m.group(1)) if m else None


def is_family_first(given: str, source: Source) -> bool:
    """East Asian order for East Asian works, as the paper prints them.

    Authors of a Japanese-language work (not a translation) are printed family
    name first ("Tomita Takeshi"); names with initials ("A. V. Torkunov") are
    Western names and keep Western order, as the paper prints them too.
    """
    return (source.get("language") in FAMILY_FIRST_LANGS and not INITIALS.match(given))


def east_asian_names(sources: Iterable[Source]) -> frozenset[str]:
    """People who write in Japanese, Chinese or Korean keep family-first order in every work.

    The paper prints "Hanada Tomoyuki" for his English articles too, so the order
    belongs to the person, not to the language of one work.
    """
    return frozenset(
        n for s in sources if s.get("language") in FAMILY_FIRST_LANGS
        and not s.get("translators")  # the authors of a translation wrote in another language
        for key in ("authors", "editors") for n in names(s, key)
        if (p := split_name(n)) is not None and p[1] and not INITIALS.match(p[1])
    )


def display_name(name: str, source: Source, *, translator: bool = False,
                 family_first: frozenset[str] = frozenset()) -> str:
    """One name as a note prints it: "Paul Kennedy", "Tomita Takeshi", "G. F. Krivosheev"."""
    parts = split_name(name)
    if parts is None:
        return name
    family, given = parts
    if not given:
        return family
    if name in family_first:
        return f"{family} {given}"
    if translator and source.get("language") in FAMILY_FIRST_LANGS \
            and not INITIALS.match(given):
        return f"{family} {given}"  # the translators of a Japanese edition are Japanese
    if not translator and not source.get("translators") and is_family_first(given, source):
        return f"{family} {given}"
    return f"{given} {family}"


def family_name(name: str) -> str:
    parts = split_name(name)
    return name if parts is None else parts[0]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def date_parts(source: Source) -> list[int]:
    """[year], [year, month] or [year, month, day] of `issued` as far as it goes
    (CSL-JSON `date-parts`; a newspaper keeps its day)."""
    m = re.match(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?![\d~?%X])", source.issued or "")
    if not m:
        return []
    out = [int(m.group(1))]
    for g in (m.group(2), m.group(3)):
        if g is None or not 1 <= int(g) <= (12 if len(out) == 1 else 31):
            break
        out.append(int(g))
    return out


def date_text(source: Source) -> str:
    """`issued` as Chicago writes a full date: "August 3, 1918", "August 1918", "1918"."""
    parts = date_parts(source)
    if len(parts) == 3:
        return f"{_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return year_text(source)
