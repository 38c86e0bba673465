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
@pass_app
def audit(app: App, files: tuple[str, ...], fmt: str, min_score: float) -> None:
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
    Examples:
      farchron audit chapter3.md
      pandoc -t plain draft.docx | farchron audit -
      farchron audit draft.md -f json | jq '.[] | select(.severity == "error")'
    """
    from farchron.audit import compare as core
    from farchron.audit.document import UnreadableDraft, read_draft
    from farchron.cli.stdio import say
    from farchron.render import problems

    ledger = app.ledger
    index = app.event_index()
    matcher = core.cached_matcher(ledger, index, app.use_cache)
    scanner = core.default_scanner()
    findings: list[core.Finding] = []
    claims = read = unreadable = 0
    for name in files:
        try:
            text, markdown = read_draft(name, sys.stdin.buffer.read() if name == "-" else None)
        except UnreadableDraft as exc:
            say(str(exc))
            unreadable += 1
            continue
        got, found = core.audit_text(text, "<stdin>" if name == "-" else name, ledger.events,
                                     index, scanner, markdown=markdown, min_score=min_score,
                                     matcher=matcher)
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
