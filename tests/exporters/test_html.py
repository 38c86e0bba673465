"""`farchron export html` in a real headless Chromium, and `export timelinejs`.

The browser tests drive the system's Chromium through Playwright; they skip only
when Chromium is absent and $CI is unset (CI installs it, so there they must run).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from farchron.exporters.html import script_json
from tests.conftest import SMALL, invoke, write_ledger

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SMALL_IDS = ["cannae", "nomonhan", "pact", "markup", "autumn", "telegram"]

HOSTILE_EVENTS = '''
[[event]]
id = "hostile"
title = "</script><script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>"
date = "1939-08-23"
summary = "<b>not bold</b> <a href='https://example.com/'>link</a> <!-- <script>"
aliases = ["</script>"]
tags = ["<i>tag</i>"]
citations = [{ note = 1 }]

[[event]]
id = "plain"
title = "A plain event"
date = "1932~/1934"
citations = [{ source = "paper", pages = "5-7" }]
'''
HOSTILE_SOURCES = '''
[[source]]
id = "paper"
type = "article"
title = "<script>alert(1)</script> The paper"

[[note]]
number = 1
text = "</script><img src=x onerror=alert(1)> note text"
citations = [{ source = "paper", pages = "1" }]
'''


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("hostile"), HOSTILE_EVENTS, HOSTILE_SOURCES)


def export(tmp: Path, *args: str, data: Path = SMALL, name: str = "t.html") -> Path:
    out = tmp / name
    r = invoke("export", "html", *args, "-o", str(out), data=data)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    return out


# --------------------------------------------------------------------------- the file


def test_script_json_cannot_close_its_element():
    text = script_json({"t": "</script><!-- <script> & \u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><!-- <script> & \u2028"}


def test_page_is_self_contained(tmp_path):
    page = export(tmp_path).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for needle in ("http://", "https://", "//cdn", "src=", "@import", "url("):
        assert needle not in page, needle
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@media print" in page


def test_hostile_text_stays_data(tmp_path, hostile):
    page = export(tmp_path, data=hostile).read_text(encoding="utf-8")
    assert page.count("</script>") == 2  # the template's own two elements
    assert "onerror" not in page.split('id="farchron-data">')[0]
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page


def test_output_is_written_atomically_keeping_mode_and_symlink(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.html"
    link.symlink_to(real)
    r = invoke("export", "html", "1939", "-o", str(link))
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "real.html"]
    assert "wrote" in r.stderr


def test_unwritable_destination_is_exit_2_and_leaves_nothing(tmp_path):
    r = invoke("export", "html", "-o", str(tmp_path / "missing" / "t.html"))
    assert r.exit_code == 2 and "cannot write" in r.stderr
    r = invoke("export", "html", "-o", str(tmp_path))  # a folder
    assert r.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_output_dash_is_stdout():
    r = invoke("export", "html", "1939", "-o", "-")
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>") and r.stderr == ""


def test_no_events_is_exit_1_and_no_file(tmp_path):
    r = invoke("export", "html", "1800", "-o", str(tmp_path / "t.html"))
    assert r.exit_code == 1 and "nothing written" in r.stderr
    assert not (tmp_path / "t.html").exists()


def test_export_is_a_group():
    r = invoke("export", "--help")
    assert r.exit_code == 0 and "html" in r.stdout and "timelinejs" in r.stdout


# --------------------------------------------------------------------------- TimelineJS


def _tljs(*args: str, data: Path = SMALL) -> dict[str, Any]:
    r = invoke("export", "timelinejs", *args, "-o", "-", data=data)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_exports_carry_the_era_year_when_asked(tmp_path: Path):
    """Issue 12: `--era japanese|minguo` adds "Shōwa 14" beside the date, and "the HTML and
    TimelineJS exports carry it too" -- both refused --era."""
    ev = {e["unique_id"]: e for e in _tljs("--era", "japanese")["events"]}
    assert ev["nomonhan"]["display_date"].endswith(" (Shōwa 14)")
    assert ev["nomonhan"]["start_date"]["display_date"] == ev["nomonhan"]["display_date"]
    assert ev["cannae"]["display_date"] == "Aug 216 BC"  # no era that far back
    ev = {e["unique_id"]: e for e in _tljs("--era", "minguo")["events"]}
    assert ev["nomonhan"]["display_date"].endswith(" (Minguo 28)")
    assert "(" not in {e["unique_id"]: e for e in _tljs()["events"]}["nomonhan"]["display_date"]
    page = export(tmp_path, "--era", "japanese").read_text(encoding="utf-8")
    assert '"era": "Shōwa 14"' in page or '"era":"Shōwa 14"' in page  # the page's data
    assert "Shōwa" not in export(tmp_path).read_text(encoding="utf-8")


