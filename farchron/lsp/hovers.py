"""Hover texts (Markdown): a date in every form and calendar, an event with its evidence,
a work as Chicago cites it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from farchron.lsp.state import LedgerState
    from farchron.model.records import Event, Source


def _md(text: str) -> str:
    """Data text shown literally: Markdown specials escaped, controls dropped."""
    from farchron.text import clean

    out = clean(str(text))
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def describe_date(text: str, edtf: str | None = None) -> dict[str, Any] | None:
    """`farchron date`'s reading of `text`, else of the EDTF it was resolved to."""
    from farchron.dates.edtf import DateError
    from farchron.dates.written import HumanDate, describe, parse_human

    for attempt in (text, edtf):
        if not attempt:
            continue
        try:
            got = parse_human(attempt)
            if got.needs_context:
                continue
            d = describe(got)
            if attempt is edtf and edtf != text:
                before = str(d.get("note") or "")
                d["note"] = (before + "; " if before else "") + f"read from context as {edtf}"
            return d
        except (DateError, ValueError):
            continue
    if edtf:
        try:
            return describe(HumanDate(text=text, edtf=edtf, gregorian=edtf))
        except (DateError, ValueError):
            return None
    return None


def date_lines(d: dict[str, Any]) -> list[str]:
    """A date's forms, one Markdown line each (empty forms left out)."""
    rows = [("EDTF", d.get("edtf")), ("Gregorian", d.get("gregorian")
                                      if d.get("gregorian") != d.get("edtf") else ""),
            ("bounds", f"{d.get('start') or '..'} to {d.get('end') or '..'}"),
            ("reads", d.get("display")), ("Julian", d.get("julian")),
            ("Japanese era", " / ".join(x for x in (d.get("japanese"), d.get("japanese_kanji"))
                                        if x)),
            ("Minguo", " / ".join(x for x in (d.get("minguo"), d.get("minguo_hanzi")) if x)),
            ("note", d.get("note"))]
    return [f"- {k}: `{v}`" if k in ("EDTF", "Gregorian", "bounds") else f"- {k}: {_md(v)}"
            for k, v in rows if v]


def date_hover(text: str, edtf: str | None = None) -> str:
    d = describe_date(text, edtf)
    if d is None:
        return f"**{_md(text)}**: not a date farchron can read"
    return "\n".join([f"**{_md(text)}**", "", *date_lines(d)])


def short_notes(state: LedgerState, e: Event) -> list[str]:
    """The event's citations as Chicago short notes ("Hata, *Nomonhan*, 347."); a note of
    the paper is resolved to the works it cites."""
    from farchron.cite.chicago import locator, short_note
    from farchron.cite.typeset import markdown

    out: list[str] = []
    for cit in e.citations:
        try:
            resolved = state.notes.resolve(cit)
        except Exception:
            resolved = []
        lead = f"note {cit.note}: " if cit.note is not None else ""
        texts = []
        for r in resolved or [cit]:
            src = state.sources.get(r.source or "")
            texts.append(markdown(short_note(src, locator(r))) if src is not None
                         else _md(r.source or f"note {cit.note}"))
        line = lead + " ".join(texts)
        if line not in out:
            out.append(line)
    return out


def event_hover(state: LedgerState, e: Event, heading: str = "") -> str:
    """An event: title, id, date, summary, citations as short notes, other dates."""
    parts = [heading] if heading else []
    parts += [f"**{_md(e.title)}** (`{e.id}`)", "", f"{_md(e.date.display())} — `{e.date.text}`"]
    if getattr(e, "date_as_printed", ""):
        parts.append(f"as printed: {_md(e.date_as_printed)}")
    if e.summary:
        parts += ["", _md(e.summary)]
    notes = short_notes(state, e)
    if notes:
        parts += ["", "Cited:"] + [f"- {n}" for n in notes]
    others = getattr(e, "other_dates", ()) or ()
    if others:
        parts += ["", "Other dates:"]
        for o in others:
            parts.append(f"- {_md(o.date.display())} (`{o.date.text}`): {_md(o.evidence)}")
    if e.part_of:
        parts += ["", f"Part of `{e.part_of}`"]
    return "\n".join(parts)


def source_hover(state: LedgerState, s: Source, locator: str = "") -> str:
    """A work as a full Chicago note, with its id and type."""
    from farchron.cite.chicago import full_note
    from farchron.cite.typeset import markdown
    from farchron.model.records import Citation

    loc = ""
    if locator:
        from farchron.cite.chicago import locator as loc_of

        loc = loc_of(Citation(source=s.id, pages=locator))
    note = markdown(full_note(s, loc, state.notes.family_first))
    return f"{note}\n\n`{s.id}` ({_md(s.type)})"


def claim_hover(state: LedgerState, found: str, claim: Any, finding: Any) -> str:
    """A date of a draft: how it reads, and the event its sentence names."""
    parts = [date_hover(found, claim.date.text)]
    if finding is not None:
        parts += ["", f"*{_md(finding.severity)}* `{finding.code}`: {_md(finding.message)}"]
    e = claim.event
    if e is not None:
        verdict = {"ok": "agrees with", "contradiction": "contradicts",
                   "other-date": "gives another source's date for"}.get(claim.verdict, "names")
        parts += ["", "---", "", event_hover(state, e, f"This date {verdict}:")]
    return "\n".join(parts)
