"""The files of the built book (build/html, or BOOK_HTML): what no browser needs to check.

Run by `nox -s browser` after the build; not collected by `nox -s tests`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "build" / "html")).resolve()
DOCS = ROOT / "docs"

_spec = importlib.util.spec_from_file_location(
    "compare_builds", Path(__file__).with_name("compare_builds.py")
)
assert _spec
assert _spec.loader
compare_builds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_builds)


@pytest.fixture(scope="module")
def html() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `nox -s docs`")
    return HTML


def notebook_chapters() -> list[str]:
    """Chapters written as notebooks (a kernelspec in their front matter)."""
    return sorted(
        p.stem for p in DOCS.glob("*.md") if "kernelspec:" in p.read_text(encoding="utf-8")[:400]
    )


def test_figures_are_svg(html: Path) -> None:
    images = (
        sorted(p.name for p in (html / "_images").glob("*")) if (html / "_images").is_dir() else []
    )
    assert [name for name in images if not name.endswith(".svg")] == []


def test_each_notebook_chapter_offers_its_source_and_executed_notebook(html: Path) -> None:
    for chapter in notebook_chapters():
        page = (html / f"{chapter}.html").read_text(encoding="utf-8")
        assert f"_sources/{chapter}.md" in page, f"{chapter}: no .md download"
        assert f"_sources/{chapter}.ipynb" in page, f"{chapter}: no .ipynb download"
        notebook = json.loads((html / "_sources" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        assert code
        assert all("outputs" in cell for cell in code)
        unexecuted = [cell["id"] for cell in code if cell.get("execution_count") is None]
        assert unexecuted == [], f"{chapter}.ipynb: cells not executed"
        for cell in notebook["cells"]:
            assert "execution" not in cell.get("metadata", {}), "timestamps left in the notebook"


def test_live_pages_say_their_numbers_come_from_the_build_machine(html: Path) -> None:
    """In the chapter's own words: nothing adds a note for them."""
    for page in compare_builds.live_pages():
        path = html / f"{page}.html"
        if path.is_file():
            assert "build machine" in path.read_text(encoding="utf-8").lower(), page


def test_a_404_page_with_working_absolute_links(html: Path) -> None:
    page = (html / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page
    # A local build is served from "/": its assets are linked from the root.
    assert 'href="/_static/' in page or "href='/_static/" in page


def test_no_build_paths_leak_into_the_site(html: Path) -> None:
    """Nothing published names the machine's folders (reproducibility across checkouts)."""
    leaks = []
    for path in html.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".ipynb", ".txt", ".md", ".inv"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if str(ROOT) in text or re.search(r"/tmp/relu-repro-", text):
                leaks.append(path.relative_to(html).as_posix())
    assert leaks == []


# --- the reproducibility checker itself ----------------------------------------------------------


def test_checker_allows_live_pages_and_reports_the_rest(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for tree, timing, stray in ((first, "1.2 ms", "x"), (second, "1.5 ms", "y")):
        (tree / "_sources").mkdir(parents=True)
        (tree / "cost.html").write_text(timing)
        (tree / "_sources" / "cost.ipynb").write_text(timing)
        (tree / "index.html").write_text("same")
        (tree / "range.html").write_text(stray)
    (first / "only-here.html").write_text("")
    # Figures are named by their content: a live page's figure changes name between builds.
    for tree, figure in ((first, "t1.svg"), (second, "t2.svg")):
        (tree / "_images").mkdir()
        (tree / "_images" / figure).write_text(figure)
        (tree / "cost.html").write_text(f'<img src="_images/{figure}">')
    # The search index may differ in the words of live pages only.
    index = {"docnames": ["cost", "index"], "titles": ["Cost", "Home"], "terms": {"relu": [0, 1]}}
    (first / "searchindex.js").write_text(
        "Search.setIndex(" + json.dumps(index | {"terms": {"relu": [0, 1], "4x": 0}}) + ")"
    )
    (second / "searchindex.js").write_text(
        "Search.setIndex(" + json.dumps(index | {"terms": {"relu": [0, 1], "5x": 0}}) + ")"
    )
    problems, expected = compare_builds.compare(first, second, ("cost",))
    assert expected == [
        "only in the first build: _images/t1.svg",
        "only in the second build: _images/t2.svg",
        "_sources/cost.ipynb",
        "cost.html",
        "searchindex.js",
    ]
    assert problems == ["only in the first build: only-here.html", "range.html"]
    assert compare_builds.main([str(first), str(first)]) == 0
    assert compare_builds.main([str(first), str(second)]) == 1
    # A word that changes on a page that is not live is a real difference.
    (second / "searchindex.js").write_text(
        "Search.setIndex(" + json.dumps(index | {"terms": {"relu": [0], "4x": 0}}) + ")"
    )
    problems, _ = compare_builds.compare(first, second, ("cost",))
    assert "searchindex.js" in problems
