"""The draft auditor: paragraph by paragraph, it finds what `audit` finds on the whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from farchron.audit import compare as audit
from farchron.lsp.drafts import DraftAuditor, citation_keys
from farchron.lsp.positions import Lines
from farchron.lsp.state import LedgerState

ROOT = Path(__file__).resolve().parent.parent.parent
PAPER = ROOT.parent / "shared" / "seed" / "soviet-far-eastern-strategy.md"
DRAFTS = [ROOT / "tests" / "fixtures" / "audit" / "draft.md"] + (
    [PAPER] if PAPER.is_file() else [])


@pytest.fixture(scope="module")
def state() -> LedgerState:
    st = LedgerState(ROOT, use_cache=False)
    st.load()
    return st


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.name)
def test_same_findings_as_audit(state: LedgerState, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _, whole = audit.audit_text(text, "d", state.events, state.index, audit.default_scanner(),
                                matcher=state.matcher)
    auditor = DraftAuditor(state)
    lines = Lines(text, "utf-32")
    mine = []
    for loc in auditor.audit(text):
        if loc.finding is not None:
            line, col = lines.position(loc.start)
            mine.append((line + 1, col + 1, loc.finding.code, loc.finding.message))
    assert sorted(mine) == sorted((f.line, f.column, f.code, f.message) for f in whole)
    assert whole  # the fixture draft has altered dates


def test_an_edit_reaudits_only_its_paragraph(state: LedgerState) -> None:
    text = DRAFTS[0].read_text(encoding="utf-8")
    auditor = DraftAuditor(state)
    auditor.audit(text)
    before = auditor.audited
    auditor.audit(text.replace("18 September 1932", "18 September 1931", 1))
    assert 1 <= auditor.audited - before <= 2


def test_citation_keys() -> None:
    keys = citation_keys("As [@hata-2014, 347; -@krivosheev-2010] and [see @a_b p. 3]. x@y.z")
    assert [(k.id, k.locator) for k in keys] == [("hata-2014", "347"),
                                                  ("krivosheev-2010", ""), ("a_b", "p. 3")]


def test_the_server_parses_in_one_process():
    """The server has threads: a parse worker forked from it could inherit a lock another
    thread holds and hang (a 100k-event ledger never loaded). main() asks for one process."""
    import inspect

    from farchron import settings
    from farchron.lsp import server

    assert "settings.one_process()" in inspect.getsource(server.main)
    saved = list(settings._ONE_PROCESS)
    try:
        settings.one_process()
        assert settings.workers() == 1
    finally:
        settings._ONE_PROCESS[:] = saved
