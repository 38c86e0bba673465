"""Every command documents itself: help text, and an example that names the command."""

from __future__ import annotations

import re

import click
import pytest

from farchron.cli import cli
from tests.conftest import ROOT, invoke


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path)
        else:
            out.append(path)
    return out


COMMANDS = _commands(cli)


def test_the_commands_of_the_contract_exist():
    names = {" ".join(c) for c in COMMANDS}
    assert {"timeline", "search", "show", "cite", "sources", "notes", "check"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_help_has_a_summary_and_an_example(path):
    r = invoke(*path, "--help", data=None)
    assert r.exit_code == 0
    text = r.stdout
    assert "Examples:" in text or "Example:" in text
    assert f"farchron {' '.join(path)}" in text
    cmd = cli
    for part in path:
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    assert cmd.get_short_help_str().strip()


# ----------------------------------------------------------------- the manual in docs/

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def test_the_command_reference_is_current():
    from farchron.cli.reference import page

    committed = (DOCS / "reference" / "commands.md").read_text(encoding="utf-8")
    assert committed == page(), \
        "run: python -m farchron.cli.reference > docs/reference/commands.md"
    for path in COMMANDS:
        assert f"\n## farchron {' '.join(path)}\n" in committed, path
        cmd = cli
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in committed, (path, opt)


def test_the_data_files_page_names_every_field():
    from farchron.model.fields import (
        CITATION_FIELDS,
        EVENT_FIELDS,
        NOTE_FIELDS,
        OTHER_DATE_FIELDS,
        SOURCE_FIELDS,
    )

    text = (DOCS / "reference" / "data-files.md").read_text(encoding="utf-8")
    sections = text.split("\n## ")
    tables = {s.split("\n", 1)[0]: s for s in sections}

    def rows(title_start: str) -> set[str]:
        body = "".join(s for t, s in tables.items() if t.startswith(title_start))
        return set(re.findall(r"^\| `([a-z-]+)` \|", body, flags=re.M))

    assert set(EVENT_FIELDS) | set(CITATION_FIELDS) | set(OTHER_DATE_FIELDS) \
        <= rows("Fields of an `[[event]]`")
    assert set(SOURCE_FIELDS) <= rows("Fields of a `[[source]]`")
    assert set(NOTE_FIELDS) <= rows("Fields of a `[[note]]`")


def test_the_environment_page_names_every_variable():
    from farchron.settings import ENV

    text = (DOCS / "reference" / "environment.md").read_text(encoding="utf-8")
    for name in ENV:
        if not name.startswith("FARCHRON_TEST_"):
            assert f"| `{name}` |" in text, name


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_every_link_of_the_readme_and_the_manual_resolves():
    for page in PAGES:
        text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            assert dest.exists(), f"{page.relative_to(ROOT)}: {target}"
            if anchor and dest.suffix == ".md":
                heads = re.findall(r"^#+ (.*)$", dest.read_text(encoding="utf-8"), flags=re.M)
                assert anchor in {_slug(h) for h in heads}, f"{page.relative_to(ROOT)}: {target}"


def test_every_page_of_the_manual_is_linked_from_its_index():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        rel = page.relative_to(DOCS).as_posix()
        if rel != "README.md" and not rel.startswith("examples/"):
            assert f"({rel})" in index, rel


def test_the_readme_is_a_short_front_page_leading_to_the_tutorial():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    # CI (.ci/run) and the tests run these two lines verbatim
    assert "\npython3 -m venv .venv && . .venv/bin/activate && pip install . && " \
           "farchron timeline 1939\n" in readme
    assert "\npython3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' " \
           "&& pytest\n" in readme
    # a historian with a Zotero library is one click from the tutorial
    line = next(ln for ln in readme.splitlines() if "Zotero" in ln and "docs/tutorial.md" in ln)
    assert line.index("Zotero") < 80 * 2
    assert (DOCS / "tutorial.md").exists()
    assert (DOCS / "README.md").exists() and "(docs/README.md)" in readme


def test_the_tutorial_is_one_session_from_init_to_an_audited_cited_chapter():
    from tests.docs.test_readme import SESSIONS

    steps = [cmd for cmd, _ in SESSIONS["docs/tutorial.md: first-ledger"]]
    assert steps[0] == "farchron init siberia"
    order = ["import --romanise examples/tutorial/siberia-zotero.json", "add event",
             "audit examples/tutorial/chapter.md", "--filter farchron-pandoc"]
    at = [next(i for i, s in enumerate(steps) if key in s) for key in order]
    assert at == sorted(at)
    example = DOCS / "examples" / "tutorial"
    zotero = (ROOT / "tests" / "fixtures" / "zotero-siberia" / "zotero.json").read_bytes()
    assert (example / "siberia-zotero.json").read_bytes() == zotero  # a real Zotero export


def test_merge_union_is_only_ever_named_to_be_refused():
    for page in PAGES:
        for line in page.read_text(encoding="utf-8").split("\n"):
            if "merge=union" in line:
                assert "never" in line.lower() or "not" in line.lower(), (page, line)


def test_the_manuals_examples_are_collected_and_run():
    """The README's examples moved into docs/: the runner must still find them there."""
    from tests.docs.test_readme import DOC_EXAMPLES, EXAMPLES, SESSIONS

    pages = {p for p, _, _ in DOC_EXAMPLES}
    assert len(DOC_EXAMPLES) >= 40 and len(EXAMPLES) >= 6
    for page in ("docs/howto/dates.md", "docs/howto/scripts.md", "docs/howto/export.md",
                 "docs/howto/check-a-draft.md", "docs/reference/json.md"):
        assert page in pages, page
    assert {"docs/howto/build-a-ledger.md: rjw", "docs/howto/cite-with-pandoc.md: chapter",
            "docs/tutorial.md: first-ledger"} <= set(SESSIONS)
