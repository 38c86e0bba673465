"""`farchron date`: one date in every form and calendar."""

from __future__ import annotations

from collections.abc import Sequence

import click


@click.command()
@click.argument("text", nargs=-1, required=True, metavar="TEXT...")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True)
def date(text: Sequence[str], fmt: str) -> None:
    """One date in every form and calendar: EDTF, bounds, Julian, Japanese era, Minguo.

    TEXT is a date as people write it (the words may be given unquoted): EDTF
    (1939-08-23, 1944-23), 23 Aug 1939, August 23, 1939, summer 1945, 1939–1941,
    c. 1933, 1930s, early 1930s, 216 BC, 3rd century BC, 20 Dec 1904 OS (Old Style,
    Julian), Shōwa 14, S14, 昭和14年8月23日, 令和元年, 民國28年. A date it cannot read
    is exit 2, with the nearest form it can.

    \b
    Examples:
      farchron date 昭和14年8月23日
      farchron date 20 Dec 1904 OS
      farchron date summer 1945 -f json | jq .start
    """
    from farchron.dates.edtf import DateError
    from farchron.dates.written import describe, parse_human
    from farchron.errors import UsageError
    from farchron.render import listings

    try:
        found = parse_human(" ".join(text))
    except DateError as exc:
        raise UsageError(str(exc)) from None
    listings.write_date(fmt.lower(), describe(found))
