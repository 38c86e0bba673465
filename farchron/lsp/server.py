"""The pygls wiring of `farchron lsp`: one LanguageServer, features that call drafts.py,
hovers.py, actions.py and ledgerfiles.py. Audits and ledger loads run one at a time on a
worker thread, so requests (hover, completion) are answered while a draft is audited."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer

from farchron import __version__
from farchron.lsp import actions, hovers, ledgerfiles
from farchron.lsp.drafts import Draft, DraftAuditor, citation_keys
from farchron.lsp.positions import Lines
from farchron.lsp.state import LEDGER_FILES, LedgerState, choose_data_dir

#: Seconds after the last keystroke before a draft is audited again.
DEBOUNCE = 0.15
#: Seconds between looks at the ledger files' stamps (for clients that do not watch files).
POLL = 2.0
SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
TOML_IDS = ("toml",)
PLAIN_IDS = ("plaintext", "text", "txt")

log = logging.getLogger("farchron.lsp")


def uri_path(uri: str) -> Path | None:
    p = urlparse(uri)
    if p.scheme != "file":
        return None
    return Path(unquote(p.path))


class FarchronServer(LanguageServer):
    """The server's state: the ledger, open drafts, pending audits."""

    def __init__(self) -> None:
        super().__init__("farchron", __version__)
        self.data_option: str | None = None
        self.data_default: str | None = None  # --data
        self.workspace_root: str | None = None
        self.state: LedgerState | None = None
        self.auditor: DraftAuditor | None = None
        self.drafts: dict[str, Draft] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.worker = concurrent.futures.ThreadPoolExecutor(1, "farchron-lsp")
        self.poller: asyncio.Task[None] | None = None
        self.lock = threading.Lock()

    # ------------------------------------------------------------------ helpers

    def encoding(self) -> str:
        enc = self.workspace.position_encoding if self.protocol.workspace else None
        return str(getattr(enc, "value", enc) or "utf-16")

    def text_of(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    def ledger_name(self, uri: str) -> str | None:
        """The path in the ledger folder of a ledger file (a main file, or a part its
        `include` names), else None."""
        p = uri_path(uri)
        if p is None or p.suffix != ".toml":
            return None
        state = self.ensure_state()
        try:
            rel = p.resolve().relative_to(state.data_dir.resolve()).as_posix()
        except ValueError:
            return p.name if p.name in LEDGER_FILES else None
        return rel if rel in state.names else None

    def in_ledger_folder(self, uri: str) -> bool:
        """A .toml file inside the ledger folder: a ledger file, or a part not yet read."""
        p = uri_path(uri)
        if p is None or p.suffix != ".toml":
            return False
        if self.state is None:
            return p.name in LEDGER_FILES
        return p.resolve().is_relative_to(self.state.data_dir.resolve())

    def is_ledger_file(self, uri: str) -> bool:
        return self.ledger_name(uri) is not None

    def ledger_uri(self, name: str) -> str:
        assert self.state is not None
        return (self.state.data_dir / name).resolve().as_uri()

    def ensure_state(self) -> LedgerState:
        with self.lock:  # the first load: once, and seen only when done
            if self.state is None:
                state = LedgerState(choose_data_dir(self.data_option or self.data_default,
                                                    self.workspace_root))
                state.load()
                self.auditor = DraftAuditor(state)
                self.state = state
        return self.state

    async def in_worker(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    # ------------------------------------------------------------------ drafts

    def _audit(self, uri: str, text: str, markdown: bool) -> list[T.Diagnostic]:
        """On the worker: audit, then the diagnostics (claims kept on the Draft)."""
        state = self.ensure_state()
        assert self.auditor is not None
        draft = self.drafts.get(uri)
        located = self.auditor.audit(text, markdown)
        lines = Lines(text, self.encoding())
        diags = []
        for loc in located:
            f = loc.finding
            if f is None:
                continue
            diags.append(T.Diagnostic(range=_range(lines, loc.start, loc.end),
                                      message=f.message, severity=SEVERITY[f.severity],
                                      code=f.code, source="farchron",
                                      data={"event": f.event, "found": f.found,
                                            "expected": f.expected}))
        keys = citation_keys(text)
        for k in keys:
            if k.id in state.sources or state.event(k.id) is not None:
                continue
            from farchron.query.search import nearest

            near = nearest(k.id, [*state.event_ids(), *state.sources], 3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            diags.append(T.Diagnostic(range=_range(lines, k.start, k.end),
                                      message=f"unknown key '@{k.id}': no event or work has "
                                              f"this id{hint}",
                                      severity=T.DiagnosticSeverity.Warning,
                                      code="unknown-key", source="farchron"))
        if len(text) > 4_000_000:
            diags.append(T.Diagnostic(range=_range(lines, 0, 0), severity=T.DiagnosticSeverity
                                      .Information, code="too-large", source="farchron",
                                      message="draft too large to audit in the editor: use "
                                              "farchron audit"))
        if state.ledger is None and state.problems:
            diags.append(T.Diagnostic(range=_range(lines, 0, 0),
                                      severity=T.DiagnosticSeverity.Warning,
                                      code="ledger-invalid", source="farchron",
                                      message=f"the ledger in {state.data_dir} does not load: "
                                              f"{state.problems[0]}"))
        if draft is not None and draft.text == text:
            draft.located, draft.lines = located, lines
        return diags

    async def audit_draft(self, uri: str, delay: float = 0.0) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            draft = self.drafts.get(uri)
            if draft is None:
                return
            text, version = draft.text, draft.version
            diags = await self.in_worker(self._audit, uri, text, draft.markdown)
            if self.drafts.get(uri) is draft and draft.text == text:
                self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
                    uri=uri, diagnostics=diags, version=version))
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # an audit must never stop the server
            log.exception("audit failed")
            self.window_log_message(T.LogMessageParams(T.MessageType.Error,
                                                       f"farchron: audit failed: {exc}"))

    def schedule(self, uri: str, delay: float) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(
            self.audit_draft(uri, delay))

    # ------------------------------------------------------------------ ledger files

    def _ledger_diagnostics(self, edited: dict[str, str]) -> dict[str, list[T.Diagnostic]]:
        """On the worker: problems of both ledger files, by uri; edited texts checked as
        they stand, else the loaded ledger's problems."""
        state = self.ensure_state()
        problems = (ledgerfiles.check_texts(state.data_dir, edited) if edited
                    else state.problems)
        files = state.files()
        out: dict[str, list[T.Diagnostic]] = {self.ledger_uri(n): [] for n in files}
        texts: dict[str, Lines] = {}
        root = state.data_dir.resolve()
        for p in problems:
            try:
                name = Path(p.file).resolve().relative_to(root).as_posix()
            except ValueError:
                continue
            if name not in files and name not in edited:
                continue
            uri = self.ledger_uri(name)
            if uri not in texts:
                try:
                    src = edited.get(name) or (state.data_dir / name).read_text(
                        "utf-8", errors="replace")
                except OSError:
                    src = ""
                texts[uri] = Lines(src, self.encoding())
            lines = texts[uri]
            ln = max((p.line or 1) - 1, 0)
            text = lines.line_text(ln)
            start = lines.starts[ln] + (max(p.column - 1, 0) if p.column else
                                        len(text) - len(text.lstrip()))
            end = lines.starts[ln] + len(text) if ln < len(lines.starts) else start
            out[uri].append(T.Diagnostic(range=_range(lines, start, max(end, start)),
                                         message=p.message, code=p.code, source="farchron",
                                         severity=SEVERITY.get(p.severity,
                                                               T.DiagnosticSeverity.Error)))
        return out

    async def publish_ledger(self, edited: dict[str, str] | None = None) -> None:
        try:
            out = await self.in_worker(self._ledger_diagnostics, edited or {})
            for uri, diags in out.items():
                self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
                    uri=uri, diagnostics=diags))
        except Exception as exc:
            log.exception("check failed")
            self.window_log_message(T.LogMessageParams(T.MessageType.Error,
                                                       f"farchron: check failed: {exc}"))

    async def reload(self) -> None:
        """The ledger again (files changed), then every open draft and the files' problems."""
        state = self.ensure_state()
        await self.in_worker(state.load)
        for uri, d in list(self.drafts.items()):
            if not d.uri.startswith("\0"):
                self.schedule(uri, 0.0)
        await self.publish_ledger()

    async def poll(self) -> None:
        while True:
            await asyncio.sleep(POLL)
            with contextlib.suppress(Exception):
                if self.state is not None and self.state.changed_on_disk():
                    await self.reload()