def test_timelinejs_dates_keep_precision_and_bc_years():
    doc = _tljs()
    ev = {e["unique_id"]: e for e in doc["events"]}
    assert list(ev) == SMALL_IDS
    # TimelineJS has no year zero: 216 BC (EDTF -0215) is its year -216
    assert ev["cannae"]["start_date"] == {"year": -216, "month": 8, "display_date": "Aug 216 BC"}
    assert "end_date" not in ev["cannae"]
    assert ev["nomonhan"]["start_date"]["month"] == 5
    assert ev["nomonhan"]["end_date"] == {"year": 1939, "month": 9}
    assert ev["pact"]["start_date"] == {"year": 1939, "month": 8, "day": 23,
                                        "display_date": "23 Aug 1939"}
    assert ev["autumn"]["display_date"] == "autumn–winter 1944"
    assert ev["autumn"]["start_date"]["month"] == 9
    assert ev["autumn"]["end_date"] == {"year": 1945, "month": 2}
    assert ev["telegram"]["start_date"]["hour"] == 20
    assert ev["telegram"]["start_date"]["minute"] == 50
    assert ev["nomonhan"]["group"] == "battle"


def test_timelinejs_text_is_escaped_html_with_footnotes(hostile):
    doc = _tljs(data=hostile)
    ev = {e["unique_id"]: e for e in doc["events"]}
    h = ev["hostile"]["text"]
    assert h["headline"].startswith("&lt;/script&gt;&lt;script&gt;")
    assert "<b>" not in h["text"] and "&lt;b&gt;not bold" in h["text"]
    assert "&lt;img src=x onerror=alert(1)&gt; note text" in h["text"]
    assert ev["plain"]["display_date"] == "c. 1932–1934"
    assert ev["plain"]["start_date"]["year"] == 1932


def test_timelinejs_file_and_title(tmp_path):
    out = tmp_path / "t.json"
    r = invoke("export", "timelinejs", "1939", "--title", "Summer 1939", "-o", str(out))
    assert r.exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["title"]["text"]["headline"] == "Summer 1939"
    assert len(doc["events"]) == 3


def test_timelinejs_era_goes_in_display_date():
    ev = {e["unique_id"]: e for e in _tljs("--era", "japanese")["events"]}
    assert ev["pact"]["display_date"] == "23 Aug 1939 (Shōwa 14)"
    assert ev["pact"]["start_date"]["display_date"] == "23 Aug 1939 (Shōwa 14)"
    assert ev["autumn"]["display_date"] == "autumn–winter 1944 (Shōwa 19–20)"
    assert ev["cannae"]["display_date"] == "Aug 216 BC"  # no era: the date alone
    ev = {e["unique_id"]: e for e in _tljs("--era", "minguo")["events"]}
    assert ev["nomonhan"]["display_date"] == "May–Sep 1939 (Minguo 28)"
    assert _tljs()["events"][2]["display_date"] == "23 Aug 1939"  # without --era, as before


