"""A ledger split by `include`: the fall of Constantinople, 1444-1453, in a main file and
two chapter files (and a sources part). Every command reads across the parts; problems
are reported at the part's FILE:LINE; add --file writes into a part; the cache follows
any part's change; ids are unique across all files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import invoke

EVENTS = '''\
include = ["chapters/*.toml"]

[[event]]
id = "accession-of-mehmed-ii"
title = "Accession of Mehmed II"
date = "1451-02-03"
calendar = "julian"
summary = "Mehmed II succeeds his father Murad II as Ottoman sultan."
actors = ["Mehmed II"]
citations = [{ source = "runciman-1965", pages = "56" }]
'''

CHAPTER_1452 = '''\
[[event]]
id = "rumeli-hisari-completed"
title = "Rumeli Hisari completed"
date = "1452-08-31"
calendar = "julian"
summary = "The fortress on the European shore of the Bosphorus is finished."
places = ["Rumeli Hisari", "Bosphorus"]
citations = [{ source = "babinger-1978", pages = "77" }]
'''

CHAPTER_1453 = '''\
[[event]]
id = "siege-of-constantinople"
title = "Siege of Constantinople"
date = "1453-04-06/1453-05-29"
calendar = "julian"
summary = "Ottoman forces besiege the Byzantine capital for fifty-three days."
citations = [{ source = "runciman-1965", pages = "96-144" }]

[[event]]
id = "fall-of-constantinople"
title = "Fall of Constantinople"
date = "1453-05-29"
calendar = "julian"
part-of = "siege-of-constantinople"
summary = "The city falls; Constantine XI Palaiologos dies in the fighting."
actors = ["Constantine XI Palaiologos", "Mehmed II"]
citations = [{ source = "runciman-1965", pages = "139" }]
'''

SOURCES = '''\
include = ["works/*.toml"]

[[source]]
id = "runciman-1965"
type = "book"
authors = ["Runciman, Steven"]
title = "The Fall of Constantinople 1453"
publisher = "Cambridge University Press"
issued = "1965"
'''

WORK = '''\
[[source]]
id = "babinger-1978"
type = "book"
authors = ["Babinger, Franz"]
title = "Mehmed the Conqueror and His Time"
publisher = "Princeton University Press"
issued = "1978"
'''


@pytest.fixture
def split(tmp_path: Path) -> Path:
    """The ledger in five files: events.toml + chapters/1452.toml + chapters/1453.toml,
    sources.toml + works/babinger.toml."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "works").mkdir()
    (tmp_path / "events.toml").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "chapters" / "1452.toml").write_text(CHAPTER_1452, encoding="utf-8")
    (tmp_path / "chapters" / "1453.toml").write_text(CHAPTER_1453, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "works" / "babinger.toml").write_text(WORK, encoding="utf-8")
    return tmp_path


