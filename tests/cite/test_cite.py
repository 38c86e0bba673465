"""`farchron cite` and `notes`, and cite.py: Chicago notes, short forms, Ibid."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from farchron.cite import chicago as cite
from farchron.ledger.load import Citation, load
from tests.conftest import FIXTURES, ROOT, invoke, run

CITE = FIXTURES / "cite"

TEXT = """\
May–Sep 1939: Nomonhan Incident (Soviet-Japanese border war). Four months of fighting on the Khalkha River.[1]

23 Aug 1939: German-Soviet Non-aggression Pact. Signed in Moscow.[2]

15 Sep 1939: Soviet-Japanese ceasefire at Nomonhan. Signed in Moscow; the *fighting* ends.[3]

Notes

1. Hata Ikuhiko, Mei to Ann no Nomonhan Senshi 明と暗のノモンハン戦史 [The Brightness and Darkness of the Nomonhan War History] (PHP Institute, 2014), 347; G. F. Krivosheev, Rossiia i SSSR v voinakh XX veka: Kniga poter’ Россия и СССР в войнах XX века: Книга потерь (Москва: Вече, 2010), 159.
2. Krivosheev, Rossiia i SSSR, 160.
3. Hanada Tomoyuki, “The Soviet Far Eastern Strategy and International Order,” sec. 1(3); Krivosheev, Rossiia i SSSR, 159; Hata, Mei to Ann, 350–351; Hanada Tomoyuki, “Soren kara Mita Nomonhan Jiken” [The Nomonhan Incident as Seen by the Soviet Union], in Soren to Higashi Ajia no Kokusai Seiji 1919–1941, ed. Asada Masafumi (Misuzu Shobo, 2017), 302; Lu Xijun, “Nitchu Senso Chokika no Seisaku Kettei Katei” [The Soviet Factor & the Sino-Japanese War], Gunji Shigaku 53, no. 2 (2017): 56.
"""  # noqa: E501

MARKDOWN = """\
**May–Sep 1939**: Nomonhan Incident (Soviet-Japanese border war). Four months of fighting on the Khalkha River.[^1]

**23 Aug 1939**: German-Soviet Non-aggression Pact. Signed in Moscow.[^2]

**15 Sep 1939**: Soviet-Japanese ceasefire at Nomonhan. Signed in Moscow; the \\*fighting\\* ends.[^3]