def test_timelinejs_calendar_of_an_old_style_event():
    printed = ROOT / "tests" / "fixtures" / "printed"
    ev = {e["unique_id"]: e for e in _tljs("--era", "japanese", data=printed)["events"]}
    assert ev["port-arthur-falls"]["display_date"] == "20 Dec 1904 OS (2 Jan 1905) (Meiji 38)"
    assert ev["port-arthur-falls"]["start_date"]["year"] == 1905  # placed by its Gregorian day
    ev = {e["unique_id"]: e for e in _tljs("--calendar", "gregorian", data=printed)["events"]}
    assert ev["port-arthur-falls"]["display_date"] == "2 Jan 1905"


def _page_events(page: str) -> dict[str, Any]:
    data = page.split('id="farchron-data">', 1)[1].split("</script>", 1)[0]
    return {e["id"]: e for e in json.loads(data)["events"]}


def test_html_era_and_calendar_in_the_page_data(tmp_path):
    ev = _page_events(export(tmp_path, "--era", "japanese").read_text(encoding="utf-8"))
    assert (ev["pact"]["when"], ev["pact"]["era"]) == ("23 Aug 1939", "Shōwa 14")
    assert ev["cannae"]["era"] == ""
    ev = _page_events(export(tmp_path).read_text(encoding="utf-8"))
    assert ev["pact"]["era"] == ""  # without --era
    printed = ROOT / "tests" / "fixtures" / "printed"
    ev = _page_events(export(tmp_path, "--calendar", "julian", "--era", "minguo",
                             data=printed).read_text(encoding="utf-8"))
    assert ev["port-arthur-falls"]["when"] == "20 Dec 1904 OS"
    assert ev["pact-signed"]["era"] == "Minguo 28"


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Page:
    """A page opened from disk, recording console errors, page errors and requests."""

    def __init__(self, browser: Any, path: Path, width: int = 1280) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        p = self.page
        p.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        p.on("pageerror", lambda e: self.errors.append(str(e)))
        p.on("request", lambda r: self.requests.append(r.url))
        p.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        p.goto(path.as_uri())
        p.wait_for_load_state("load")

    def visible_ids(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#lanes .event", "ns => ns.filter(n => n.offsetParent !== null).map(n => n.dataset.id)")

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert self.requests and all(u.startswith(("file://", "data:")) for u in self.requests)


@pytest.fixture
def small_page(browser: Any, tmp_path: Path) -> Iterator[Page]:
    p = Page(browser, export(tmp_path))
    yield p
    p.page.close()


def test_loads_offline_without_errors_and_shows_every_event(small_page):
    small_page.assert_clean()
    assert sorted(small_page.visible_ids()) == sorted(SMALL_IDS)
    box = small_page.page.locator("#timeline").bounding_box()
    for eid in SMALL_IDS:  # every mark inside the timeline's frame at the first view
        b = small_page.page.locator(f'#lanes .event[data-id="{eid}"] .mark').bounding_box()
        assert b is not None and b["width"] > 0
        assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"]
    assert small_page.page.locator("#count").inner_text() == "6 events"
    assert small_page.page.locator("#event-list > li").count() == 6


def test_lanes_by_tag(small_page):
    lanes = small_page.page.eval_on_selector_all(".lane-name", "ns => ns.map(n => n.textContent)")
    assert lanes == ["battle", "treaty", "test", "(no tag)"]


def test_search_filters(small_page):
    page = small_page.page
    page.fill("#search", "khalkhin")
    assert small_page.visible_ids() == ["nomonhan"]
    assert page.locator("#count").inner_text() == "1 of 6 events"
    page.fill("#search", "Халхин")  # an alias in Cyrillic
    assert small_page.visible_ids() == ["nomonhan"]
    page.fill("#search", "togo karuizawa")  # Tōgō without its macron, two words
    assert small_page.visible_ids() == ["autumn"]
    page.fill("#search", "no such thing")
    assert small_page.visible_ids() == []
    assert page.locator("#empty").is_visible()
    page.fill("#search", "")
    assert len(small_page.visible_ids()) == 6
    small_page.assert_clean()


def test_click_shows_summary_and_footnotes_in_full(small_page):
    page = small_page.page
    assert page.locator("#details").is_hidden()
    page.click('#lanes .event[data-id="nomonhan"] .mark')
    assert page.locator("#details").is_visible()
    assert page.locator("#d-title").inner_text() == "Nomonhan Incident"
    summary = page.locator("#d-summary").inner_text()
    assert summary == "Four months of fighting on the Khalkha River."
    notes = page.locator("#d-notes > li").all_inner_texts()
    assert len(notes) == 2
    assert "Note 1" in notes[0] and "Кривошеев, Г.Ф. Россия и СССР в войнах XX века" in notes[0]
    assert "Mei to Ann no Nomonhan Senshi" in notes[1] and "347" in notes[1]
    page.click('#lanes .event[data-id="autumn"] .mark')
    notes = page.locator("#d-notes > li").all_inner_texts()
    assert notes[0].startswith("Note 2, p. 315:") and "Ibid." in notes[0]
    assert page.locator("#d-notes em").first.inner_text() == "Ibid."  # *Ibid.* as printed
    assert "315" in notes[0].split("→")[1]  # the event's page narrows the note's work
    page.click("#close")
    assert page.locator("#details").is_hidden()


def test_zoom_and_pan(small_page):
    page = small_page.page
    v = page.evaluate("window.farchron.view()")
    page.click("#zoom-in")
    z = page.evaluate("window.farchron.view()")
    assert z[1] - z[0] < v[1] - v[0]
    page.focus("#timeline")
    page.keyboard.press("ArrowRight")
    p = page.evaluate("window.farchron.view()")
    assert p[0] > z[0] and abs((p[1] - p[0]) - (z[1] - z[0])) < 1e-6
    box = page.locator("#lanes .track").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 5, box["y"] + 5)
    page.mouse.wheel(0, -400)
    w = page.evaluate("window.farchron.view()")
    assert w[1] - w[0] < p[1] - p[0]
    page.click("#reset")
    assert page.evaluate("window.farchron.view()") == v
    small_page.assert_clean()