def _range(lines: Lines, start: int, end: int) -> T.Range:
    a, b = lines.position(start), lines.position(end)
    return T.Range(T.Position(*a), T.Position(*b))


def build() -> FarchronServer:
    """The server with its features registered."""
    ls = FarchronServer()

    @ls.feature(T.INITIALIZE)
    def initialize(ls: FarchronServer, params: T.InitializeParams) -> None:
        opts = params.initialization_options
        if isinstance(opts, dict) and isinstance(opts.get("data"), str):
            ls.data_option = opts["data"]
        folders = params.workspace_folders or []
        root = folders[0].uri if folders else params.root_uri
        if root:
            p = uri_path(root)
            ls.workspace_root = str(p) if p else None
        elif params.root_path:
            ls.workspace_root = params.root_path

    @ls.feature(T.INITIALIZED)
    async def initialized(ls: FarchronServer, params: T.InitializedParams) -> None:
        await ls.in_worker(ls.ensure_state)
        ls.poller = asyncio.get_running_loop().create_task(ls.poll())
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            with contextlib.suppress(Exception):
                await ls.client_register_capability_async(T.RegistrationParams(registrations=[
                    T.Registration(id="farchron-ledger-files",
                                   method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                   register_options=T.DidChangeWatchedFilesRegistrationOptions(
                                       watchers=[T.FileSystemWatcher(
                                           glob_pattern="**/*.toml")]))]))

    @ls.feature(T.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: FarchronServer, params: T.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        if ls.is_ledger_file(doc.uri) or doc.language_id in TOML_IDS:
            if ls.is_ledger_file(doc.uri):
                await ls.publish_ledger()
            return
        path = uri_path(doc.uri)
        markdown = not (doc.language_id in PLAIN_IDS
                        or (path is not None and path.suffix.lower() in (".txt", ".text")))
        ls.drafts[doc.uri] = Draft(doc.uri, doc.text, markdown, doc.version,
                                   keys=citation_keys(doc.text))
        ls.schedule(doc.uri, 0.0)

    @ls.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: FarchronServer, params: T.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        text = ls.text_of(uri)
        name = ls.ledger_name(uri)
        if name is not None:
            old = ls.pending.pop(uri, None)
            if old is not None:
                old.cancel()

            async def later() -> None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.sleep(DEBOUNCE * 3)
                    await ls.publish_ledger({name: text})
            ls.pending[uri] = asyncio.get_running_loop().create_task(later())
            return
        draft = ls.drafts.get(uri)
        if draft is None:
            return
        draft.text, draft.version = text, params.text_document.version
        draft.keys = citation_keys(text)
        ls.schedule(uri, DEBOUNCE)

    @ls.feature(T.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: FarchronServer, params: T.DidSaveTextDocumentParams) -> None:
        if ls.is_ledger_file(params.text_document.uri):
            await ls.reload()

    @ls.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FarchronServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.drafts.pop(uri, None)
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    @ls.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: FarchronServer, params: T.DidChangeWatchedFilesParams) -> None:
        if any(ls.in_ledger_folder(c.uri) for c in params.changes):
            await ls.reload()

    @ls.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: FarchronServer, params: T.HoverParams) -> T.Hover | None:
        uri = params.text_document.uri
        state = ls.ensure_state()
        text = ls.text_of(uri)
        lines = Lines(text, ls.encoding())
        off = lines.offset(params.position.line, params.position.character)
        if ls.is_ledger_file(uri):
            line = lines.line_text(params.position.line)
            col = off - lines.starts[min(params.position.line, len(lines.starts) - 1)]
            got = ledgerfiles.date_at(line, col)
            if got is None:
                return None
            julian = ledgerfiles.julian_record(text.split("\n"), params.position.line)
            return _hover(ledgerfiles.date_value_hover(got[0], julian), lines,
                          lines.starts[params.position.line] + got[1],
                          lines.starts[params.position.line] + got[2])
        draft = ls.drafts.get(uri)
        if draft is None:
            return None
        key = draft.key_at(off)
        if key is not None:
            e = state.event(key.id)
            if e is not None:
                return _hover(hovers.event_hover(state, e), lines, key.start, key.end)
            s = state.sources.get(key.id)
            if s is not None:
                return _hover(hovers.source_hover(state, s, key.locator), lines, key.start,
                              key.end)
            return None
        loc = draft.claim_at(off)
        if loc is None or draft.lines is None or draft.lines.text != text:
            return None
        return _hover(hovers.claim_hover(state, text[loc.start:loc.end], loc.claim,
                                         loc.finding), lines, loc.start, loc.end)

    @ls.feature(T.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: FarchronServer, params: T.DefinitionParams) -> T.Location | None:
        uri = params.text_document.uri
        draft = ls.drafts.get(uri)
        state = ls.ensure_state()
        if draft is None:
            return None
        lines = Lines(draft.text, ls.encoding())
        key = draft.key_at(lines.offset(params.position.line, params.position.character))
        if key is None:
            return None
        from farchron.authoring.operations import locate
        from farchron.errors import FarchronError

        try:
            name, line = locate(state.data_dir, key.id)
        except (FarchronError, OSError):
            return None
        pos = T.Position(line - 1, 0)
        return T.Location(uri=ls.ledger_uri(name), range=T.Range(pos, pos))

    @ls.feature(T.TEXT_DOCUMENT_COMPLETION,
                T.CompletionOptions(trigger_characters=["@", '"']))
    def completion(ls: FarchronServer, params: T.CompletionParams) -> T.CompletionList | None:
        uri = params.text_document.uri
        state = ls.ensure_state()
        text = ls.text_of(uri)
        lines = Lines(text, ls.encoding())
        ln = params.position.line
        off = lines.offset(ln, params.position.character)
        prefix = text[lines.starts[min(ln, len(lines.starts) - 1)]:off]
        if ls.is_ledger_file(uri):
            ctx = ledgerfiles.completion_context(prefix)
            if ctx is None:
                return None
            kind, word = ctx
            if kind == "tag":
                events_text = (ls.text_of(ls.ledger_uri("events.toml"))
                               if ls.ledger_name(uri) == "events.toml" else
                               _read(state.data_dir / "events.toml"))
                names = ledgerfiles.vocabulary(state, events_text)
                items = [T.CompletionItem(label=t, kind=T.CompletionItemKind.EnumMember)
                         for t in names]
            elif kind == "source":
                items = [_source_item(s, i) for i, s in enumerate(state.sources.values())]
            else:
                items = _event_items(state, word)
            rng = _range(lines, off - len(word), off)
            for it in items:
                it.text_edit = T.TextEdit(range=rng, new_text=it.label)
            return T.CompletionList(is_incomplete=kind == "event", items=items)
        m = re.search(r"\[[^\[\]\n]*?-?@([^\s\[\];,@]*)$", prefix)
        if m is None:
            return None
        word = m.group(1)
        items = _event_items(state, word) + _source_items(state, word)
        rng = _range(lines, off - len(word), off)
        for it in items:
            it.text_edit = T.TextEdit(range=rng, new_text=it.label)
            it.filter_text = word or it.label  # ranked here: the client keeps them all
        return T.CompletionList(is_incomplete=True, items=items)

    @ls.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
    def code_action(ls: FarchronServer, params: T.CodeActionParams
                    ) -> list[T.CodeAction] | None:
        uri = params.text_document.uri
        draft = ls.drafts.get(uri)
        state = ls.ensure_state()
        if draft is None or draft.lines is None or draft.lines.text != draft.text:
            return None
        lines = draft.lines
        a = lines.offset(params.range.start.line, params.range.start.character)
        b = lines.offset(params.range.end.line, params.range.end.character)
        out: list[T.CodeAction] = []
        for loc in draft.located:
            if loc.finding is None or loc.end < a or loc.start > b:
                continue
            rng = _range(lines, loc.start, loc.end)
            diag = [d for d in params.context.diagnostics if d.code == loc.finding.code]
            fix = actions.use_ledger_date(loc)
            if fix is not None:
                out.append(T.CodeAction(title=fix[0], kind=T.CodeActionKind.QuickFix,
                                        diagnostics=diag, is_preferred=True,
                                        edit=T.WorkspaceEdit(changes={uri: [
                                            T.TextEdit(range=rng, new_text=fix[1])]})))
            if loc.claim.verdict == "unmatched":
                ev_uri = ls.ledger_uri("events.toml")
                try:
                    ev_text = ls.text_of(ev_uri) if ev_uri in ls.workspace.text_documents \
                        else _read(state.data_dir / "events.toml")
                    got = actions.record_event(state, draft, loc, ev_text)
                except Exception:
                    log.exception("record event")
                    got = None
                if got is None:
                    continue
                title, _eid, _line, added = got
                ev_lines = Lines(ev_text, ls.encoding())
                end = _range(ev_lines, len(ev_text), len(ev_text))
                out.append(T.CodeAction(title=title, kind=T.CodeActionKind.QuickFix,
                                        diagnostics=diag,
                                        edit=T.WorkspaceEdit(changes={ev_uri: [
                                            T.TextEdit(range=end, new_text=added)]})))
        return out

    @ls.feature(T.SHUTDOWN)
    def shutdown(ls: FarchronServer, params: Any) -> None:
        for task in ls.pending.values():
            task.cancel()
        if ls.poller is not None:
            ls.poller.cancel()

    return ls


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _hover(text: str, lines: Lines, start: int, end: int) -> T.Hover:
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text),
                   range=_range(lines, start, end))


