"""The bibliography: author-year entries that match the author-year citations, linked, and
linked back to every place each work is cited.

Three parts, each on sphinxcontrib-bibtex's and pybtex's own extension points:

- ``book_author_year``, a pybtex formatting style (``bibtex_default_style``): each entry opens
  with its authors and year, "Nair, V. and Hinton, G. E. (2010). Title. Venue.", the way a
  reader looks up "Nair and Hinton (2010)"; sorted by author, year and title; it ends with
  links to the work: its DOI, its arXiv page, its URL. An arXiv identifier written into the
  journal or note ("arXiv preprint arXiv:1511.07289") is linked as if it were an ``eprint``.
- ``book_author_year``, a sphinxcontrib-bibtex referencing style (``bibtex_reference_style``):
  author-year citations in round brackets, "(He et al., 2015)" and "He et al. (2015)".
- A post-transform on the page that holds the bibliography: the numeric labels go (the entry
  starts with what the text cites), and each entry gets a line "Cited in §2.3, §14.1 (a, b),
  Quiz", one link per citation, labelled with the section that cites it (its number, or the
  page's title on an unnumbered page). sphinxcontrib-bibtex links back only within one page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from docutils import nodes
from pybtex.database import Entry
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import pages
from pybtex.style.template import (
    field as bibfield,
)
from pybtex.style.template import (
    first_of,
    href,
    join,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

STYLE = "book_author_year"
ARXIV = re.compile(r"arXiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)


# --- The entries -------------------------------------------------------------------------------


class AuthorYearStyle(UnsrtStyle):
    """pybtex's unsrt style, reordered for author-year: "Authors (Year). Title. Venue. Links"."""

    default_sorting_style = "author_year_title"
    default_name_style = "lastfirst"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("abbreviate_names", True)  # "Nair, V.", as the text cites "Nair"
        super().__init__(**kwargs)

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        return super().format_entry(label, with_arxiv_eprint(entry), bib_data=bib_data)

    # The opening: who, and when.
    def author_year(self, e: Entry) -> Any:
        who = first_of[
            optional[self.format_names("author", as_sentence=False)],
            self.format_editor(e, as_sentence=False),
        ]
        return sentence(sep=" ")[who, join["(", bibfield("year"), ")"]]

    def venue_with_pages(self, e: Entry) -> Any:
        return sentence[
            optional[words["edited by", self.format_names("editor", as_sentence=False)]],
            tag("em")[bibfield("booktitle")],
            optional[self.format_volume_and_series(e, as_sentence=False)],
            optional[words["pages", pages]],
        ]

    def get_article_template(self, e: Entry) -> Any:
        volume_and_pages = first_of[
            optional[join[bibfield("volume"), optional["(", bibfield("number"), ")"], ":", pages]],
            optional[words["pages", pages]],
        ]
        return toplevel[
            self.author_year(e),
            self.format_title(e, "title"),
            sentence[tag("em")[bibfield("journal")], optional[volume_and_pages]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e: Entry) -> Any:
        return toplevel[
            self.author_year(e),
            self.format_title(e, "title"),
            words["In", self.venue_with_pages(e)],
            sentence[optional_field("publisher"), optional_field("address")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    get_incollection_template = get_inproceedings_template

    def get_book_template(self, e: Entry) -> Any:
        return toplevel[
            self.author_year(e),
            self.format_btitle(e, "title"),
            optional[self.format_edition(e)],
            optional[self.format_volume_and_series(e)],
            sentence[optional_field("publisher"), optional_field("address")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e: Entry) -> Any:
        return toplevel[
            self.author_year(e),
            optional[self.format_title(e, "title")],
            sentence[optional_field("howpublished")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e: Entry) -> Any:
        return toplevel[
            self.author_year(e),
            self.format_title(e, "title"),
            sentence[
                words[
                    first_of[optional_field("type"), "Technical report"], optional_field("number")
                ],
                optional_field("institution"),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    get_online_template = get_misc_template
    get_unpublished_template = get_misc_template

    # The links: DOI, arXiv, URL; each once.
    def format_web_refs(self, e: Entry) -> Any:
        url = e.fields.get("url", "")
        duplicate = ("doi" in e.fields and e.fields["doi"].lower() in url.lower()) or (
            "eprint" in e.fields and e.fields["eprint"] in url
        )
        return sentence[
            optional[self.format_doi(e)],
            optional[self.format_eprint(e)],
            *([] if duplicate else [optional[self.format_url(e)]]),
        ]

    def format_url(self, e: Entry) -> Any:
        return href[bibfield("url", raw=True), bibfield("url", raw=True)]


def with_arxiv_eprint(entry: Entry) -> Entry:
    """The entry, with an arXiv identifier written in its journal or note as ``eprint``.

    "arXiv preprint arXiv:1511.07289" as the journal becomes the journal "arXiv preprint" and
    the eprint 1511.07289 (linked); a note that is only "arXiv:2106.12915" becomes the eprint.
    """
    if "eprint" in entry.fields:
        return entry
    fields = dict(entry.fields)
    for name in ("journal", "note"):
        match = ARXIV.search(fields.get(name, ""))
        if not match:
            continue
        fields["eprint"] = match[1]
        fields.setdefault("archiveprefix", "arXiv")
        rest = (fields[name][: match.start()] + fields[name][match.end() :]).strip(" .,;")
        if rest:
            fields[name] = rest
        else:
            del fields[name]
        break
    else:
        return entry
    copy = Entry(entry.type, fields=fields, persons=entry.persons)
    copy.key = entry.key
    return copy


# --- The citations ---------------------------------------------------------------------------

# Several works in one citation are separated by semicolons: "(Nair and Hinton, 2010; Glorot
# et al., 2011)", since each already contains a comma.
ROUND = BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """Author-year citations in round brackets: "(He et al., 2015)", "He et al. (2015)"."""

    bracket_parenthetical: BracketStyle = field(default_factory=lambda: ROUND)
    bracket_textual: BracketStyle = field(default_factory=lambda: ROUND)
    bracket_author: BracketStyle = field(default_factory=lambda: ROUND)
    bracket_label: BracketStyle = field(default_factory=lambda: ROUND)
    bracket_year: BracketStyle = field(default_factory=lambda: ROUND)


# --- Back-links ------------------------------------------------------------------------------


def book_order(env: BuildEnvironment) -> list[str]:
    """Every document in reading order: the root, then its toctrees, depth first."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.found_docs) - set(order))


class CitedIn(SphinxPostTransform):
    """Each bibliography entry: no numeric label, and a line of links to where it is cited."""

    default_priority = 6  # after sphinxcontrib-bibtex's BibliographyTransform (5)

    def run(self, **kwargs: Any) -> None:
        domain: Any = self.env.get_domain("cite")
        keys = {citation.citation_id: citation.key for citation in domain.citations}
        entries = [n for n in self.document.findall(nodes.citation) if n["ids"][0] in keys]
        if not entries:
            return
        order = {docname: i for i, docname in enumerate(book_order(self.env))}
        places: dict[str, list[tuple[int, int, str, str]]] = {}
        for ref in domain.citation_refs:
            for target in ref.targets:
                places.setdefault(target.key, []).append(
                    (
                        order.get(ref.docname, len(order)),
                        ref.line or 0,
                        ref.docname,
                        ref.citation_ref_id,
                    )
                )
        sections = _Sections(self.env)
        for entry in entries:
            for label in list(entry.findall(nodes.label)):
                label.parent.remove(label)
            cited = sorted(places.get(keys[entry["ids"][0]], []))
            if cited:
                entry += self.cited_in([(d, i) for _, _, d, i in cited], sections)

    def cited_in(self, places: list[tuple[str, str]], sections: _Sections) -> nodes.paragraph:
        """ "Cited in §2.3, §14.1 (a, b), Quiz": a link per place, grouped by section."""
        groups: dict[tuple[str, str], list[str]] = {}
        for docname, ref_id in places:
            groups.setdefault(sections.label(docname, ref_id), []).append(self.uri(docname, ref_id))
        paragraph = nodes.paragraph(classes=["cited-in"])
        paragraph += nodes.Text("Cited in ")
        for n, ((label, title), uris) in enumerate(groups.items()):
            if n:
                paragraph += nodes.Text(", ")
            if len(uris) == 1:
                paragraph += nodes.reference(
                    label, label, refuri=uris[0], reftitle=title, internal=True
                )
                continue
            paragraph += nodes.Text(f"{label} (")
            for i, uri in enumerate(uris):
                if i:
                    paragraph += nodes.Text(", ")
                letter = chr(ord("a") + i) if i < 26 else str(i + 1)
                paragraph += nodes.reference(
                    letter, letter, refuri=uri, reftitle=f"{title}, citation {i + 1}", internal=True
                )
            paragraph += nodes.Text(")")
        return paragraph

    def uri(self, docname: str, ref_id: str) -> str:
        return self.app.builder.get_relative_uri(self.env.docname, docname) + "#" + ref_id


class _Sections:
    """Where a citation sits: "§2.3" (its section's number) or the page's title."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.doctrees: dict[str, nodes.document] = {}

    def label(self, docname: str, ref_id: str) -> tuple[str, str]:
        """(label, longer title for the link's tooltip)."""
        page = self.env.titles[docname].astext() if docname in self.env.titles else docname
        if docname not in self.doctrees:
            self.doctrees[docname] = self.env.get_doctree(docname)
        node = self.doctrees[docname].ids.get(ref_id)
        section = node
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        numbers = self.env.toc_secnumbers.get(docname, {})
        if section is None or not numbers:
            return page, page
        number = numbers.get("#" + section["ids"][0]) or numbers.get("", ())
        heading = section.next_node(nodes.title)
        where = heading.astext() if heading is not None else page
        if not number:
            return page, page
        return "§" + ".".join(map(str, number)), f"{'.'.join(map(str, number))} {where}"


def bibliography_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the bibliography on every build: its back-links follow every chapter."""
    domain: Any = env.get_domain("cite")
    return sorted({key.docname for key in domain.bibliographies})


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, AuthorYearStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE, RoundAuthorYearReferenceStyle
    )
    app.add_post_transform(CitedIn)
    app.connect("env-updated", bibliography_pages)
    return {
        "version": "1",
        # The styles decide how every citation reads: editing this file re-reads every page.
        "env_version": int(hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8], 16),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