[^1]: Hata Ikuhiko, *Mei to Ann no Nomonhan Senshi* 明と暗のノモンハン戦史 \\[The Brightness and Darkness of the Nomonhan War History\\] (PHP Institute, 2014), 347; G. F. Krivosheev, *Rossiia i SSSR v voinakh XX veka: Kniga poter’* Россия и СССР в войнах XX века: Книга потерь (Москва: Вече, 2010), 159.
[^2]: Krivosheev, *Rossiia i SSSR*, 160.
[^3]: Hanada Tomoyuki, “The Soviet Far Eastern Strategy and International Order,” sec. 1(3); Krivosheev, *Rossiia i SSSR*, 159; Hata, *Mei to Ann*, 350–351; Hanada Tomoyuki, “Soren kara Mita Nomonhan Jiken” \\[The Nomonhan Incident as Seen by the Soviet Union\\], in *Soren to Higashi Ajia no Kokusai Seiji 1919–1941*, ed. Asada Masafumi (Misuzu Shobo, 2017), 302; Lu Xijun, “Nitchu Senso Chokika no Seisaku Kettei Katei” \\[The Soviet Factor & the Sino-Japanese War\\], *Gunji Shigaku* 53, no. 2 (2017): 56.
"""  # noqa: E501


def test_cite_text_exact():
    r = invoke("cite", "soviet", data=CITE)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == TEXT


def test_cite_markdown_exact():
    r = invoke("cite", "soviet", "-f", "markdown", data=CITE)
    assert r.stdout == MARKDOWN


def test_cite_json_shape():
    data = json.loads(invoke("cite", "soviet", "-f", "json", data=CITE).stdout)
    assert [e["id"] for e in data["events"]] == ["nomonhan", "pact", "ceasefire"]
    assert data["events"][0]["markers"] == [1]  # one note a place (CMOS 17 14.26)
    first = data["notes"][0]
    assert set(first) >= {"marker", "source", "pages", "text"}
    assert (first["marker"], first["source"]["id"], first["pages"]) == (1, "hata-2014", "347")
    assert first["text"].startswith("Hata Ikuhiko, Mei to Ann no Nomonhan Senshi")
    assert [w["source"] for w in first["works"]] == ["hata-2014", "krivosheev-2010"]
    assert data["notes"][2]["section"] == "1(3)" and data["notes"][2]["pages"] is None


def test_cite_no_match_exit_1():
    r = invoke("cite", "zzqqxx", data=CITE)
    assert (r.exit_code, r.stdout) == (1, "")


def test_event_note_citation_with_pages_narrows_the_note():
    data = json.loads(invoke("cite", "Karuizawa", "-f", "json", data=CITE).stdout)
    assert data["notes"][0]["pages"] == "316"
    assert data["notes"][0]["text"] == (
        "Togo Shigenori, Jidai no Ichimen 時代の一面 [One Aspect of the Era] "
        "(Hara Shobo, 1967), 316.")


def test_min_score_widens_to_mentions():
    narrow = json.loads(invoke("cite", "Moscow", "-f", "json", data=CITE).stdout
                        or '{"events": []}')
    wide = json.loads(invoke("cite", "Moscow", "--min-score", "80", "-f", "json",
                             data=CITE).stdout)
    assert len(narrow["events"]) == 0
    assert [e["id"] for e in wide["events"]] == ["pact", "ceasefire"]


# --------------------------------------------------------------------------- Ibid. rules


@pytest.fixture(scope="module")
def ledger():
    return load(CITE)


def _texts(ledger, cits):
    book = cite.Notes(ledger.sources)
    return [book.add(c).text for c in cits]


def test_ibid_same_work_same_page_and_other_page(ledger):
    k = "krivosheev-2010"
    texts = _texts(ledger, [Citation(k, None, "159"), Citation(k, None, "159"),
                            Citation(k, None, "161")])
    assert texts[1:] == ["Ibid.", "Ibid., 161."]


def test_no_ibid_after_another_work_short_form_instead(ledger):
    texts = _texts(ledger, [Citation("krivosheev-2010", None, "159"),
                            Citation("hata-2014", None, "1"),
                            Citation("krivosheev-2010", None, "159")])
    assert texts[2] == "Krivosheev, Rossiia i SSSR, 159."
    assert texts[1].startswith("Hata Ikuhiko, Mei to Ann no Nomonhan Senshi")  # first: full


def test_short_forms_of_chapter_and_article(ledger):
    texts = _texts(ledger, [Citation("hanada-2017", None, "1"), Citation("lu-2017", None, "2"),
                            Citation("hanada-2017", None, "3"), Citation("lu-2017", None, "4")])
    assert texts[2:] == ["Hanada, “Soren kara Mita Nomonhan,” 3.",
                         "Lu, “Nitchu Senso Chokika,” 4."]


def test_section_of_the_paper_and_ibid(ledger):
    texts = _texts(ledger, [Citation("paper", section="1(3)"),
                            Citation("paper", section="Introduction")])
    assert texts == ["Hanada Tomoyuki, “The Soviet Far Eastern Strategy and International "
                     "Order,” sec. 1(3).", "Ibid., introduction."]


def test_names_order_and_corporate_authors():
    lg = load(ROOT)
    note = cite.plain(cite.full_note(lg.sources["senshi-sosho-kantogun-1"], "310"))
    assert note.startswith("Office of War Study of the National Institute of Defense Studies, "
                           "Japan Defense Agency, Senshi Soshō Kantogun (1) 戦史叢書 関東軍（1）")
    note = cite.plain(cite.full_note(lg.sources["lozhkina-2015"], "272"))
    assert note.startswith("A. S. Lozhkina, K. E. Cherevko, and I. A. Shulatov, “Stalin no")
    assert "ed. Iokibe Makoto et al." in note
    note = cite.plain(cite.full_note(lg.sources["slavinsky-2002"], "364"))
    assert note.startswith("Boris Slavinsky and Dmitriy Slavinsky, Chugoku")
    assert "trans. Kato Yukihiko" in note


def test_every_shipped_work_formats_in_full_and_short():
    lg = load(ROOT)
    for s in lg.sources.values():
        full = cite.plain(cite.full_note(s, "1"))
        short = cite.plain(cite.short_note(s, "2"))
        assert full.endswith(".") and short.endswith("."), s.id
        assert ",," not in full + short and " ," not in full + short, s.id


@pytest.mark.parametrize("edition", [17, 18])
def test_later_notes_of_every_work_are_its_short_form_at_each_locator(edition):
    """Notes keeps what a work's short note says whatever its locator; every later note
    of each shipped work, at each locator, is short_note's form for that work alone."""
    lg = load(ROOT)
    works = list(lg.sources.values())
    book = cite.Notes(lg.sources, edition=edition)
    for s in works:
        book.add(Citation(s.id, None, "1"))
    for loc in ("2", "", "17-19"):
        for n, s in enumerate(works):
            other = works[n - 1]  # between two notes of a work: no Ibid.
            book.add(Citation(other.id, None, "9"))
            got = book.add(Citation(s.id, None, loc or None)).text
            want = cite.plain(cite.short_note(s, cite.pages_text(loc), edition))
            assert got == want, (s.id, loc)


