"""The ledger as a documented SQLite database, for Datasette, sqlite-utils and plain SQL.

One table per record type (events, sources, notes), one row per citation, and the
lists of an event (aliases, tags, actors, places) as join tables, so `GROUP BY tag`
works without JSON functions. Full-text search (FTS5, external content, the layout
sqlite-utils and Datasette detect) covers event titles, aliases and summaries, and
work titles in every script. The schema is described in the CREATE statements (kept
in sqlite_master, shown by Datasette) and in the `_farchron_meta` table.

Written to a temporary file beside the target and renamed over it: a reader sees the
old database or the new one, never half of one. Core module: no click, no rich.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from farchron.model.records import Ledger

SCHEMA_VERSION = "3"  # 3: search_text columns (issue 26)

SCHEMA = """
CREATE TABLE _farchron_meta (   -- what wrote this database, and how to read it
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE events (           -- one dated happening of events.toml
  id           TEXT PRIMARY KEY, -- lowercase slug, as in the ledger
  title        TEXT NOT NULL,
  date         TEXT NOT NULL,    -- EDTF as written (1939-05/1939-09, -0215-08, 1933~)
  start        TEXT,             -- first day it can mean, ISO (-0215-08-01); NULL if open
  "end"        TEXT,             -- last day it can mean, ISO; NULL if open
  display      TEXT NOT NULL,    -- the date as a historian writes it (Aug 216 BC)
  summary      TEXT NOT NULL,
  aliases_text TEXT NOT NULL,    -- the aliases, one a line (what events_fts indexes)
  calendar     TEXT,             -- 'julian': date is Old Style as printed; start/end Gregorian
  date_as_printed TEXT,          -- the date exactly as the source prints it
  part_of      TEXT REFERENCES events(id),  -- the larger event this one is part of
  search_text  TEXT NOT NULL     -- every text in every script (Nomonhan номонхан ノモンハン
                                 -- nomonhan): what events_fts.search_text indexes
);
CREATE TABLE other_dates (      -- the dates other sources give for an event, with evidence
  event    TEXT NOT NULL REFERENCES events(id),
  position INTEGER NOT NULL,
  date     TEXT NOT NULL,       -- EDTF (as printed when calendar = 'julian')
  start    TEXT,
  "end"    TEXT,
  calendar TEXT,
  source   TEXT REFERENCES sources(id),
  note     INTEGER REFERENCES notes(number),
  pages    TEXT,
  basis    TEXT,                -- "commonly given" where no one work is the evidence
  PRIMARY KEY (event, position)
);
CREATE TABLE sources (          -- one work of sources.toml
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL, -- CSL item type: book, chapter, article-journal, ...
  title            TEXT NOT NULL, -- in Latin script (romanised)
  original_title   TEXT,          -- in the original script
  translated_title TEXT,          -- the English translation the paper gives
  container_title  TEXT,
  authors          TEXT NOT NULL, -- JSON array of "Family, Given", as printed
  authors_text     TEXT NOT NULL, -- authors (or editors), romanised where known, "; "-joined
  issued           TEXT,          -- EDTF, usually a year
  language         TEXT,          -- ISO 639-1
  fields           TEXT NOT NULL, -- JSON object: every field of the work as written
  search_text      TEXT NOT NULL  -- titles and names in every script and romanised
);
CREATE TABLE notes (            -- one numbered note of the paper
  number INTEGER PRIMARY KEY,
  text   TEXT NOT NULL            -- as printed
);
CREATE TABLE note_citations (   -- the works a note cites, in order
  note     INTEGER NOT NULL REFERENCES notes(number),
  position INTEGER NOT NULL,
  source   TEXT NOT NULL REFERENCES sources(id),
  pages    TEXT,
  section  TEXT,
  PRIMARY KEY (note, position)
);
CREATE TABLE citations (        -- an event's evidence: a note, or a work with a locator
  event    TEXT NOT NULL REFERENCES events(id),
  position INTEGER NOT NULL,
  source   TEXT REFERENCES sources(id),
  note     INTEGER REFERENCES notes(number),
  pages    TEXT,
  section  TEXT,
  PRIMARY KEY (event, position)
);
CREATE TABLE aliases (event TEXT NOT NULL REFERENCES events(id), position INTEGER NOT NULL,
                      alias TEXT NOT NULL, PRIMARY KEY (event, position));
CREATE TABLE tags    (event TEXT NOT NULL REFERENCES events(id), position INTEGER NOT NULL,
                      tag TEXT NOT NULL, PRIMARY KEY (event, position));
CREATE TABLE actors  (event TEXT NOT NULL REFERENCES events(id), position INTEGER NOT NULL,
                      actor TEXT NOT NULL, PRIMARY KEY (event, position));
CREATE TABLE places  (event TEXT NOT NULL REFERENCES events(id), position INTEGER NOT NULL,
                      place TEXT NOT NULL, PRIMARY KEY (event, position));
CREATE INDEX citations_source ON citations(source);
CREATE INDEX citations_note ON citations(note);
CREATE INDEX note_citations_source ON note_citations(source);
CREATE INDEX tags_tag ON tags(tag);
CREATE INDEX actors_actor ON actors(actor);
CREATE INDEX places_place ON places(place);
CREATE INDEX events_start ON events(start);
CREATE INDEX events_part_of ON events(part_of);
"""

FTS = """
CREATE VIRTUAL TABLE events_fts USING FTS5 (
  title, aliases_text, summary, search_text,
  content="events", tokenize="unicode61 remove_diacritics 2"
);
CREATE VIRTUAL TABLE sources_fts USING FTS5 (
  title, original_title, translated_title, container_title, authors_text, search_text,
  content="sources", tokenize="unicode61 remove_diacritics 2"
);
INSERT INTO events_fts (rowid, title, aliases_text, summary, search_text)
  SELECT rowid, title, aliases_text, summary, search_text FROM events;
INSERT INTO sources_fts (rowid, title, original_title, translated_title, container_title,
                         authors_text, search_text)
  SELECT rowid, title, original_title, translated_title, container_title, authors_text,
         search_text
  FROM sources;
"""

README = """farchron ledger database (schema version {version}).
Tables: events (one row an event; start/end are the ISO bounds of its EDTF date),
sources (the works; `fields` keeps every field as JSON), notes (the paper's notes),
note_citations (the works each note cites), citations (each event's evidence: a note
or a work with pages), aliases/tags/actors/places (an event's lists, one row an item),
other_dates (the dates other sources give, with their evidence). events.calendar is
'julian' where date is Old Style as printed (start/end are always Gregorian); part_of
names the larger event.
Full-text search: events_fts (title, aliases, summary) and sources_fts (titles in every
script, authors); their search_text column holds each text transliterated both ways
(Latin words in Cyrillic, Cyrillic and kana romanised, kana apart from kanji), so
'номонхан', 'Кривошеев' and 'ノモンハン' find what the ledger writes otherwise, e.g.
  SELECT e.* FROM events_fts JOIN events e ON e.rowid = events_fts.rowid
  WHERE events_fts MATCH 'Khalkhin' ORDER BY rank;
Foreign keys hold between all tables (PRAGMA foreign_key_check is empty).
"""


def _source_texts(s: Any) -> list[str]:
    texts = [s.title]
    for key in ("original-title", "translated-title", "short-title", "container-title",
                "container-original-title", "archive", "archive-romanised", "publisher"):
        if s.get(key):
            texts.append(str(s.get(key)))
    for key in ("authors", "authors-romanised", "editors", "editors-romanised"):
        texts += [str(n) for n in s.get(key, ())]
    return texts


def _rows(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    from farchron.cite.works import names
    from farchron.query.scripts import search_words

    out: dict[str, list[tuple[object, ...]]] = {k: [] for k in (
        "events", "sources", "notes", "note_citations", "citations", "aliases", "tags",
        "actors", "places", "other_dates")}
    for e in ledger.events:
        d = e.date
        out["events"].append((e.id, e.title, d.text, d.start_iso or None, d.end_iso or None,
                              e.display(), e.summary, "\n".join(e.aliases),
                              e.calendar or None, e.date_as_printed or None,
                              e.part_of or None,
                              search_words((e.title, *e.aliases, *e.actors, *e.places))))
        for i, o in enumerate(e.other_dates):
            c = o.citation
            out["other_dates"].append((e.id, i, o.date.text, o.date.start_iso or None,
                                       o.date.end_iso or None, o.calendar,
                                       c.source if c else None, c.note if c else None,
                                       c.pages if c else None, o.basis))
        for i, c in enumerate(e.citations):
            out["citations"].append((e.id, i, c.source, c.note, c.pages, c.section))
        for table, items in (("aliases", e.aliases), ("tags", e.tags), ("actors", e.actors),
                             ("places", e.places)):
            out[table] += [(e.id, i, v) for i, v in enumerate(items)]
    for s in ledger.sources.values():
        who = names(s, "authors") or names(s, "editors")
        fields = {k: list(v) if isinstance(v, tuple) else v for k, v in s.fields.items()}
        out["sources"].append((s.id, s.type, s.title, s.get("original-title"),
                               s.get("translated-title"), s.get("container-title"),
                               json.dumps(list(s.authors), ensure_ascii=False),
                               "; ".join(who), s.issued, s.get("language"),
                               json.dumps(fields, ensure_ascii=False, sort_keys=True),
                               search_words(_source_texts(s))))
    for n in ledger.notes.values():
        out["notes"].append((n.number, n.text))
        out["note_citations"] += [(n.number, i, c.source, c.pages, c.section)
                                  for i, c in enumerate(n.citations) if c.source]
    return out


def build(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write the ledger into a new SQLite database at `path` (which must not exist)."""
    import sqlite3

    from farchron import __version__

    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        rows = _rows(ledger)
        with con:
            for table, data in rows.items():
                if data:
                    marks = ", ".join("?" * len(data[0]))
                    con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', data)
            meta: Iterable[tuple[str, str]] = (
                ("farchron_version", __version__), ("schema_version", SCHEMA_VERSION),
                ("schema", README.format(version=SCHEMA_VERSION).strip()),
                ("events", str(len(rows["events"]))),
                ("sources", str(len(rows["sources"]))), ("notes", str(len(rows["notes"]))))
            con.executemany("INSERT INTO _farchron_meta VALUES (?, ?)", meta)
        try:
            con.executescript(FTS)
        except sqlite3.OperationalError as exc:  # an SQLite built without FTS5
            if "fts5" not in str(exc).lower():
                raise
            con.execute("INSERT INTO _farchron_meta VALUES ('fts', 'unavailable: no FTS5')")
            con.commit()
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # the ledger was validated: this is a bug, not bad input
            raise RuntimeError(f"foreign key problems in the export: {problems[:3]}")
        con.execute("VACUUM")
    finally:
        con.close()


def to_bytes(ledger: Ledger) -> bytes:
    """The database's bytes, built in a private temporary folder: the command hands
    them to atomic.write_output, the one writer every export goes through."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="farchron-sqlite-") as tmp:
        path = os.path.join(tmp, "ledger.db")
        build(ledger, path)
        with open(path, "rb") as f:
            return f.read()
