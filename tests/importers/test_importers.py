"""The readers of other tools' files, through farchron.importers' public functions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron import importers as im
from tests.conftest import ROOT, invoke

IMPORT = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _read(name: str, fmt: str, **kw: object) -> tuple[list[im.Record], list[im.RowError]]:
    return im.read((IMPORT / name).read_text(encoding="utf-8"), fmt, **kw)


def _by_title(records: list[im.Record]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in records:
        out.setdefault(r.fields["title"], r.fields)
    return out


def test_formats_from_extensions():
    assert im.detect_format("works.BIB") == "bibtex"
    assert im.detect_format("zotero.json") == "csl-json"
    assert im.detect_format("x.ris") == "ris"
    assert im.detect_format("events.csv") == "csv"
    assert im.detect_format("t.jsonl") == "jsonl"
    assert im.detect_format("notes.txt") is None


def test_bibtex_accents_dashes_types_names_and_lines():
    recs, errors = _read("rjw.bib", "bibtex")
    assert errors == []
    works = _by_title(recs)
    esthus = works["Nicholas II and the Russo-Japanese War"]
    assert esthus["type"] == "article-journal"
    assert esthus["container-title"] == "The Russian Review"
    assert esthus["issue"] == "4" and esthus["page"] == "396–411"
    vitte = works["Vospominaniia"]
    assert vitte["authors"] == ["Vitte, Sergeĭ Iul'evich"]  # {\u\i} decoded
    assert vitte["publisher"] == "Izdatel'stvo sotsial'no-èkonomicheskoi literatury"
    assert vitte["original-title"] == "Воспоминания" and vitte["language"] == "ru"
    chapter = works["Rewriting the Russo-Japanese War: A Centenary Perspective"]
    assert chapter["type"] == "chapter"
    assert chapter["authors"] == ["Schimmelpenninck van der Oye, David"]
    assert chapter["page"] == "xix–xxv"
    assert "Yokote, Shinji" in chapter["editors"]
    # Non-Latin names and titles keep their script; CJK names are family-first.
    kuro = works["Русско-японская война, 1904–1905: Итоги войны"]
    assert kuro["authors"] == ["Куропаткин, А. Н."]
    shiba = works["Saka no ue no kumo"]
    assert shiba["authors"] == ["司馬, 遼太郎"] and shiba["issued"] == "1969-04"
    # A braced institutional name stays one name.
    official = works["Official History (Naval and Military) of the Russo-Japanese War"]
    assert official["authors"] == ["Committee of Imperial Defence, Historical Section"]
    # @string macros are resolved.
    assert works["Double Eagle and Rising Sun: The Russians and Japanese at Portsmouth "
                 "in 1905"]["publisher"] == "Duke University Press"
    lines = {r.key: r.line for r in recs}
    assert lines["connaughton-2003"] == 4 and lines["Esthus1981"] == 14


def test_bibtex_ids_and_duplicate():
    recs, _ = _read("rjw.bib", "bibtex")
    added, skipped = im.plan(recs, None)
    ids = [f["id"] for _, f in added]
    assert ids == ["connaughton-2003", "esthus-1981", "esthus-1988",
                   "schimmelpenninck-van-der-oye-2005", "vitte-1960", "kuropatkin-2002",
                   "shiba-1969", "official-history-1910"]
    assert [(s.record.line, s.reason) for s in skipped] == [
        (81, "already there as 'connaughton-2003' earlier in this import")]


def test_bibtex_unknown_type_and_bad_year_are_reported():
    recs, errors = im.read("@foo{k1, title={T}, year={sometime}}\n", "bibtex")
    assert recs[0].fields["type"] == "document"
    assert [e.line for e in errors] == [1, 1]
    assert "unknown BibTeX entry type" in errors[0].message
    assert "left out" in errors[1].message and "issued" not in recs[0].fields


def test_csl_json_zotero_and_better_bibtex():
    recs, errors = _read("rjw-zotero.json", "csl-json")
    assert errors == []
    works = _by_title(recs)
    oye = works["Toward the Rising Sun: Russian Ideologies of Empire and the Path to War "
                "with Japan"]
    assert oye["authors"] == ["van der Oye, David Schimmelpenninck"]  # non-dropping particle
    tsushima = works["Admiral Tōgō and the Battle of Tsushima"]
    assert tsushima["authors"] == ["Beethoven, Ludwig van"]  # dropping particle
    assert tsushima["issued"] == "2005-05-27" and tsushima["page"] == "45–67"
    assert tsushima["doi"] == "10.0000/nwcr.2005.tsushima"
    wada = works["Nichi-Ro sensō: kigen to kaisen"]
    assert wada["authors"] == ["和田, 春樹"] and wada["original-title"] == "日露戦争：起源と開戦"
    assert wada["issued"] == "2009-12"
    commission = works["Русско-японская война 1904–1905 гг."]
    assert commission["authors"] == [
        "Военно-историческая комиссия по описанию русско-японской войны"]
    assert commission["issued"] == "1910"  # from issued.raw
    assert [r.line for r in recs] == [2, 15, 27, 38, 48, 60]
    added, skipped = im.plan(recs, None)
    assert [f["id"] for _, f in added] == [
        # issue 26: Russian ids by ALA-LC without diacritics, as `import --romanise` makes
        # them (anyascii's "ayrapetov", "istoricheskaya" before)
        "oye-2001", "wada-2009", "airapetov-2004", "voenno-istoricheskaia-komissiia-1910",
        "beethoven-letters"]
    assert [s.record.line for s in skipped] == [60]  # ISBN-10 of the first item's ISBN-13


def test_csl_json_dates_and_names():
    assert im.csl_date({"date-parts": [[1904, 2], [1905, 9]]}) == "1904-02/1905-09"
    assert im.csl_date({"date-parts": [[1933]], "circa": True}) == "1933~"
    assert im.csl_date({"date-parts": [[1944]], "season": 3}) == "1944-23"
    assert im.csl_date({"date-parts": [[-215]]}) == "-0215"
    assert im.csl_date({"literal": "sometime"}) is None
    assert im.csl_name({"family": "Jones", "given": "Bob", "suffix": "Jr."}) == "Jones, Bob, Jr."
    assert im.csl_name({"literal": "Генштаб"}) == "Генштаб"
    assert im.csl_name({"given": "Madonna"}) == "Madonna"


def test_csl_json_journal_article_type_is_corrected_with_a_warning():
    text = json.dumps([{"id": "a-1", "type": "journal-article", "title": "T"}])
    recs, errors = im.read(text, "csl-json")
    assert recs[0].fields["type"] == "article-journal"
    assert "not a CSL type" in errors[0].message and errors[0].line == 1


def test_csl_json_bad_input_is_one_error():
    with pytest.raises(im.ImportFormatError, match="not JSON"):
        im.read("[{\"id\": 1,,}]", "csl-json")


def test_ris_types_names_pages_and_duplicate():
    recs, errors = _read("rjw.ris", "ris")
    assert errors == []
    works = _by_title(recs)
    chap = works["Miscalculating One's Enemies: Russian Military Intelligence before the "
                 "Russo-Japanese War"]
    assert chap["type"] == "chapter" and chap["page"] == "45–80"
    assert chap["editors"] == ["Steinberg, John W.", "Wolff, David"]
    assert chap["container-title"].startswith("The Russo-Japanese War in Global")
    yokote = works["日露戦争史: 20世紀最初の大国間戦争"]
    assert yokote["authors"] == ["横手, 慎二"] and yokote["issued"] == "2005-04"
    assert works["明治卅七八年日露戦史"]["authors"] == ["参謀本部"]
    assert works["Russian Imperial Military Doctrine and Education, 1832–1914"][
        "authors"] == ["Van Dyke, Carl"]
    assert works["Nicholas II and the Russo-Japanese War"]["doi"] == "10.2307/129919"
    assert [r.line for r in recs] == [1, 11, 23, 32, 41, 49, 57, 69]
    added, skipped = im.plan(recs, None)
    assert [s.record.line for s in skipped] == [69]
    assert "kowner-2006" in [f["id"] for _, f in added]


def test_events_csv():
    recs, errors = _read("rjw-events.csv", "csv")
    assert [(e.line, e.message) for e in errors] == [
        (7, "date '1905-13-45' is not a date farchron can read")]
    tsushima = recs[2].fields
    assert tsushima["citations"] == [{"source": "connaughton-2003", "pages": "318-340"},
                                     {"source": "esthus-1988"}]
    assert tsushima["aliases"] == ["日本海海戦", "Цусимское сражение"]
    assert list(tsushima) == ["title", "date", "summary", "aliases", "tags", "actors",
                              "places", "citations"]
    added, skipped = im.plan(recs, None)
    assert [f["id"] for _, f in added] == ["attack-on-port-arthur", "battle-of-mukden",
                                          "battle-of-tsushima", "treaty-of-portsmouth"]
    assert [s.record.line for s in skipped] == [6]


def test_events_csv_needs_a_citation_unless_given_one():
    text = "date,title\n1905,Peace\n"
    recs, errors = im.read(text, "csv")
    assert recs == [] and "no citation" in errors[0].message and errors[0].line == 2
    recs, errors = im.read(text, "csv", cite=["note:3"])
    assert recs[0].fields["citations"] == [{"note": 3}] and errors == []


def test_events_csv_multiline_cell_keeps_line_numbers():
    text = 'date,title,summary,cite\n1904,"A","two\nlines",x\n1905-13,B,,x\n'
    recs, errors = im.read(text, "csv")
    assert recs[0].line == 2 and errors[0].line == 4


def test_timelinejs_sheet_is_the_inverse_of_the_export():
    recs, errors = _read("rjw-timelinejs.csv", "timelinejs", cite=["connaughton-2003"])
    assert [(e.line, e.message) for e in errors] == [(9, "no date")]
    by = _by_title(recs)
    assert "The Russo-Japanese War" not in by  # the title slide
    assert by["Attack on Port Arthur"]["date"] == "1904-02-08/1904-02-09"
    assert by["Battle of the Yellow Sea"]["summary"] == (
        "The Port Arthur squadron's sortie failed; Admiral Витгефт was killed.")
    assert by["Bloody Sunday in St Petersburg"]["summary"] == (
        "Troops fired on marchers led by Father Георгий Гапон.")  # export's footnotes dropped
    assert by["Bloody Sunday in St Petersburg"]["tags"] == ["revolution"]
    assert by["Portsmouth peace talks"]["date"] in ("1905", "1905-22")
    # a csv that is a TimelineJS sheet is read as one
    again, _ = _read("rjw-timelinejs.csv", "csv", cite=["connaughton-2003"])
    assert [r.fields for r in again] == [r.fields for r in recs]


def test_timelinejs_time_and_display_date():
    text = ("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,"
            "Text,Group\n1945,7,16,05:29,,,,,,Trinity,,\n1933,,,,,,,,1933~,Approx,,\n")
    recs, _ = im.read(text, "timelinejs", cite=["x"])
    assert [r.fields["date"] for r in recs] == ["1945-07-16T05:29", "1933~"]


def test_jsonl_events_sources_and_notes():
    lines = [
        {"id": "e-1", "title": "E", "date": "1905", "start": "1905-01-01", "end": "1905-12-31",
         "summary": "", "aliases": [], "tags": ["x"], "actors": [], "places": [],
         "citations": [{"source": None, "pages": None, "note": 1}]},
        {"id": "w-1", "type": "book", "title": "W", "authors": ["A, B"], "issued": "1990",
         "publisher": "P"},
        {"number": 1, "citations": [{"source": "w-1", "pages": "3"}], "text": "N."},
        ["not", "an", "object"],
    ]
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{oops\n"
    recs, errors = im.read(text, "jsonl")
    assert [r.kind for r in recs] == ["event", "source", "note"]
    assert recs[0].fields == {"id": "e-1", "title": "E", "date": "1905", "tags": ["x"],
                              "citations": [{"note": 1}]}
    assert recs[1].fields == {"id": "w-1", "type": "book", "authors": ["A, B"], "title": "W",
                              "publisher": "P", "issued": "1990"}
    assert recs[2].fields == {"number": 1, "text": "N.",
                              "citations": [{"source": "w-1", "pages": "3"}]}
    assert [e.line for e in errors] == [4, 5]


def test_plan_skips_what_the_ledger_has(tmp_path):
    from farchron.ledger.load import load

    (tmp_path / "events.toml").write_text(
        '[[event]]\nid = "battle-of-mukden"\ntitle = "Battle of Mukden"\n'
        'date = "1905-02-20/1905-03-10"\ncitations = [{ source = "esthus-1981" }]\n',
        encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nid = "esthus-1981"\ntype = "article-journal"\n'
        'authors = ["Esthus, Raymond A."]\ntitle = "Nicholas II and the Russo-Japanese War"\n'
        'issued = "1981"\ndoi = "10.2307/129919"\n', encoding="utf-8")
    ledger = load(tmp_path)
    recs, _ = _read("rjw.ris", "ris")
    _, skipped = im.plan(recs, ledger)
    assert [(s.record.line, s.reason) for s in skipped] == [
        (57, "already there as 'esthus-1981' in the ledger"), (69, skipped[1].reason)]
    recs, _ = _read("rjw-events.csv", "csv")
    added, skipped = im.plan(recs, ledger)
    assert "battle-of-mukden" not in [f["id"] for _, f in added]
    assert skipped[0].reason == "already there as 'battle-of-mukden' in the ledger"


def test_source_id_bases():
    assert im.source_id_base({"authors": ["van der Oye, David"], "issued": "2001"}, None) == (
        "oye-2001", True)
    assert im.source_id_base({"authors": ["Кривошеев, Г. Ф."], "issued": "2010"},
                             "Krivosheev2010") == ("krivosheev-2010", True)
    assert im.source_id_base({"title": "Treaty of Portsmouth text"}, None) == (
        "treaty-of-portsmouth", True)
    assert im.source_id_base({}, "hata-2014") == ("hata-2014", False)


def test_isbn10_and_13_are_one_book():
    assert im.isbn13("0-8108-4927-5") == im.isbn13("978-0-8108-4927-3") == "9780810849273"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
                        min_size=1, max_size=20).filter(lambda s: s.strip()),
                min_size=1, max_size=4))
def test_csv_cells_survive_any_text(titles):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["date", "title", "cite"])
    for t in titles:
        w.writerow(["1905", t, "x"])
    recs, errors = im.read(buf.getvalue(), "csv")
    assert [r.fields["title"] for r in recs] == [t.strip() for t in titles]
    assert errors == []


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "publisher", "note", "volume"]),
                       st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
                               min_size=1, max_size=30).filter(lambda s: " ".join(s.split())),
                       min_size=1))
def test_csl_json_reader_never_crashes_and_keeps_text(fields):
    item = {"id": "x-1", "type": "book", **fields}
    recs, _ = im.read(json.dumps([item]), "csl-json")
    for k, v in fields.items():
        assert recs[0].fields[k] == " ".join(v.split())


def test_the_readme_examples_are_these_fixtures():
    docs = IMPORT.parents[2] / "docs" / "examples"
    for name in ("rjw.bib", "rjw-zotero.json", "rjw.ris"):
        assert (docs / name).read_bytes() == (IMPORT / name).read_bytes(), name


def test_event_dates_as_people_write_them_and_old_style():
    text = ("date,title,cite\n27 May 1905,Tsushima,x\nsummer 1905,Talks,x\n"
            "20 Dec 1904 OS,Port Arthur surrenders,x\n")
    recs, errors = im.read(text, "csv")
    assert errors == []
    assert [(r.fields["date"], r.fields.get("calendar")) for r in recs] == [
        ("1905-05-27", None), ("1905-22", None), ("1904-12-20", "julian")]


def test_the_writers_field_orders_name_every_field_the_checker_knows():
    """Importers write records in their own field order; a field the checker knows but the
    order lacks would be dropped on import (publisher-romanised and part-of once were)."""
    from farchron.importers.common import EVENT_ORDER, SOURCE_ORDER
    from farchron.model.fields import EVENT_FIELDS, SOURCE_FIELDS

    assert set(SOURCE_ORDER) == set(SOURCE_FIELDS)
    assert set(EVENT_ORDER) == set(EVENT_FIELDS)


def test_bibtex_extended_name_format(tmp_path: Path):
    """biblatex's extended name format (biber; Better BibTeX and farchron's own export for
    names printed family first) is read as "Family, Given", its options left out."""
    bib = tmp_path / "works.bib"
    bib.write_text(
        "% a comment line, as farchron's export starts\n"
        "@book{w1,\n  author = {family={Hara}, given={Teruyuki}, nametemplates=cjk and "
        "given=Ludwig, prefix=van, family=Beethoven, useprefix=true and Smith, John},\n"
        "  title = {Shiberia shuppei},\n  year = {1989}\n}\n", encoding="utf-8")
    folder = tmp_path / "ledger"
    assert invoke("init", str(folder), data=None).exit_code == 0
    r = invoke("import", str(bib), data=folder)
    assert r.exit_code == 0, r.stderr
    works = json.loads(invoke("sources", "-f", "json", data=folder).stdout)
    assert works[0]["authors"] == ["Hara, Teruyuki", "van Beethoven, Ludwig", "Smith, John"]


def test_bibtex_export_imports_back_with_its_names(tmp_path: Path):
    bib = tmp_path / "again.bib"
    bib.write_text(invoke("sources", "-f", "bibtex", data=ROOT).stdout, encoding="utf-8")
    assert "family={Tomita}, given={Takeshi}, nametemplates=cjk" in bib.read_text("utf-8")
    folder = tmp_path / "ledger"
    assert invoke("init", str(folder), data=None).exit_code == 0
    assert invoke("import", str(bib), data=folder).exit_code == 0
    works = {w["id"]: w for w in json.loads(invoke("sources", "-f", "json", data=folder).stdout)}
    assert works["tomita-1996"]["authors"] == ["Tomita, Takeshi"]
    assert works["slavinsky-1996"]["authors"] == ["Slavinsky, Boris"]
