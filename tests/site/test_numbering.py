"""conf/_ext/continuous_numbering.py, on a small book built by Sphinx: chapters numbered once
across several numbered toctrees, and everything that shows a number agrees.

Run by `nox -s browser`; not collected by `nox -s tests`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sphinx.application import Sphinx

EXT = Path(__file__).resolve().parents[2] / "conf" / "_ext"

INDEX = """\
Book
====

.. toctree::
   :numbered:
   :caption: Part one

   a
   b

.. toctree::
   :numbered:
   :caption: Part two

   c
   d

.. toctree::
   :caption: Reference

   ref
"""

CHAPTER = """\
Chapter {name}
==========

Section {name} one
--------------

.. figure:: pic.svg
   :name: fig-{name}

   A figure in {name}.

.. math::
   :label: eq-{name}

   x = 1

See :numref:`fig-a` and :eq:`eq-a`.

Section {name} two
--------------

.. figure:: pic.svg

   Another figure in {name}.
"""


def build(src: Path, out: Path, extensions: list[str]) -> None:
    app = Sphinx(
        str(src), None, str(out), str(out / ".doctrees"), "html",
        confoverrides={"extensions": extensions, "numfig": True, "html_theme": "basic"},
        status=None, warningiserror=True,
    )  # fmt: skip
    app.build()


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(EXT))
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("")
    (src / "index.rst").write_text(INDEX)
    for name in "abcd":
        (src / f"{name}.rst").write_text(CHAPTER.format(name=name))
    (src / "ref.rst").write_text("Reference\n=========\n\nText.\n")
    (src / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    return src


def text(out: Path, page: str) -> str:
    return (out / f"{page}.html").read_text(encoding="utf-8")


def h1_number(out: Path, page: str) -> str | None:
    match = re.search(r'<h1><span class="section-number">([\d.]+) </span>', text(out, page))
    return match[1] if match else None


def check_book(out: Path) -> None:
    assert [h1_number(out, page) for page in "abcd"] == ["1.", "2.", "3.", "4."]
    assert h1_number(out, "ref") is None, "an unnumbered toctree's page got a number"
    assert h1_number(out, "index") is None
    c = text(out, "c")
    # Sections, figures and equations take their chapter's number.
    assert re.findall(r'section-number">([\d.]+) </span>Section', c) == ["3.1.", "3.2."]
    assert re.findall(r'caption-number">Fig\. ([\d.]+) ', c) == ["3.1", "3.2"]
    assert re.findall(r'eqno">\(([\d.]+)\)', c) == ["3.1"]
    # References into another part keep that part's numbers.
    assert "Fig. 1.1" in c
    assert "(1.1)" in c
    # Previous/next links and the root's tables of contents show the same numbers.
    assert 'title="2. Chapter b"' in c
    assert 'title="4. Chapter d"' in c
    index = text(out, "index")
    for number, name in zip("1234", "abcd", strict=True):
        assert f"{number}. Chapter {name}</a>" in index
    assert "3.2. Section c two</a>" in index


def test_chapters_numbered_once_across_parts(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(book, out, ["continuous_numbering"])
    check_book(out)
    # An incremental build that re-reads one chapter moves nothing twice.
    (book / "c.rst").write_text(CHAPTER.format(name="c") + "\nMore text.\n")
    build(book, out, ["continuous_numbering"])
    check_book(out)


def test_without_the_extension_each_part_starts_again(book: Path, tmp_path: Path) -> None:
    """What the extension fixes: Sphinx alone numbers part two's chapters 1 and 2 again."""
    out = tmp_path / "out"
    build(book, out, [])
    assert [h1_number(out, page) for page in "abcd"] == ["1.", "2.", "1.", "2."]


# --- the built book ------------------------------------------------------------------------------

HTML = Path(os.environ.get("BOOK_HTML", Path(__file__).resolve().parents[2] / "build" / "html"))
UNNUMBERED = ("index", "quiz", "glossary", "about", "api", "bibliography")
# What carries a number on a chapter page, by kind: captions ("Figure 3.2"), statement headings
# ("Theorem 3.1"), equation numbers ("(3.1)").
NUMBERED_THINGS = re.compile(
    r'caption-number">(?P<caption>\w+) (?P<cnum>[\d.]+)'
    r'|statement-label">(?P<statement>\w+) (?P<snum>[\d.]+)'
    r'|class="eqno">\((?P<enum>[\d.]+)\)'
)


def book_pages() -> dict[str, str]:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `nox -s docs`")
    return {
        p.stem: p.read_text(encoding="utf-8")
        for p in sorted(HTML.glob("*.html"))
        if p.stem not in {"404", "genindex", "search", "py-modindex"}
    }


def test_book_chapters_numbered_1_to_n_across_the_parts() -> None:
    numbers = {}
    for page, text in book_pages().items():
        match = re.search(r'<h1><span class="section-number">(\d+)\. </span>', text)
        if match:
            numbers[page] = int(match[1])
    assert numbers, "no chapter has a number"
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1)), numbers
    assert [page for page in UNNUMBERED if page in numbers] == []
    # The root lists the chapters in that order, each with its number.
    index = (HTML / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'href="([\w-]+)\.html">(\d+)\. ', index)
    assert [(page, numbers[page]) for page, _ in listed] == [(p, int(n)) for p, n in listed]
    assert sorted({int(n) for _, n in listed}) == sorted(numbers.values())


def test_book_figures_statements_and_equations_numbered_per_chapter() -> None:
    problems = []
    for page, text in book_pages().items():
        chapter = re.search(r'<h1><span class="section-number">(\d+)\. </span>', text)
        found = list(NUMBERED_THINGS.finditer(text))
        if not chapter:
            continue
        counters: dict[str, list[int]] = {}
        for match in found:
            kind = match["caption"] or match["statement"] or "equation"
            number = match["cnum"] or match["snum"] or match["enum"]
            first, _, rest = number.partition(".")
            if first != chapter[1] or not rest.isdigit():
                problems.append(f"{page} (chapter {chapter[1]}): {kind} {number}")
                continue
            counters.setdefault(kind, []).append(int(rest))
        for kind, seen in counters.items():
            if seen != list(range(1, len(seen) + 1)):
                problems.append(f"{page}: {kind} numbered {seen}")
    assert problems == []
