"""The start-up cuts of issue 28, each probed in a real process: what a command imports
(or compiles) when it need not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from farchron.ledger.folder import shipped_data_dir

#: Runs farchron.cli.main in a fresh interpreter and reports, at exit, the loaded modules
#: among `watch` and the written-date patterns already compiled.
PROBE = """
import atexit, json, os, sys
watch = {watch!r}
def report():
    loaded = sorted(m for m in sys.modules if m in watch)
    written = sys.modules.get('farchron.dates.written')
    compiled = sorted(n for n, v in vars(written).items()
                      if type(v).__name__ == '_LazyPattern' and v._rx is not None
                      ) if written else None
    with open(os.environ['PROBE_OUT'], 'w') as fh:
        json.dump({{'loaded': loaded, 'compiled': compiled}}, fh)
atexit.register(report)
from farchron.cli import main
main(sys.argv[1:])
"""


def _probe(args: list[str], tmp_path: Path, watch: tuple[str, ...] = ()) -> dict:
    out = tmp_path / "probe.json"
    out.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "FARCHRON_NO_CACHE"}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), FARCHRON_DATA=str(shipped_data_dir()),
               PROBE_OUT=str(out))
    proc = subprocess.run([sys.executable, "-c", PROBE.format(watch=watch), *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout + proc.stderr).strip(), "the command said nothing"
    return json.loads(out.read_text())


def test_an_edtf_date_compiles_no_written_date_pattern(tmp_path: Path):
    plain = _probe(["date", "1712-02-29"], tmp_path)
    assert plain["compiled"] == [], plain
    written = _probe(["date", "3 March 1711 OS"], tmp_path)  # the probe can see them
    assert written["compiled"] and "_OLD_STYLE" in written["compiled"], written


ANYASCII = ("anyascii", "importlib.resources", "zipfile")


def test_an_audit_of_typographic_punctuation_imports_no_anyascii(tmp_path: Path):
    page = tmp_path / "chapter.md"
    page.write_text("“The Nomonhan incident” began in May 1939 … and ended — after "
                    "Zhukov’s attack — in September 1939; «Tōgō» protested.\n",
                    encoding="utf-8")
    _probe(["audit", str(page)], tmp_path)  # cold: builds and caches the matcher
    assert _probe(["audit", str(page)], tmp_path, ANYASCII)["loaded"] == []
    page.write_text("Zhukov struck at Khalkhin Gol (Халхин-Гол) on 20 August 1939.\n",
                    encoding="utf-8")
    assert "anyascii" in _probe(["audit", str(page)], tmp_path, ANYASCII)["loaded"]


ERA_TABLE = ("japanera", "lunar_python")


def test_a_month_and_year_builds_no_table_of_premodern_eras(tmp_path: Path):
    """'May 1939' looks like an era date ('Genroku 3') to the Japanese reader first: looking
    'may' up built the table of the eras before 1830 (~200 ms) for every such date."""
    for text in ("May 1939", "Sept 1939", "summer 1940"):  # after 1830: no old era shown
        assert _probe(["date", text], tmp_path, ERA_TABLE)["loaded"] == [], text
    assert _probe(["date", "Shōtoku 1"], tmp_path, ERA_TABLE)["loaded"] != []  # it can see


PATHLIB = ("pathlib", "urllib.parse", "ipaddress", "glob")


def test_warm_commands_import_no_pathlib(tmp_path: Path):
    """pathlib imports urllib.parse and ipaddress (~3 ms of a ~55 ms run): the warm path
    names the ledger's folder and the cache's files with str and os.path."""
    for args in (["timeline", "1939"], ["check"], ["notes"], ["stats"], ["chart", "1939-08"],
                 ["show", "nomonhan-incident"], ["date", "1939-08-23"],
                 ["search", "Nomonhan incident"], ["cite", "Nomonhan incident"],
                 ["sources", "Hanada"]):
        _probe(args, tmp_path)  # the first run builds the cache (and search's index)
        assert _probe(args, tmp_path, PATHLIB)["loaded"] == [], args
    # the probe can see it: a command that needs a Path (a new ledger's folder) imports it
    assert "pathlib" in _probe(["init", str(tmp_path / "new")], tmp_path, PATHLIB)["loaded"]


def test_show_into_a_pipe_wraps_nothing_and_makes_no_dataclass(tmp_path: Path):
    """`show` formats each citation with cite.chicago, whose note classes were dataclasses
    (~2 ms to make at import); into a pipe nothing is wrapped, so no widths module."""
    watch = ("dataclasses", "farchron.render.widths", "farchron.cite.chicago")
    _probe(["show", "nomonhan-incident"], tmp_path)
    assert _probe(["show", "nomonhan-incident"], tmp_path, watch)["loaded"] == [
        "farchron.cite.chicago"]


def test_a_date_shown_in_other_calendars_imports_no_convertdate(tmp_path: Path):
    """`date` prints the tabular Islamic and the Hebrew day: farchron's own arithmetic
    (convertdate's package import loads all its calendars and pymeeus, ~10 ms)."""
    out = _probe(["date", "1939-08-23"], tmp_path, ("convertdate", "pymeeus"))
    assert out["loaded"] == []
    # the probe can see it: the French Republican calendar still comes from convertdate
    assert "convertdate" in _probe(["date", "18 Brumaire an VIII"], tmp_path,
                                   ("convertdate",))["loaded"]


def test_a_warm_html_export_loads_no_japanese_dictionary(tmp_path: Path):
    """The page's search keys hold the names romanised and the Japanese ones' readings:
    anyascii and pykakasi's dictionaries (~0.5 s) load once, when the cache of the ledger's
    keys is built, and the page is the one an uncached run writes."""
    args = ["export", "html", "1939", "-o", "-"]
    _probe(args, tmp_path)
    assert _probe(args, tmp_path, ("pykakasi", "anyascii"))["loaded"] == []
    env = {**os.environ, "FARCHRON_DATA": str(shipped_data_dir()),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    warm = subprocess.run([sys.executable, "-m", "farchron", *args], capture_output=True,
                          env=env, check=True).stdout
    cold = subprocess.run([sys.executable, "-m", "farchron", "--no-cache", *args],
                          capture_output=True, env=env, check=True).stdout
    assert warm == cold and b'"keys"' in warm
    # the probe can see it: the shipped 1939 has kana names, read on the first run
    assert "pykakasi" in _probe(["--no-cache", *args], tmp_path, ("pykakasi",))["loaded"]