def _event_items(state: LedgerState, word: str, limit: int = 40) -> list[T.CompletionItem]:
    """Events for a partial key: ids starting with it first, then the fuzzy search on
    titles and aliases (any script: "khalkin" finds the Nomonhan Incident)."""
    ids: list[str] = []
    w = word.lower()
    if w:
        ids += [i for i in state.event_ids() if i.startswith(w)][:limit]
        for hit in state.index.search(word.replace("-", " "), limit=limit, min_score=50):
            if hit.id not in ids:
                ids.append(hit.id)
    else:
        ids = state.event_ids()[:limit]
    out = []
    for n, i in enumerate(ids[:limit]):
        e = state.event(i)
        if e is None:
            continue
        out.append(T.CompletionItem(
            label=e.id, kind=T.CompletionItemKind.Event, sort_text=f"{n:04d}",
            detail=f"{e.date.display()} — {e.title}",
            documentation=T.MarkupContent(kind=T.MarkupKind.Markdown,
                                          value=hovers.event_hover(state, e))))
    return out


def _source_item(s: Any, n: int) -> T.CompletionItem:
    return T.CompletionItem(label=s.id, kind=T.CompletionItemKind.Reference,
                            sort_text=f"{n:04d}", detail=f"{s.issued or ''} — {s.title}")


def _source_items(state: LedgerState, word: str, limit: int = 20) -> list[T.CompletionItem]:
    if word:
        ids = [i for i in state.sources if i.startswith(word.lower())]
        ids += [h.id for h in state.source_index.search(word.replace("-", " "), limit=limit,
                                                         min_score=50) if h.id not in ids]
    else:
        ids = list(state.sources)[:limit]
    return [_source_item(state.sources[i], 1000 + n) for n, i in enumerate(ids[:limit])
            if i in state.sources]


def main(data: str | None = None, stdin: Any = None, stdout: Any = None) -> None:
    """Serve on stdio until the client exits or closes stdin; `data` (--data) is the
    ledger folder when the client names none."""
    from farchron import settings

    settings.one_process()  # the server has threads: a forked parse worker could hang
    logging.basicConfig(level=logging.WARNING, format="farchron lsp: %(message)s")
    ls = build()
    ls.data_default = data
    try:
        ls.start_io(stdin, stdout)
    finally:
        # pygls has closed stdout; a long audit left on the worker must not hold the exit
        ls.worker.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(0)
