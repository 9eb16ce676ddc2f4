"""The landing page's promise to a student: the core path reads in the time it states.

The core path is the "The essentials" part of the table of contents. Its main line is every
chapter's prose outside the sections titled "Going further: ..." and outside the exercises:
code, outputs, formulas and the folded checks are not counted (a reader skips or glances at
them). The landing page states the reading time in minutes; the main line must not need more
than READING_SPEED words a minute to fit it, a pace for careful reading of technical prose.

Run by `nox -s browser` after the build; not collected by `nox -s tests`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "build" / "html")).resolve()
DOCS = ROOT / "docs"

READING_SPEED = 150  # words a minute, the main line of a technical book read with care
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SKIPPED_CLASSES = {"cell_input", "cell_output", "math", "katex", "check-cell", "headerlink"}


@dataclass
class Element:
    tag: str
    classes: set[str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", set())
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        element = Element(tag, classes)
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):  # tolerate unclosed <p>, <li>
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def find(element: Element, tag: str) -> Element | None:
    for child in element.children:
        if isinstance(child, Element):
            if child.tag == tag:
                return child
            found = find(child, tag)
            if found is not None:
                return found
    return None


def heading(section: Element) -> str:
    for child in section.children:
        if isinstance(child, Element) and re.fullmatch(r"h[1-6]", child.tag):
            return child.text()
    return ""


def main_line_words(element: Element) -> int:
    """Words of the main line under ``element``: see the module docstring."""
    words = 0
    for child in element.children:
        if isinstance(child, str):
            words += len(re.findall(r"[A-Za-z0-9][\w'\u2019-]*", child))
            continue
        if child.tag in {"pre", "script", "style", "details"} or child.classes & SKIPPED_CLASSES:
            continue
        if "key-facts" in child.classes:
            continue
        if child.tag == "section":
            title = re.sub(r"^[\d.\s]+", "", heading(child)).strip()
            if title.startswith(("Going further", "Exercises")):
                continue
        words += main_line_words(child)
    return words


def core_chapters() -> list[str]:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    block = re.search(r"```\{toctree\}\n:caption: The essentials\n(.*?)```", index, re.S)
    assert block, "docs/index.md has no toctree captioned 'The essentials'"
    return [line.strip() for line in block.group(1).splitlines() if re.fullmatch(r"[\w-]+", line)]


@pytest.fixture(scope="module")
def html() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `nox -s docs`")
    return HTML


def test_the_core_path_reads_in_the_time_the_landing_page_states(html: Path) -> None:
    landing = parse(html / "index.html").text()
    stated = re.search(r"main line[^.]*?in about (\d+) minutes", " ".join(landing.split()))
    assert stated, "the landing page states no reading time for the core path"
    minutes = int(stated.group(1))
    counts = {}
    for chapter in core_chapters():
        article = find(parse(html / f"{chapter}.html"), "article")
        assert article is not None, chapter
        counts[chapter] = main_line_words(article)
    total = sum(counts.values())
    print(f"core path main line: {counts}, {total} words, stated {minutes} min")
    assert total <= READING_SPEED * minutes, (
        f"the core path's main line has {total} words ({counts}); at {READING_SPEED} words a "
        f"minute that is {total / READING_SPEED:.0f} min, not the {minutes} the landing page states"
    )


def test_going_further_sections_come_after_the_main_line(html: Path) -> None:
    """A first reading stops at the first 'Going further': nothing of the main line after it."""
    for chapter in core_chapters():
        article = find(parse(html / f"{chapter}.html"), "article")
        assert article is not None
        top = find(article, "section")
        assert top is not None, chapter
        titles = [
            re.sub(r"^[\d.\s]+", "", heading(s)).strip()
            for s in top.children
            if isinstance(s, Element) and s.tag == "section"
        ]
        further = [i for i, t in enumerate(titles) if t.startswith("Going further")]
        if not further:
            continue
        after = titles[further[0] :]
        allowed = ("Going further", "Summary", "What we found", "Exercises")
        misplaced = [t for t in after if not t.startswith(allowed)]
        assert misplaced == [], f"{chapter}: main-line sections after 'Going further': {misplaced}"