def timeline_ids(data: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    r = invoke("timeline", *args, "-f", "json", data=data, env=env)
    assert r.exit_code == 0, r.stderr
    return [e["id"] for e in json.loads(r.stdout)]


def line_of(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                if text in ln)


def test_timeline_reads_every_part_in_date_order(split: Path) -> None:
    assert timeline_ids(split) == ["accession-of-mehmed-ii", "rumeli-hisari-completed",
                                   "siege-of-constantinople", "fall-of-constantinople"]
    assert timeline_ids(split, "1453") == ["siege-of-constantinople", "fall-of-constantinople"]


def test_search_and_cite_find_records_in_parts(split: Path) -> None:
    r = invoke("search", "Bosphorus", "-f", "json", data=split)
    assert r.exit_code == 0, r.stderr
    assert next(e["id"] for e in json.loads(r.stdout)) == "rumeli-hisari-completed"
    # an event in one part citing a work in the sources part
    r = invoke("cite", "rumeli-hisari-completed", data=split)
    assert r.exit_code == 0, r.stderr
    assert "Franz Babinger, Mehmed the Conqueror and His Time" in r.stdout
    assert "77" in r.stdout
    r = invoke("cite", "fall-of-constantinople", data=split)
    assert r.exit_code == 0, r.stderr
    assert "Runciman" in r.stdout and "139" in r.stdout


def test_check_is_clean_across_parts(split: Path) -> None:
    r = invoke("check", data=split)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "4 events, 2 sources" in r.stderr
    # every work is cited from some part: no "never cited" warning
    assert "never cited" not in r.stdout


def test_a_bad_record_in_a_part_is_reported_at_that_parts_line(split: Path) -> None:
    part = split / "chapters" / "1453.toml"
    part.write_text(CHAPTER_1453.replace('date = "1453-05-29"\n', 'date = "1453-13-29"\n')
                    .replace('pages = "139"', 'pages = "139" }, { source = "doukas-1975"'),
                    encoding="utf-8")
    r = invoke("check", data=split)
    assert r.exit_code == 1
    date_line = line_of(part, "1453-13-29")
    assert f"{part}:{date_line}: invalid Julian date '1453-13-29'" in r.stdout
    cite_line = line_of(part, "doukas-1975")
    assert f"{part}:{cite_line}: event 'fall-of-constantinople' cites unknown source " \
           "'doukas-1975'" in r.stdout
    assert f"{split / 'events.toml'}:" not in r.stdout  # nothing blamed on the main file


def test_a_bad_work_in_the_sources_part_is_reported_there(split: Path) -> None:
    work = split / "works" / "babinger.toml"
    work.write_text(WORK.replace('type = "book"', 'type = "bok"'), encoding="utf-8")
    r = invoke("check", data=split)
    assert r.exit_code == 1
    assert f"{work}:{line_of(work, 'bok')}: type 'bok' is not a CSL item type" in r.stdout


def test_duplicate_ids_across_parts_name_both_files_and_lines(split: Path) -> None:
    part = split / "chapters" / "1452.toml"
    part.write_text(CHAPTER_1452 + "\n" + CHAPTER_1453.split("\n\n")[1], encoding="utf-8")
    r = invoke("check", data=split)
    assert r.exit_code == 1
    first = split / "chapters" / "1453.toml"
    # 1452.toml is read before 1453.toml: the copy in 1452 is the first
    key = 'id = "fall-of-constantinople"'
    assert (f"{first}:{line_of(first, key)}: duplicate id 'fall-of-constantinople' (first "
            f"used by the event at {part}:{line_of(part, key)})") in r.stdout
    # and the same for works across sources.toml and its part
    work = split / "works" / "babinger.toml"
    work.write_text(WORK + "\n" + SOURCES.split("\n\n", 1)[1], encoding="utf-8")
    r = invoke("check", data=split)
    assert (f"{work}:{line_of(work, 'runciman-1965')}: duplicate source id 'runciman-1965' "
            f"(first used by the source at {split / 'sources.toml'}:4)") in r.stdout


@pytest.mark.parametrize(("include", "code_text"), [
    ('["chapter/*.toml"]', "include pattern 'chapter/*.toml' matches no file"),
    ('["../elsewhere/*.toml"]', "points outside the ledger folder"),
    ('["*.toml"]', "a main file of the ledger; a file cannot include itself"),
    ('"chapters/*.toml"', "'include' must be an array of file patterns"),
])
def test_bad_includes_are_clear_errors(split: Path, include: str, code_text: str) -> None:
    (split / "events.toml").write_text(
        EVENTS.replace('["chapters/*.toml"]', include), encoding="utf-8")
    r = invoke("check", data=split)
    assert r.exit_code == 1
    assert f"{split / 'events.toml'}:1: " in r.stdout and code_text in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    r = invoke("timeline", data=split)  # every command refuses it, with the same words
    assert r.exit_code != 0 and code_text in r.stderr


def test_a_part_may_not_include_in_turn(split: Path) -> None:
    part = split / "chapters" / "1452.toml"
    part.write_text('include = ["../events.toml"]\n\n' + CHAPTER_1452, encoding="utf-8")
    r = invoke("check", data=split)
    assert r.exit_code == 1
    assert f"{part}:1: a part may not include other files" in r.stdout


def test_add_file_writes_into_the_named_part(split: Path) -> None:
    before = {p: p.read_bytes() for p in (split / "events.toml", split / "chapters" / "1452.toml")}
    r = invoke("add", "event", "--title", "Ottoman fleet carried overland into the Golden Horn",
               "--date", "1453-04-22", "--calendar", "julian", "--cite", "runciman-1965:104",
               "--file", "chapters/1453.toml", data=split)
    assert r.exit_code == 0, r.stderr
    eid = r.stdout.strip()
    text = (split / "chapters" / "1453.toml").read_text(encoding="utf-8")
    assert f'id = "{eid}"' in text
    # in date order inside the part: after the siege's start, before the fall
    assert text.index(eid) < text.index('id = "fall-of-constantinople"')
    assert {p: p.read_bytes() for p in before} == before  # the other files untouched
    assert eid in timeline_ids(split, "1453")
    # without --file: the main file
    r = invoke("add", "event", "--title", "Battle of Varna", "--date", "1444-11-10",
               "--cite", "babinger-1978:30", data=split)
    assert r.exit_code == 0, r.stderr
    assert 'id = "battle-of-varna"' in (split / "events.toml").read_text(encoding="utf-8")


def test_add_file_makes_a_new_part_its_pattern_matches(split: Path) -> None:
    r = invoke("add", "event", "--title", "Fall of the Morea", "--date", "1460",
               "--cite", "babinger-1978:170", "--file", "chapters/1460.toml", data=split)
    assert r.exit_code == 0, r.stderr
    assert (split / "chapters" / "1460.toml").read_text(encoding="utf-8").startswith(
        "[[event]]\nid = \"fall-of-the-morea\"")
    assert timeline_ids(split)[-1] == "fall-of-the-morea"


def test_add_file_refuses_what_is_no_part_and_duplicates_across_parts(split: Path) -> None:
    snapshot = {p: p.read_bytes() for p in split.rglob("*.toml")}
    r = invoke("add", "event", "--title", "X", "--date", "1453", "--cite", "runciman-1965:1",
               "--file", "drafts/x.toml", data=split)
    assert r.exit_code == 2
    assert "drafts/x.toml: not a part of the ledger" in r.stderr
    assert "events.toml includes ['chapters/*.toml']" in r.stderr
    r = invoke("add", "event", "--title", "X", "--date", "1453", "--cite", "runciman-1965:1",
               "--file", "works/x.toml", data=split)
    assert r.exit_code == 2 and "part of sources.toml" in r.stderr
    # an id that another part holds
    r = invoke("add", "event", "--title", "Siege", "--id", "siege-of-constantinople",
               "--date", "1453", "--cite", "runciman-1965:1", "--file", "chapters/1452.toml",
               data=split)
    assert r.exit_code == 2
    assert "duplicate id 'siege-of-constantinople'" in r.stderr
    assert "chapters/1453.toml" in r.stderr and "Traceback" not in r.stderr
    assert {p: p.read_bytes() for p in split.rglob("*.toml")} == snapshot
    # a new title whose slug another part holds gets a fresh id, not a clash
    r = invoke("add", "event", "--title", "Fall of Constantinople", "--date", "1453-05-29",
               "--cite", "runciman-1965:140", data=split)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "fall-of-constantinople-2"


def test_the_cache_follows_a_change_in_a_part_only(split: Path, xdg: Path) -> None:
    env = {"FARCHRON_NO_CACHE": "", "XDG_CACHE_HOME": str(xdg)}

    def fall_date() -> str:
        r = invoke("timeline", "-f", "json", data=split, env=env)
        assert r.exit_code == 0, r.stderr
        return next(e["date"] for e in json.loads(r.stdout) if e["id"] == "fall-of-constantinople")

    assert fall_date() == "1453-05-29"
    assert list((xdg / "farchron").glob("*.ledger.store"))  # the cache is on and filled
    part = split / "chapters" / "1453.toml"
    st = part.stat()
    # same size, same mtime: only the bytes tell (the key holds each part's crc)
    part.write_text(CHAPTER_1453.replace('date = "1453-05-29"', 'date = "1453-05-28"'),
                    encoding="utf-8")
    os.utime(part, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert fall_date() == "1453-05-28"
    # a new part that the pattern matches is read at once
    (split / "chapters" / "1454.toml").write_text(
        CHAPTER_1452.replace("rumeli-hisari-completed", "treaty-with-venice")
        .replace("1452-08-31", "1454-04-18"), encoding="utf-8")
    assert "treaty-with-venice" in timeline_ids(split, env=env)
    # and one removed is gone
    (split / "chapters" / "1454.toml").unlink()
    assert "treaty-with-venice" not in timeline_ids(split, env=env)
    # the sources part too: a corrected title shows in the next cite
    work = split / "works" / "babinger.toml"
    work.write_text(WORK.replace("His Time", "his Time: a Life"), encoding="utf-8")
    r = invoke("cite", "rumeli-hisari-completed", data=split, env=env)
    assert "Mehmed the Conqueror and his Time: a Life" in r.stdout


def test_a_big_main_file_with_parts_reads_the_parts(split: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunked parser is for one file: a main file over its threshold that includes
    parts is read whole, parts and all."""
    from farchron.ledger import parallel

    monkeypatch.setattr(parallel, "CHUNK_MIN", 10)
    monkeypatch.setattr(parallel, "CHUNK_CHARS", 10)
    assert timeline_ids(split) == ["accession-of-mehmed-ii", "rumeli-hisari-completed",
                                   "siege-of-constantinople", "fall-of-constantinople"]
