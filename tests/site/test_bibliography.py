"""The bibliography of the built book: author-year like the citations, linked to each work,
and linked back to every citation (conf/_ext/book_bibliography.py).

Run by `nox -s browser`; not collected by `nox -s tests`.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "build" / "html")).resolve()

CITATION = re.compile(r'<span class="bibtex-citation" id="(?P<id>[^"]+)">(?P<body>.*?)</span>')
LINK = re.compile(r'<a class="reference internal" href="bibliography\.html#(?P<entry>[^"]+)"[^>]*>')
ENTRY = re.compile(
    r'<div class="citation" id="(?P<id>[^"]+)" role="doc-biblioentry">\s*(?P<body>.*?)</div>',
    re.S,
)


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.fixture(scope="module")
def entries() -> dict[str, str]:
    """Entry id -> its HTML, from the bibliography page."""
    page = HTML / "bibliography.html"
    if not page.is_file():
        pytest.fail(f"no built book at {HTML}: run `nox -s docs`")
    found = {m["id"]: m["body"] for m in ENTRY.finditer(page.read_text(encoding="utf-8"))}
    assert found, "the bibliography lists no entry"
    return found


@pytest.fixture(scope="module")
def citations() -> list[tuple[str, str, str, str]]:
    """(page, citation id, entry id, citation text) for every work cited in the book; a
    citation of several works, "(A, 2010; B, 2011)", gives one row per work."""
    found = []
    for path in sorted(HTML.glob("*.html")):
        for match in CITATION.finditer(path.read_text(encoding="utf-8")):
            body = re.sub(r' title="[^"]*"', "", match["body"])
            links = [link["entry"] for link in LINK.finditer(body)]
            cited = text(body)
            parts = cited.strip("()").split("; ") if len(links) > 1 else [cited]
            assert len(parts) == len(links), f"{path.name}: {cited!r}"
            for entry, part in zip(links, parts, strict=True):
                found.append(
                    (path.name, match["id"], entry, part if len(links) == 1 else f"({part})")
                )
    assert found, "the book cites nothing"
    return found


def cited_keys() -> set[str]:
    """The bibliography keys the chapters cite ({cite:p}`a,b`, {cite:t}`c`)."""
    keys: set[str] = set()
    for source in (ROOT / "docs").glob("*.md"):
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", source.read_text(encoding="utf-8")):
            keys.update(key.strip() for key in group.split(","))
    return keys


def first_author_and_year(entry_html: str) -> tuple[str, str]:
    first = text(entry_html.split("</p>")[0])
    match = re.match(r"(?P<last>[^,]+),.*?\((?P<year>\d{4}[a-z]?)\)\.", first)
    assert match, f"an entry that does not open with its authors and (year): {first[:80]!r}"
    return match["last"], match["year"]


def test_entries_open_with_authors_and_year_and_have_no_numeric_label(
    entries: dict[str, str],
) -> None:
    for body in entries.values():
        first_author_and_year(body)
        assert 'class="label"' not in body


def test_entries_are_in_author_year_order(entries: dict[str, str]) -> None:
    """By the authors' names (all of them, as written), then the year."""
    keys = []
    for body in entries.values():
        first = text(body.split("</p>")[0])
        match = re.match(r"(?P<authors>.+?) \((?P<year>\d{4}[a-z]?)\)\.", first)
        assert match, first[:80]
        keys.append((match["authors"].lower(), match["year"]))
    assert keys == sorted(keys)


def test_citations_are_author_year_in_round_brackets_and_match_their_entry(
    entries: dict[str, str], citations: list[tuple[str, str, str, str]]
) -> None:
    wrong = []
    for page, _, entry, cited in citations:
        last, year = first_author_and_year(entries[entry])
        parenthetical = re.fullmatch(r"\((?P<who>.+), (?P<year>\d{4}[a-z]?)\)", cited)
        textual = re.fullmatch(r"(?P<who>.+) \((?P<year>\d{4}[a-z]?)\)", cited)
        match = parenthetical or textual
        if not match or match["year"] != year or not match["who"].startswith(last):
            wrong.append(f"{page}: {cited!r} cites {last} ({year})")
    assert wrong == []


def test_every_entry_links_its_doi_arxiv_page_or_url(entries: dict[str, str]) -> None:
    bodies = "\n".join(entries.values())
    cited = cited_keys()
    assert cited
    missing = []
    for bib in sorted((ROOT / "docs").glob("*.bib")):
        for key, entry in parse_file(str(bib)).entries.items():
            if key not in cited:
                continue  # not in the bibliography, which lists cited works only
            fields = entry.fields
            arxiv = fields.get("eprint") or next(
                (
                    m[1]
                    for name in ("journal", "note")
                    if (m := re.search(r"arXiv:\s*(\d{4}\.\d{4,5})", fields.get(name, "")))
                ),
                None,
            )
            wanted = []
            if "doi" in fields:
                wanted.append(f'href="https://doi.org/{fields["doi"]}"')
            if arxiv:
                wanted.append(f'href="https://arxiv.org/abs/{arxiv}"')
            if "url" in fields and not (arxiv and arxiv in fields["url"]):
                wanted.append(f'href="{fields["url"]}"')
            missing += [f"{key}: {w}" for w in wanted if w not in bodies]
    assert missing == []


def test_each_entry_links_back_to_every_place_it_is_cited(
    entries: dict[str, str], citations: list[tuple[str, str, str, str]]
) -> None:
    back = {
        entry: re.findall(
            r'<a class="reference internal" href="([^"]+)"', body.split("cited-in")[-1]
        )
        if "cited-in" in body
        else []
        for entry, body in entries.items()
    }
    expected: dict[str, list[str]] = {}
    for page, citation, entry, _ in citations:
        expected.setdefault(entry, []).append(f"{page}#{citation}")
    for entry in entries:
        assert sorted(back[entry]) == sorted(expected.get(entry, [])), entry
    # Each back-link reaches the citation it names.
    for page, citation, _, _ in citations:
        assert f'id="{citation}"' in (HTML / page).read_text(encoding="utf-8")
