"""init, add, import and edit below the command line (farchron.authoring.operations)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farchron.authoring import operations as a
from farchron.errors import DataError, UsageError
from farchron.ledger.load import collect

IMPORT = Path(__file__).resolve().parents[1] / "fixtures" / "import"
lw_id_re = a.importers.ID_RE


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")  # no writes to the user's cache folder


@pytest.fixture
def rjw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FARCHRON_NO_CACHE", "1")
    folder = tmp_path / "rjw"
    a.init_ledger(folder)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.toml")}


def test_init_makes_a_valid_empty_ledger_with_schemas(rjw: Path):
    ledger, problems = collect(rjw)
    assert ledger is not None and problems == []
    assert len(ledger.events) == 0 and len(ledger.sources) == 0
    for name in a.SCHEMAS:
        assert (rjw / "schema" / name).is_file()
    for name in ("events.toml", "sources.toml"):
        first = (rjw / name).read_text(encoding="utf-8").splitlines()[0]
        target = first.removeprefix("#:schema ").strip()
        assert (rjw / target).is_file()  # the #:schema line points at a real file
    import re

    from farchron.model.fields import EVENT_FIELDS, NOTE_FIELDS, SOURCE_FIELDS

    header = (rjw / "events.toml").read_text(encoding="utf-8")
    for field in EVENT_FIELDS:  # every field the checker knows is explained
        assert re.search(rf"^#   {re.escape(field)} ", header, re.M), field
    header = (rjw / "sources.toml").read_text(encoding="utf-8")
    for field in (*SOURCE_FIELDS, *NOTE_FIELDS):
        assert re.search(rf"[ ,]{re.escape(field)}[ ,(\n]", header), field


def test_init_refuses_an_existing_ledger(rjw: Path):
    (rjw / "events.toml").write_text("# mine\n", encoding="utf-8")
    before = _snapshot(rjw)
    with pytest.raises(UsageError, match="already exists"):
        a.init_ledger(rjw)
    assert _snapshot(rjw) == before


def test_add_event_and_source(rjw: Path):
    sid = a.add_source(rjw, a.source_fields("book", "Double Eagle and Rising Sun",
                                            authors=["Esthus, Raymond A."], issued="1988",
                                            publisher="Duke University Press"))
    assert sid == "esthus-1988"
    assert a.add_source(rjw, a.source_fields("book", "Another", authors=["Esthus, R."],
                                             issued="1988")) == "esthus-1988-a"
    fields = a.event_fields("Treaty of Portsmouth", "1905-09-05", tags=["treaty"],
                            cites=["esthus-1988:150-166"], aliases=["ポーツマス条約"])
    assert a.add_event(rjw, fields) == "treaty-of-portsmouth"
    assert a.add_event(rjw, fields) == "treaty-of-portsmouth-2"
    doc = tomli.loads((rjw / "events.toml").read_text(encoding="utf-8"))
    assert doc["event"][0] == {"id": "treaty-of-portsmouth", "title": "Treaty of Portsmouth",
                               "date": "1905-09-05", "aliases": ["ポーツマス条約"],
                               "tags": ["treaty"],
                               "citations": [{"source": "esthus-1988",
                                              "pages": "150-166"}]}
    ledger, problems = collect(rjw)
    assert ledger is not None and not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("kwargs, message", [
    ({"date": "1905-13-40", "cites": ["esthus-1988"]}, "--date"),
    ({"date": "1905", "cites": []}, "at least one citation"),
    ({"date": "1905", "cites": ["esthus-1988"], "event_id": "Bad Id"}, "--id"),
])
def test_bad_event_fields_are_usage_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        a.event_fields("T", **kwargs)


def test_unknown_source_writes_nothing(rjw: Path):
    before = _snapshot(rjw)
    with pytest.raises(DataError, match="unknown source 'nowhere'"):
        a.add_event(rjw, a.event_fields("T", "1905", cites=["nowhere:3"]))
    assert _snapshot(rjw) == before


def test_csl_type_is_checked_with_a_suggestion():
    assert a.csl_type("article-journal") == "article-journal"
    with pytest.raises(UsageError, match="did you mean 'article-journal'"):
        a.csl_type("journal-article")


def test_import_all_or_nothing(rjw: Path):
    inputs = [("rjw.bib", (IMPORT / "rjw.bib").read_text(encoding="utf-8"), "bibtex"),
              ("rjw-events.csv", (IMPORT / "rjw-events.csv").read_text(encoding="utf-8"),
               "csv")]
    records, errors, _ = a.read_inputs(inputs)
    assert errors == ["rjw-events.csv:7: date '1905-13-45' is not a date farchron can read"]
    report = a.import_records(rjw, records)
    assert report.written
    assert ("event", "battle-of-tsushima") in report.added
    assert report.skipped == [
        "rjw.bib:81: Connaughton1988: already there as 'connaughton-2003' earlier in this "
        "import",
        "rjw-events.csv:6: Battle of Tsushima: already there as 'battle-of-tsushima' earlier "
        "in this import"]
    again = a.import_records(rjw, records)
    assert again.added == [] and len(again.skipped) == len(records)


def test_import_that_would_not_check_writes_nothing(rjw: Path):
    records, _, _ = a.read_inputs([("e.csv", "date,title,cite\n1905,T,nowhere:1\n", "csv")])
    before = _snapshot(rjw)
    with pytest.raises(DataError, match="unknown source 'nowhere'"):
        a.import_records(rjw, records)
    assert _snapshot(rjw) == before


def _editor(tmp_path: Path, code: str) -> str:
    script = tmp_path / "ed.py"
    script.write_text("import sys, re\nline, path = sys.argv[1], sys.argv[2]\n"
                      "text = open(path, encoding='utf-8').read()\n" + code +
                      "open(path, 'w', encoding='utf-8').write(text)\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_edit_session_installs_only_a_valid_result(rjw: Path, tmp_path: Path, monkeypatch):
    a.add_source(rjw, a.source_fields("book", "B", authors=["K, R"], issued="1990"))
    a.add_event(rjw, a.event_fields("Battle of Mukden", "1905", cites=["k-1990"]))
    monkeypatch.setenv("VISUAL", _editor(
        tmp_path, "assert line.startswith('+')\n"
                  "text = text.replace('date = \"1905\"', 'date = \"1905-02-20/1905-03-10\"')\n"))
    s = a.EditSession(rjw, "battle-of-mukden")
    assert s.name == "events.toml" and s.line > 1
    assert s.run_editor() == 0 and s.changed() and s.problems() == []
    s.install()
    assert '"1905-02-20/1905-03-10"' in (rjw / "events.toml").read_text(encoding="utf-8")
    assert not s.copy.exists()

    monkeypatch.setenv("VISUAL", _editor(tmp_path, "text = text.replace('k-1990', 'gone')\n"))
    before = _snapshot(rjw)
    s = a.EditSession(rjw, "battle-of-mukden")
    s.run_editor()
    problems = s.problems()
    assert problems and all("gone" in p.message or p.severity == "error" for p in problems)
    assert _snapshot(rjw) == before and s.copy.exists()
    s.discard()


def test_locate_unknown_record(rjw: Path):
    with pytest.raises(Exception, match="no event, work or note 'nope'"):
        a.locate(rjw, "nope")


def test_dates_as_people_write_them(rjw: Path):
    """`add --date` reads dates as historians write them (farchron.dates.written) and
    stores canonical EDTF; an Old Style date is kept as printed, calendar "julian"."""
    assert a.read_date("1905-05-27") == ("1905-05-27", "gregorian")
    assert a.read_date("27 May 1905") == ("1905-05-27", "gregorian")
    assert a.read_date("summer 1905") == ("1905-22", "gregorian")
    assert a.read_date("20 Dec 1904 OS") == ("1904-12-20", "julian")
    with pytest.raises(UsageError, match="--date: invalid date 'Mayday'"):
        a.read_date("Mayday")
    a.add_source(rjw, a.source_fields("book", "W", source_id="w"))
    eid = a.add_event(rjw, a.event_fields("Port Arthur surrenders", "20 Dec 1904 OS",
                                          cites=["w"]))
    doc = tomli.loads((rjw / "events.toml").read_text(encoding="utf-8"))
    assert doc["event"][0] == {"id": eid, "title": "Port Arthur surrenders",
                               "date": "1904-12-20", "calendar": "julian",
                               "citations": [{"source": "w"}]}
    ledger, problems = collect(rjw)
    assert ledger is not None and ledger.events[0].date.start == (1905, 1, 2)
    assert not [p for p in problems if p.severity == "error"]


def test_edit_finds_notes_and_works(rjw: Path):
    (rjw / "sources.toml").write_text(
        (rjw / "sources.toml").read_text(encoding="utf-8")
        + '\n[[source]]\nid = "w"\ntype = "book"\ntitle = "W"\n\n'
          '[[note]]\nnumber = 3\ntext = "N."\ncitations = [{ source = "w" }]\n',
        encoding="utf-8")
    name, line = a.locate(rjw, "note:3")
    assert name == "sources.toml"
    assert (rjw / name).read_text(encoding="utf-8").splitlines()[line - 1] == "number = 3"
    assert a.locate(rjw, "w")[0] == "sources.toml"


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                     max_size=30).filter(lambda s: s.split()),
       summary=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
       aliases=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)),
                                max_size=15), max_size=3))
def test_any_text_added_reads_back_and_checks(tmp_path_factory, title, summary, aliases):
    folder = tmp_path_factory.mktemp("prop")
    a.init_ledger(folder)
    a.add_source(folder, a.source_fields("book", "W", source_id="w"))
    eid = a.add_event(folder, a.event_fields(title, "1905", summary=summary,
                                             aliases=aliases, cites=["w:1"]))
    assert lw_id_re.match(eid)
    doc = tomli.loads((folder / "events.toml").read_text(encoding="utf-8"))
    e = doc["event"][0]
    assert e["title"] == " ".join(title.split())
    assert e.get("summary", "") == summary.strip()
    assert e.get("aliases", []) == aliases
    ledger, problems = collect(folder)
    assert ledger is not None and not [p for p in problems if p.severity == "error"]