def test_marks_stay_in_register_with_the_axis_when_an_event_is_focused(small_page):
    """Focusing an event out of view (Tab, or a click's scrollIntoView) must not scroll its
    track: the marks would then drift from the axis. The view pans to the event instead."""
    page = small_page.page
    page.evaluate("window.farchron.zoom(0.02, 1939.5)")  # a few months around Nomonhan
    v = page.evaluate("window.farchron.view()")
    assert not v[0] <= 1945.5 <= v[1]
    page.focus('#lanes .event[data-id="telegram"]')
    scrolls = page.eval_on_selector_all("#lanes .track", "ts => ts.map(t => t.scrollLeft)")
    assert set(scrolls) == {0}
    w = page.evaluate("window.farchron.view()")
    assert w[0] <= 1945.53 <= w[1]
    axis = page.locator("#axis").bounding_box()
    mark = page.locator('#lanes .event[data-id="telegram"] .mark').bounding_box()
    assert axis["x"] <= mark["x"] <= axis["x"] + axis["width"]
    small_page.assert_clean()


def test_print_shows_the_list_with_notes_and_hides_controls(small_page):
    page = small_page.page
    page.emulate_media(media="print")
    assert page.locator(".controls").is_hidden()
    assert page.locator("#event-list .list-summary").first.is_visible()
    assert page.locator("#event-list ol.notes").first.is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".controls").is_visible()


def test_era_beside_the_date_in_details_and_printed_list(browser, tmp_path):
    p = Page(browser, export(tmp_path, "--era", "japanese"))
    try:
        page = p.page
        page.click('#lanes .event[data-id="pact"] .mark')
        assert page.locator("#d-when").inner_text() == "23 Aug 1939 · Shōwa 14 (1939-08-23)"
        item = page.locator('#event-list > li[data-id="pact"]')
        assert item.locator(".era").inner_text() == "Shōwa 14"
        assert page.locator('#event-list > li[data-id="cannae"] .era').count() == 0
        page.emulate_media(media="print")
        assert item.locator(".when").is_visible() and item.locator(".era").is_visible()
        p.assert_clean()
    finally:
        page.close()


