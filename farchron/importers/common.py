"""What every reader shares: the Record a reader returns, field orders, and the small
text and date helpers (EDTF from what a file gives, names, normalising for duplicates)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from farchron.dates.names import GREGORIAN, JULIAN
from farchron.dates.names import MONTHS as NAMED_MONTHS
from farchron.model.csl import CSL_TYPES
from farchron.model.fields import EVENT_FIELDS as EVENT_ORDER
from farchron.model.fields import SOURCE_FIELDS as SOURCE_ORDER
from farchron.model.ids import ID_RE

__all__ = ["CSL_TYPES", "EVENT_ORDER", "ID_RE", "SOURCE_KEYS", "SOURCE_ORDER",
           "ImportFormatError", "Read", "Record", "RowError"]

SOURCE_KEYS = frozenset(SOURCE_ORDER)


class Record:
    """One record read from a file: a work, an event, or a numbered note."""

    __slots__ = ("fields", "key", "kind", "line")

    def __init__(self, kind: str, fields: dict[str, Any], line: int,
                 key: str | None = None) -> None:
        self.kind = kind  # "source", "event" or "note"
        self.fields = fields  # farchron field names; "id" only where the input gave one
        self.line = line  # 1-based line of the record in its input
        self.key = key  # the input's own key (citekey, id), kept for messages and ids

    def __repr__(self) -> str:
        return f"Record({self.kind!r}, {self.fields!r}, line={self.line})"


class RowError:
    """Something in the input that cannot become a record, at its line."""

    __slots__ = ("line", "message")

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message

    def __repr__(self) -> str:
        return f"RowError({self.line}, {self.message!r})"


Read = tuple[list[Record], list[RowError]]


class ImportFormatError(ValueError):
    """The input is not in the format asked for at all (not one bad row: the whole)."""



def clean(value: Any) -> str:
    """One line of text: whitespace runs (newlines from wrapped fields) to one space."""
    return " ".join(str(value).split())


def ordered(fields: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """The fields in farchron's order, empty ones dropped (a DOI without its resolver)."""
    if isinstance(fields.get("doi"), str):
        fields = {**fields, "doi": re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "",
                                         fields["doi"].strip(), flags=re.IGNORECASE)}
    out = {k: fields[k] for k in order if k in fields and fields[k] not in (None, "", [])}
    out.update((k, v) for k, v in fields.items() if k not in out and v not in (None, "", []))
    return out


_CJK: dict[str, bool] = {}  # per character: looking names up was a tenth of an import


def is_cjk(text: str) -> bool:
    if text.isascii():
        return False
    for c in text:
        hit = _CJK.get(c)
        if hit is None:
            hit = _CJK[c] = unicodedata.name(c, "").startswith(
                ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
        if hit:
            return True
    return False


def edtf(text: str) -> str | None:
    """The (Gregorian) EDTF for a date as a file gives it (EDTF, or a form people write),
    or None."""
    found = edtf_calendar(text)
    if found is None:
        return None
    date, calendar = found
    if calendar == JULIAN:
        from farchron.dates.written import parse_human

        return parse_human(text.strip()).gregorian or None
    return date


def edtf_calendar(text: str) -> tuple[str, str] | None:
    """(EDTF as written, calendar) for a date as a file gives it, or None: "20 Dec 1904
    OS" is ("1904-12-20", "julian"), as the ledger stores it; anything else "gregorian"."""
    from farchron.dates import edtf as dates

    text = text.strip()
    if not text:
        return None
    try:
        dates.parse(text)
        return text, GREGORIAN
    except dates.DateError:
        pass
    try:
        from farchron.dates.written import parse_human
    except ImportError:  # a build without issue 12's reader: EDTF only
        return None
    try:
        parsed = parse_human(text)
    except (dates.DateError, ValueError):
        return None
    if not parsed.edtf:
        return None  # "the 17th": no year
    return parsed.edtf, parsed.calendar


def ymd(parts: Sequence[Any]) -> str | None:
    """[1905, 5, 27] -> "1905-05-27"; [1905] -> "1905"."""
    try:
        nums = [int(p) for p in parts if str(p).strip() != ""]
    except (TypeError, ValueError):
        return None
    if not nums:
        return None
    y = nums[0]
    out = f"-{abs(y):04d}" if y < 0 else f"{y:04d}"
    for n in nums[1:3]:
        out += f"-{n:02d}"
    return out


#: Three-letter English month words (BibTeX `month = jan`, RIS dates), from dates/names.py.
MONTHS = {m: n for m, n in NAMED_MONTHS.items() if len(m) == 3 and m.isascii()}


def year_month(year: str, month: str = "") -> str | None:
    year = year.strip()
    m = re.fullmatch(r"(-?\d{1,4})", year)
    if not m:
        return edtf(year)
    out = ymd([int(m.group(1))])
    month = month.strip().lower()[:3]
    if out and month:
        num = MONTHS.get(month) or (int(month) if month.isdigit() else None)
        if num and 1 <= num <= 12:
            out += f"-{num:02d}"
    return out


def family_of(name: str) -> str:
    """The family name of a "Family, Given" string (a literal name is all family)."""
    return name.split(",", 1)[0].strip()


def particle_free(family: str) -> str:
    """`van Gogh` -> `Gogh`: lowercase particles are not part of the id."""
    words = family.split()
    while len(words) > 1 and words[0][:1].islower():
        words.pop(0)
    return " ".join(words)


def normalise(text: str) -> str:
    """For duplicate detection: accents, case, punctuation and spacing ignored."""
    from anyascii import anyascii

    text = unicodedata.normalize("NFKC", text).casefold()
    if not is_cjk(text):
        text = anyascii(text).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


#: Text fields `import --romanise` writes in Latin letters, and where the original goes
#: (None: the field is romanised where it stands).
_ROMANISED = (("title", "original-title"), ("container-title", "container-original-title"),
              ("publisher", None), ("publisher-place", None), ("archive", None),
              ("short-title", None))
_ROMANISED_BESIDE = {"publisher": "publisher-romanised", "archive": "archive-romanised",
                     "publisher-place": "publisher-place-romanised"}


def romanise(fields: dict[str, Any]) -> dict[str, Any]:
    """A work as `import --romanise` writes it: a non-Latin title moved to `original-title`
    and its romanisation (ALA-LC Russian, Hepburn Japanese) in `title`; the same for the
    container; names, publisher, its place and archive romanised beside the original."""
    from farchron.model.romanise import is_latin, japanese_work, romanised_name, romanised_title

    out = dict(fields)
    japanese = japanese_work(fields)
    for key, original in _ROMANISED:
        value = out.get(key)
        if not isinstance(value, str) or is_latin(value):
            continue
        latin = romanised_title(value, japanese)
        if original is not None:
            out.setdefault(original, value)
            out[key] = latin
        elif key in _ROMANISED_BESIDE:
            out.setdefault(_ROMANISED_BESIDE[key], latin)
        else:
            out[key] = latin
    for key in ("authors", "editors", "translators"):
        names = out.get(key)
        if names and not all(is_latin(n) for n in names):
            out.setdefault(f"{key}-romanised", [romanised_name(n, japanese) for n in names])
    return out
