"""A second ledger built the way a historian starts one: `farchron init`, then the RIS,
BibTeX and CSL-JSON files Zotero writes for a bibliography on the Siberian Intervention
(1918-1922) in Russian, Japanese and English (tests/fixtures/zotero-siberia, in the shapes of
Zotero's own RIS.js, BibTeX.js and "CSL JSON.js" translators: tab-indented CSL with string
years, RIS dates as YYYY/MM/DD/, BibTeX with month macros and no day). Issue 26."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, invoke

ZOTERO = FIXTURES / "zotero-siberia"
FILES = [str(ZOTERO / n) for n in ("zotero.json", "zotero.ris", "zotero.bib")]


def _ledger(folder: Path, *options: str) -> Path:
    assert invoke("init", str(folder), data=None).exit_code == 0
    r = invoke("import", *options, *FILES, data=folder)
    assert r.exit_code == 0, r.stderr
    return folder


@pytest.fixture(scope="module")
def romanised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ledger(tmp_path_factory.mktemp("zotero") / "siberia", "--romanise")


def _works(folder: Path) -> dict[str, dict[str, object]]:
    r = invoke("sources", "-f", "json", data=folder)
    assert r.exit_code == 0, r.stderr
    return {w["id"]: w for w in json.loads(r.stdout)}


def test_twenty_works_with_romanised_ids_that_check(romanised: Path):
    works = _works(romanised)
    assert len(works) >= 20
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", w) for w in works)
    # Japanese family names by their readings, not as Mandarin (細谷 was "xigu")
    for wid in ("hosoya-1961", "hara-1989", "asada-2016", "isao-2014"):
        assert wid in works
    # Russian by ALA-LC (Звягин, not anyascii's "zvyagin"; Ципкин twice, told apart by year)
    for wid in ("zviagin-2001", "tsipkin-1990", "tsipkin-1995", "semenov-1918",
                "iaponskii-desant-vo-1918", "zhurnal-zasedaniia-soveta-1919"):
        assert wid in works
    r = invoke("check", data=romanised, env={"FARCHRON_NO_CACHE": "1"})
    assert r.exit_code == 0, r.stderr
    assert "not in Latin script" not in r.stdout + r.stderr


def test_romanise_moves_the_script_into_original_title(romanised: Path):
    works = _works(romanised)
    hara = works["hara-1989"]
    assert hara["title"] == "Shiberia shuppei to nippon no tairiku seisaku"
    assert hara["original-title"] == "シベリア出兵と日本の大陸政策"
    assert hara["container-original-title"] == "歴史学研究"
    assert hara["authors"] == ["原, 暉之"] and hara["authors-romanised"][0].startswith("Hara, ")
    tsipkin = works["tsipkin-1990"]
    assert tsipkin["title"] == "Iaponskaia interventsiia na Dal'nem Vostoke"
    assert tsipkin["authors-romanised"] == ["Tsipkin, Iu. N."]
    assert all(not re.search(r"[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]", str(w["title"]))
               for w in works.values())


def test_without_romanise_check_warns_about_script_titles(tmp_path: Path):
    folder = _ledger(tmp_path / "plain")
    r = invoke("check", data=folder, env={"FARCHRON_NO_CACHE": "1"})
    assert r.exit_code == 0  # a warning, not an error
    warned = re.findall(r"source '([a-z0-9-]+)': 'title' is not in Latin script",
                        r.stdout + r.stderr)
    assert "hara-1989" in warned and "tsipkin-1990" in warned
    assert "white-1950" not in warned and "smele-1993" not in warned
    assert "hosoya-1961" in _works(folder)  # ids are romanised either way


def test_every_zotero_field_is_imported(romanised: Path):
    w = _works(romanised)
    garf = w["zhurnal-zasedaniia-soveta-1919"]
    assert (garf["archive"], garf["archive-romanised"], garf["archive-location"],
            garf["archive-place"], garf["issued"]) == \
        ("ГАРФ", "GARF", "f. 1700, op. 7, d. 7", "Moscow", "1919-03-02")
    rgva = w["prikaz-voiskam-priamurskogo-1920"]  # RIS DB/AN, DA before PY
    assert (rgva["archive"], rgva["archive-location"], rgva["issued"]) == \
        ("РГВА", "f. 39458, op. 1, d. 12", "1920-05-01")
    news = w["shuppei-sengen-1918"]
    assert (news["issued"], news["section"], news["edition"], news["page"]) == \
        ("1918-08-03", "2", "朝刊", "1")
    assert w["evakuatsiia-iaponskikh-voisk-1922"]["issued"] == "1922-10-25"
    assert w["evakuatsiia-iaponskikh-voisk-1922"]["section"] == "2"
    for tid in ("white-1950", "dunscomb-2001", "smith-1970"):  # CSL, RIS, BibTeX
        assert w[tid]["type"] == "thesis" and str(w[tid]["genre"]).startswith("PhD")
    assert w["smith-1970"]["publisher"] == "Harvard University"
    assert w["dunscomb-2001"]["publisher"] == "University of Michigan"
    smele = w["smele-1993"]
    assert smele["original-work-title"] == "Допрос Колчака"  # Zotero's original-title
    assert "original-title" not in smele
    assert smele["editors"] == smele["translators"] == ["Carley, Michael J."]
    assert w["sukhanov-1955"]["editors"] == w["sukhanov-1955"]["translators"]  # RIS A3/A4
    assert w["semenov-1918"]["translators"] == ["Оякава, Т."]  # BibTeX translator
    assert w["dunscomb-2001"]["short-title"] == '"A Great Disobedience Against the People"'
    assert w["inter-allied-railway-1920"]["type"] == "report"


def test_exported_back_with_every_field(romanised: Path):
    csl = {i["id"]: i for i in json.loads(invoke("sources", "-f", "csl-json",
                                                 data=romanised).stdout)}
    g = csl["zhurnal-zasedaniia-soveta-1919"]
    assert (g["archive"], g["archive_location"], g["archive-place"]) == \
        ("GARF", "f. 1700, op. 7, d. 7", "Moscow")
    assert g["issued"] == {"date-parts": [[1919, 3, 2]]}
    assert csl["shuppei-sengen-1918"]["issued"] == {"date-parts": [[1918, 8, 3]]}
    assert csl["white-1950"]["genre"].startswith("PhD") and \
        csl["white-1950"]["publisher"] == "Stanford University"
    assert csl["smele-1993"]["original-title"] == "Допрос Колчака"
    assert all("title-short" in i for i in csl.values())
    assert "シベリア出兵と日本の大陸政策" in csl["hara-1989"]["note"]  # Zotero's Extra
    ris = invoke("sources", "-f", "ris", data=romanised).stdout
    rgva = ris[ris.index("ID  - prikaz-voiskam-priamurskogo-1920"):].split("ER  -")[0]
    assert "AN  - f. 39458, op. 1, d. 12" in rgva and "DA  - 1920/05/01" in rgva
    assert re.search(r"^DB  - (РГВА|RGVA)", rgva, re.M)
    news = ris[ris.index("ID  - evakuatsiia-iaponskikh-voisk-1922"):].split("ER  -")[0]
    assert "DA  - 1922/10/25" in news and "SE  - 2" in news
    bib = invoke("sources", "-f", "bibtex", data=romanised).stdout
    smith = bib[bib.index("{smith-1970,"):].split("\n}\n")[0]
    assert "institution = {Harvard University}" in smith and "type = {phdthesis}" in smith
    # and what was exported imports again as the same works: nothing added twice
    for fmt, name in (("csl-json", "again.json"), ("ris", "again.ris"), ("bibtex", "again.bib")):
        path = romanised.parent / name
        path.write_text(invoke("sources", "-f", fmt, data=romanised).stdout, encoding="utf-8")
        r = invoke("import", "--dry-run", str(path), data=romanised)
        assert r.exit_code == 0 and "would add 0 records" in r.stderr, (fmt, r.stderr)


def test_search_finds_japanese_by_its_reading(tmp_path: Path):
    folder = _ledger(tmp_path / "plain")
    r = invoke("add", "event", "--title", "Siberian Intervention declared", "--date",
               "1918-08-02", "--alias", "シベリア出兵宣言", "--cite", "hara-1989:1", data=folder)
    assert r.exit_code == 0, r.stderr
    hits = invoke("search", "shuppei", "-f", "json", data=folder)  # 出兵, by its reading
    assert hits.exit_code == 0, hits.stderr
    assert [h["id"] for h in json.loads(hits.stdout)][:1] == ["siberian-intervention-declared"]
    works = invoke("sources", "tairiku seisaku", "-f", "json", data=folder)  # 大陸政策
    assert works.exit_code == 0, works.stderr
    assert [w["id"] for w in json.loads(works.stdout)][:1] == ["hara-1989"]
    # the Cyrillic title without --romanise is found by its transliteration too
    works = invoke("sources", "Tsipkin", "-f", "json", data=folder)
    assert {"tsipkin-1990", "tsipkin-1995"} <= {w["id"] for w in json.loads(works.stdout)}


def test_plain_import_gives_the_romanised_ids(romanised: Path, tmp_path: Path):
    """Issue 26: without --romanise too, Russian ids are ALA-LC without diacritics
    (Айрапетов -> airapetov, not anyascii's ayrapetov) and Japanese ids Hepburn readings
    (細谷 -> hosoya, not Mandarin xigu): the same ids either way, the institution 参謀本部
    included (its romanised name, Sanbōhonbu, is not read as Japanese a second time)."""
    plain = _works(_ledger(tmp_path / "plain"))
    assert sorted(plain) == sorted(_works(romanised))
    assert {"sanbohonbu-1930", "hosoya-1961", "zviagin-2001", "semenov-1918",
            "prikaz-voiskam-priamurskogo-1920", "evakuatsiia-iaponskikh-voisk-1922",
            "shuppei-sengen-1918", "urajio-haken-gun-1922"} <= set(plain)
    assert "iaponskii-desant-vo-1918" in plain and "yaponskiy-desant-vo-1918" not in plain


def test_romanise_writes_the_place_of_publication_in_latin(romanised: Path):
    works = _works(romanised)
    assert (works["tsipkin-1995"]["publisher-place"],
            works["tsipkin-1995"]["publisher-place-romanised"]) == ("Хабаровск", "Khabarovsk")
    assert works["asada-2016"]["publisher-place-romanised"] == "Tōkyō"
    chicago = invoke("sources", "-f", "chicago", data=romanised).stdout
    assert "Khabarovsk: Knizhnoe izdatel’stvo, 1995." in chicago
    assert not re.search(r"[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]+:", chicago)
