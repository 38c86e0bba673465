"""Which ledger the server reads, loaded once through the verified cache, and reloaded
when its files change (on disk, or saved from the editor).

The order is the command line's: `initializationOptions.data`, `$FARCHRON_DATA`, the
workspace folder when it holds events.toml, the ledger shipped with the package. A ledger
that does not load keeps the last good one for drafts (if any) and its problems are
reported on the ledger files; the server never stops for bad data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from farchron.audit.names import Matcher
    from farchron.cite.chicago import LedgerNotes
    from farchron.errors import Problem
    from farchron.model.records import Event, Ledger, Source
    from farchron.query.search import SearchIndex

LEDGER_FILES = ("events.toml", "sources.toml")


def choose_data_dir(option: str | None, workspace: str | None) -> Path:
    """The ledger folder: the client's option, $FARCHRON_DATA, the workspace folder when
    it holds events.toml, else the shipped ledger."""
    from farchron.ledger.folder import EVENTS_FILE, shipped_data_dir
    from farchron.settings import data_dir as env_data_dir

    if option:
        return Path(option).expanduser()
    env = env_data_dir()
    if env:
        return Path(env).expanduser()
    if workspace and (Path(workspace) / EVENTS_FILE).is_file():
        return Path(workspace)
    return shipped_data_dir()


@dataclass
class LedgerState:
    """The ledger of the session and what is derived from it, built lazily."""

    data_dir: Path
    use_cache: bool = True
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)
    stamp: tuple[Any, ...] = ()
    names: list[str] = field(default_factory=list)
    _index: SearchIndex | None = None
    _source_index: SearchIndex | None = None
    _matcher: Matcher | None = None
    _notes: LedgerNotes | None = None
    _by_id: dict[str, Event] | None = None
    generation: int = 0

    def files(self) -> list[str]:
        """The ledger's files as paths in the folder: the two main files, then the parts
        their `include` names (a new or removed part changes the stamp)."""
        from farchron.ledger.parts import ledger_files

        return [n for names in ledger_files(self.data_dir).values() for n in names]

    def file_stamp(self, names: list[str] | None = None) -> tuple[Any, ...]:
        """Each file's name and stat: a part added, removed or changed changes it."""
        out: list[Any] = []
        for name in self.files() if names is None else names:
            try:
                st = os.stat(self.data_dir / name)
                out.append((name, st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                out.append((name, None))
        return tuple(out)

    def load(self) -> None:
        """(Re)load the ledger; on errors keep the last good one and record the problems."""
        from farchron.errors import DataError
        from farchron.store.cache import open_checked

        self.names = self.files()  # the files of the ledger as loaded (what is a ledger file)
        self.stamp = self.file_stamp(self.names)
        try:
            ledger, problems = open_checked(self.data_dir, self.use_cache)
        except DataError as exc:
            ledger, problems = None, list(exc.problems)
        except Exception as exc:  # a ledger must never stop the server
            from farchron.errors import Problem

            ledger, problems = None, [Problem(str(self.data_dir / "events.toml"), None, None,
                                              "unreadable", f"cannot load: {exc}", "error")]
        self.problems = list(problems)
        errors = [p for p in problems if p.severity == "error"]
        if ledger is not None and not errors:
            self.ledger = ledger
            self._index = self._source_index = self._matcher = self._notes = None
            self._by_id = None
        self.generation += 1

    def changed_on_disk(self) -> bool:
        return self.file_stamp() != self.stamp

    @property
    def events(self) -> tuple[Event, ...] | Any:
        return self.ledger.events if self.ledger is not None else ()

    @property
    def sources(self) -> dict[str, Source] | Any:
        return self.ledger.sources if self.ledger is not None else {}

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            from farchron.query.search import SearchIndex, event_index

            if self.ledger is None:
                return SearchIndex.build(())
            self._index = event_index(self.ledger, self.use_cache)
        return self._index

    @property
    def source_index(self) -> SearchIndex:
        if self._source_index is None:
            from farchron.query.search import SearchIndex

            self._source_index = SearchIndex.build_sources(self.sources.values())
        return self._source_index

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            from farchron.audit.compare import cached_matcher
            from farchron.audit.names import Matcher

            self._matcher = (cached_matcher(self.ledger, self.index, self.use_cache)
                             if self.ledger is not None else Matcher(self.index))
        return self._matcher

    @property
    def notes(self) -> LedgerNotes:
        if self._notes is None:
            from farchron.cite.chicago import LedgerNotes

            assert self.ledger is not None
            self._notes = LedgerNotes(self.ledger)
        return self._notes

    def event(self, event_id: str) -> Event | None:
        if self.ledger is None:
            return None
        if self._by_id is None:
            # one walk; Events (the lazy store) finds one id fast, a tuple does not
            self._by_id = {}
        got = self._by_id.get(event_id)
        if got is None:
            got = self.ledger.event(event_id)
            if got is not None:
                self._by_id[event_id] = got
        return got

    def event_ids(self) -> list[str]:
        ids = getattr(self.index, "ids", None)
        return list(ids) if ids is not None else [e.id for e in self.events]