# --------------------------------------------------------------------------- notes


def test_notes_listing_and_json():
    r = invoke("notes", "2", "3", data=CITE)
    # the fourth column: the events citing the note (issue 13's reverse lookup)
    assert r.stdout.splitlines()[0] == "2\tkrivosheev-2010 160\tТам же. С. 160.\tpact"
    data = json.loads(invoke("notes", "3", "-f", "json", data=CITE).stdout)
    assert data[0]["number"] == 3
    assert data[0]["citations"][1] == {"source": "hata-2014", "pages": "350-351"}
    assert set(data[0]) == {"number", "citations", "text", "events"}


def test_notes_unknown_number():
    r = invoke("notes", "99", data=CITE)
    assert r.exit_code == 1 and r.stdout == "" and "no note 99" in r.stderr
    r = invoke("notes", "1", "99", data=CITE)
    assert r.exit_code == 0 and r.stdout.startswith("1\t")


def test_cite_markdown_through_pandoc():
    if shutil.which("pandoc") is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("pandoc is required in CI")
        pytest.skip("pandoc not installed")
    md = invoke("cite", "soviet", "-f", "markdown", data=CITE).stdout
    out = subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "--wrap=none"], input=md,
                         capture_output=True, text=True, check=True)
    assert out.stderr == ""
    assert out.stdout.count('class="footnote-ref"') == 3  # one note a place
    assert "<em>Mei to Ann no Nomonhan Senshi</em>" in out.stdout
    assert "poter’" in out.stdout  # typographic apostrophe, never a backslash escape


def test_cite_in_a_pipe_is_plain():
    r = run("cite", "soviet", data=CITE)
    assert r.stdout == TEXT and "\x1b" not in r.stdout


# --------------------------------------------------------------------------- dates as printed

PRINTED = FIXTURES / "printed"
PRINTED_IDS = ("port-arthur-falls", "pact-signed", "plain-day")


def test_cite_as_printed_follows_the_date_in_one_parenthesis() -> None:
    r = invoke("cite", *PRINTED_IDS, "--as-printed", data=PRINTED)
    assert r.exit_code == 0, r.stderr
    paras = r.stdout.split("\n\n")
    assert paras[0] == ("20 Dec 1904 OS (2 Jan 1905; as printed: 20 декабря 1904 г.): "
                        "Port Arthur surrenders. Stessel surrenders the fortress.[1]")
    assert paras[1].startswith("23 Aug 1939 (as printed: 昭和14年8月23日): German-Soviet")
    # a printed form the display already says is not repeated
    assert paras[2].startswith("1 Sep 1939: A plain day.")


def test_cite_without_as_printed_keeps_the_draft_clean() -> None:
    r = invoke("cite", *PRINTED_IDS, data=PRINTED)
    assert r.exit_code == 0, r.stderr
    assert "as printed" not in r.stdout and "декабря" not in r.stdout
    assert r.stdout.startswith("20 Dec 1904 OS (2 Jan 1905): Port Arthur surrenders.")


def test_cite_as_printed_with_era_calendar_and_markdown() -> None:
    r = invoke("cite", "port-arthur-falls", "pact-signed", "--as-printed", "--era", "japanese",
               "-f", "markdown", data=PRINTED)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("**20 Dec 1904 OS (2 Jan 1905; Meiji 38; as printed: "
                               "20 декабря 1904 г.)**: Port Arthur surrenders.")
    assert "**23 Aug 1939 (Shōwa 14; as printed: 昭和14年8月23日)**" in r.stdout
    r = invoke("cite", "port-arthur-falls", "--as-printed", "--calendar", "gregorian",
               data=PRINTED)
    assert r.stdout.startswith("2 Jan 1905 (as printed: 20 декабря 1904 г.): Port Arthur")


def test_cite_json_carries_the_printed_date_and_the_era() -> None:
    r = invoke("cite", *PRINTED_IDS, "-f", "json", "--era", "minguo", data=PRINTED)
    assert r.exit_code == 0, r.stderr
    ev = {e["id"]: e for e in json.loads(r.stdout)["events"]}
    assert ev["port-arthur-falls"]["date-as-printed"] == "20 декабря 1904 г."
    assert ev["port-arthur-falls"]["era"] == ""  # the Republic of China begins in 1912
    assert ev["pact-signed"]["era"] == "Minguo 28"


def test_cite_help_documents_as_printed() -> None:
    r = invoke("cite", "--help")
    text = " ".join(r.stdout.split())
    assert "--as-printed After each date, the date as the source prints it" in text
