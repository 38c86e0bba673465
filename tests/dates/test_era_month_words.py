"""No Japanese era before 1830 is named like a month or season word, so era_by_name may
answer None for those without building the table of eras (issue 28)."""

from __future__ import annotations

from farchron.dates.calendars import japanese
from farchron.dates.names import MONTHS, SEASON_WORDS


def test_no_premodern_era_is_named_like_a_month_or_season():
    eras = set(japanese._premodern_names())
    words = {japanese._fold(w) for w in (*MONTHS, *SEASON_WORDS)}
    assert len(eras) > 400 and len(words) > 50
    assert eras.isdisjoint(words)


def test_eras_and_months_are_read_as_before():
    assert japanese.era_by_name("Shōtoku") is not None and japanese.era_by_name("正徳")
    assert japanese.era_by_name("Genroku") is not None
    for w in ("May", "mai", "Май", "winter", "Sept"):
        assert japanese.era_by_name(w) is None, w
