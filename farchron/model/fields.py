"""The fields of each record kind, ONE list per kind, in the order a record is written.

The checker knows a field by these lists, the importers and `add` write fields in this
order, the cache keys on them and the JSON Schemas are tested against them: two lists
kept in step by hand once let `import` drop two fields.
"""

from __future__ import annotations

from farchron.dates.names import GREGORIAN, JULIAN

#: An [[event]]'s fields, in the order `add` and `import` write them.
EVENT_FIELDS = (
    "id", "title", "date", "calendar", "date-as-printed", "part-of", "summary",
    "aliases", "tags", "actors", "places", "citations", "other-dates",
)
#: A citation's fields (an event's, a note's, an other-date's evidence).
CITATION_FIELDS = ("source", "note", "pages", "section")
#: An entry of an event's `other-dates`: a date and its evidence, or its basis.
OTHER_DATE_FIELDS = ("date", "source", "note", "pages", "section", "basis", "calendar")
#: A [[note]]'s fields.
NOTE_FIELDS = ("number", "text", "citations", "date-as-printed")
#: A [[source]]'s fields: CSL-JSON variables in kebab case, plus the romanised name lists
#: the paper needs, in the order a work is written.
SOURCE_FIELDS = (
    "id", "type", "authors", "authors-romanised", "editors", "editors-romanised",
    "translators", "translators-romanised", "title", "original-title", "translated-title",
    "short-title", "container-title", "container-original-title",
    "container-translated-title", "collection-title", "collection-number", "volume",
    "issue", "number", "page", "edition", "publisher", "publisher-romanised",
    "publisher-place", "publisher-place-romanised", "genre", "section", "issued",
    "language", "archive", "archive-romanised", "archive-place", "archive-location",
    "original-work-title", "url", "doi", "isbn", "note",
)
#: The source fields that hold lists of names.
SOURCE_LIST_FIELDS = frozenset(
    {"authors", "authors-romanised", "editors", "editors-romanised", "translators",
     "translators-romanised"}
)
#: The values of an event's (or an other-date's) `calendar` field.
CALENDARS = (GREGORIAN, JULIAN)
