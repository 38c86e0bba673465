"""`farchron audit`: a draft's dated claims checked against the ledger."""

from __future__ import annotations

import sys

import click

from farchron.cli.app import App, pass_app


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True,
              help="text: one FILE:LINE:COL: message per line; json: one array of objects.")
@click.option("--min-score", type=click.FloatRange(0, 100), default=70.0, show_default=True,
              metavar="N",
              help="How well (0-100) a sentence must name an event before a date that fits "
                   "none of its events counts as contradicting it.")
@click.option("--calendar", "calendar", type=click.Choice(["julian", "gregorian"],
              case_sensitive=False), default=None,
              help="The draft's convention for unmarked dates: julian (Old Style) before "
                   "--until, or gregorian. Default: what the draft says (front matter "
                   "'farchron-calendar: julian', or a sentence such as 'dates before "
                   "February 1918 are Old Style'), else gregorian.")
@click.option("--until", "until", metavar="DATE", default=None,
              help="With --calendar julian: unmarked dates before DATE are Old Style "
                   "[default: 14 Feb 1918, when Russia changed calendars].")
@click.option("--max-size", "max_size", metavar="BYTES", default="20MB", show_default=True,
              help="Refuse drafts larger than this (e.g. 500KB, 50MB).")
@pass_app
def audit(app: App, files: tuple[str, ...], fmt: str, min_score: float,
          calendar: str | None, until: str | None, max_size: str) -> None:
    """Check a draft's dates against the ledger: each dated claim and the event it is about.

    \b
    Reads Markdown (.md and anything else), plain text (.txt), stdin (-), or .docx
    and .odt through pandoc when it is installed. Every date expression is read
    (23 August 1939, August 1939, 1939, "on July 17" and "the same day" resolved
    against the dates before them), tied to the event its sentence names, and
    compared with the ledger's date. One line a finding, FILE:LINE:COL: as check:
    an error where the draft contradicts the ledger, a warning where it gives a
    date other sources give, info for a dated passage that matches no event. A
    summary goes to stderr. Exit status: 0 no errors or warnings, 1 some, 2 a
    file could not be read.

    \b
    \b
    Old Style: a date marked O.S. is read in the Julian calendar. An unmarked date that
    fits the event only as its Old Style date is a warning (mark it O.S.), never an
    error; with --calendar julian (or the draft's own convention) unmarked dates before
    --until are read as Old Style. Era years (Meiji 38, 明治38年, Minguo 28), Cyrillic
    and CJK dates are read as `farchron date` reads them. Headings are not claims;
    footnotes, endnotes and a bibliography are read apart from the text.

    \b
    Examples:
      farchron audit chapter3.md
      farchron audit chapter3.docx --calendar julian --until 1918-02-14
      farchron audit draft.md -f json | jq '.[] | select(.severity == "error")'
    """
    from farchron.audit import compare as core
    from farchron.audit.document import UnreadableDraft, read_draft
    from farchron.cli.stdio import say
    from farchron.render import problems

    limit = _size(max_size)
    until_ymd = None
    if until is not None:
        from farchron.dates.edtf import DateError
        from farchron.dates.written import parse_human

        try:
            until_ymd = parse_human(until).date().start
        except DateError as exc:
            raise click.BadParameter(str(exc), param_hint="--until") from None
    ledger = app.ledger
    matcher = core.cached_matcher(ledger, app.event_index, app.use_cache)
    scanner = core.default_scanner()
    findings: list[core.Finding] = []
    claims = read = unreadable = 0
    for name in files:
        try:
            text, markdown = read_draft(
                name, sys.stdin.buffer.read(limit + 1) if name == "-" else None, limit)
        except UnreadableDraft as exc:
            say(str(exc))
            unreadable += 1
            continue
        got, found = core.audit_text(text, "<stdin>" if name == "-" else name, ledger.events,
                                     None, scanner, markdown=markdown, min_score=min_score,
                                     matcher=matcher, calendar=calendar and calendar.lower(),
                                     until=until_ymd)
        read += 1
        claims += len(got)
        findings += found
    problems.write_findings(fmt.lower(), findings)
    sys.stdout.flush()  # the list first, then the summary, when both reach one terminal
    say(problems.audit_summary(findings, claims, read, unreadable))
    if unreadable:
        raise click.exceptions.Exit(2)
    if any(f.severity in ("error", "warning") for f in findings):
        raise click.exceptions.Exit(1)


_UNITS = {"": 1, "B": 1, "KB": 1000, "K": 1000, "MB": 1000**2, "M": 1000**2, "GB": 1000**3,
          "G": 1000**3}


def _size(text: str) -> int:
    """'20MB', '500KB', '1000000' -> bytes; a usage error otherwise."""
    import re

    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not m or m.group(2).upper() not in _UNITS or float(m.group(1)) <= 0:
        raise click.BadParameter(f"'{text}' is not a size (e.g. 20MB, 500KB, 1000000)",
                                 param_hint="--max-size")
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])