def test_hostile_titles_cannot_inject(browser, hostile, tmp_path):
    p = Page(browser, export(tmp_path, data=hostile))
    try:
        p.assert_clean()
        page = p.page
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img").count() == 0 and page.locator("b").count() == 0
        page.click('#lanes .event[data-id="hostile"] .mark')
        title = HOSTILE_EVENTS.split('title = "')[1].split('"\n')[0]
        assert page.locator("#d-title").inner_text() == title
        assert "</script><img src=x onerror=alert(1)> note text" in page.locator(
            "#d-notes").inner_text()
        assert page.evaluate("typeof window.pwned") == "undefined"
        p.assert_clean()
    finally:
        p.page.close()


def test_shipped_ledger_page_and_screenshot(browser, tmp_path):
    path = export(tmp_path, "1918/1945", "--title", "Soviet Far Eastern strategy, 1918–1945",
                  data=ROOT)
    ids = [ln.split("\t")[0] for ln in invoke("timeline", "1918/1945", data=ROOT).stdout.split(
        "\n") if ln]
    p = Page(browser, path, width=1400)
    try:
        p.assert_clean()
        assert sorted(p.visible_ids()) == sorted(ids)
        p.page.fill("#search", "nomonhan")
        assert "nomonhan-incident" in p.visible_ids() and len(p.visible_ids()) < len(ids)
        p.page.fill("#search", "")
        p.page.click('#lanes .event[data-id="nomonhan-incident"] .mark')
        ARTIFACTS.mkdir(exist_ok=True)
        p.page.screenshot(path=str(ARTIFACTS / "timeline-1918-1945.png"), full_page=True)
        assert (ARTIFACTS / "timeline-1918-1945.png").stat().st_size > 10_000
        p.assert_clean()
    finally:
        p.page.close()


def test_keyboard_opens_moves_focus_and_escape_returns_it(small_page):
    """Issue 26: Enter and Space open an event's panel, focus moves into the panel, Escape
    closes it and puts focus back on the event that opened it."""
    page = small_page.page
    active = "() => document.activeElement && (document.activeElement.id || " \
             "document.activeElement.dataset.id)"
    node = page.locator('#lanes .event[data-id="nomonhan"]')
    node.focus()
    page.keyboard.press("Enter")
    assert page.locator("#details").is_visible()
    assert page.locator("#d-title").inner_text() == "Nomonhan Incident"
    assert page.evaluate(active) == "details"
    page.keyboard.press("Escape")
    assert page.locator("#details").is_hidden()
    assert page.evaluate(active) == "nomonhan"
    y = page.evaluate("window.scrollY")
    page.locator('#lanes .event[data-id="pact"]').focus()
    page.keyboard.press(" ")
    assert page.locator("#d-title").inner_text() == "German-Soviet Non-aggression Pact"
    assert page.evaluate(active) == "details" and page.evaluate("window.scrollY") == y
    page.click("#close")
    assert page.locator("#details").is_hidden() and page.evaluate(active) == "pact"
    page.keyboard.press("Escape")  # nothing open: nothing happens, no error
    small_page.assert_clean()


def test_search_box_transliterates_like_the_cli(small_page):
    """A Russian or Japanese reader's query finds what the ledger writes in Latin letters,
    and a kana query finds the alias ノモンハン事件 from its first word."""
    page = small_page.page
    for query in ("номонхан", "ノモンハン", "Nomonhan", "jiken"):
        page.fill("#search", query)
        assert small_page.visible_ids() == ["nomonhan"], query
    page.fill("#search", "каннае")
    assert small_page.visible_ids() == ["cannae"]
    small_page.assert_clean()
