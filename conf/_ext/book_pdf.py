"""The whole book as one PDF: a single-page build fit for printing, and a link to the PDF.

``nox -s pdf`` builds the book with Sphinx's ``singlehtml`` builder and has Chromium print it
(conf/print_book.py). Two things make that single page print well:

- **Links that work on one page.** Sphinx 8.2 to 9.0 write a link to another chapter's
  target as ``#document-<chapter>#<id>``, a fragment no element has (sphinx-doc/sphinx#14221;
  the fix, #14241, restores ``fix_refuris``). And ids that docutils numbers per page
  ("id1", a citation) or that two chapters share ("what-we-found") clash once every chapter
  is on one page, so a link would land in the wrong chapter. Here every such id also gets a
  unique one, "<chapter>--<id>", and every link to it points there; other links lose the
  "#document-<chapter>" prefix. The first id stays first: Sphinx finds section and figure
  numbers by it.
- **Everything open** is the print script's job (conf/_static/print.js opens every <details>
  before printing, for a reader printing a page too); the print stylesheet does the rest.

For the HTML site, ``book_pdf`` names a PDF built before (``BOOK_PDF`` in conf.py, set by the
Pages workflow): it is copied into the site as ``the-anatomy-of-relu.pdf`` and every page's
download menu offers it. Unset (a local build), there is no PDF and no link to one.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

PDF_NAME = "the-anatomy-of-relu.pdf"


# --- The single page -------------------------------------------------------------------------


def _elements_by_document(tree: nodes.Element, docname: str) -> list[tuple[nodes.Element, str]]:
    """Every element of the assembled single page, with the chapter it came from.

    Walked from the top: Sphinx hangs each chapter's nodes under a ``start_of_file`` node
    without updating their ``parent`` (sphinx.util.nodes.inline_all_toctrees), so a node's
    ancestors cannot tell.
    """
    found: list[tuple[nodes.Element, str]] = []
    stack: list[tuple[nodes.Node, str]] = [(tree, docname)]
    while stack:
        node, doc = stack.pop()
        if not isinstance(node, nodes.Element):
            continue
        if isinstance(node, addnodes.start_of_file):
            doc = str(node["docname"])
        found.append((node, doc))
        stack.extend((child, doc) for child in reversed(node.children))
    return found


def unique_id(docname: str, node_id: str) -> str:
    return f"{docname.replace('/', '-')}--{node_id}"


def single_page_parts(app: Sphinx, doctree: nodes.document) -> None:
    """Chapters at the top of the single page, grouped under their parts' titles.

    Sphinx puts every chapter where the root's toctree was, inside the root's last section, so
    a chapter's title would be a third-level heading and the PDF's outline would file the
    whole book under that section. Here each part of the root (a toctree, its caption the
    part's title) becomes a top-level section holding its chapters: the outline reads
    book, part, chapter, section.
    """
    root = app.config.root_doc
    parts = [
        (toctree.get("caption") or "", [ref for _title, ref in toctree["entries"]])
        for toctree in app.env.get_doctree(root).findall(addnodes.toctree)
    ]
    chapters: dict[str, tuple[nodes.Element, addnodes.start_of_file]] = {}
    for parent, _doc in _elements_by_document(doctree, root):
        for child in parent.children:
            if isinstance(child, addnodes.start_of_file) and child["docname"] not in chapters:
                chapters[child["docname"]] = (parent, child)
    for number, (caption, entries) in enumerate(parts, start=1):
        here = [chapters[ref] for ref in entries if ref in chapters]
        if not here:
            continue
        part = nodes.section(ids=[f"part-{number}"], classes=["book-part"])
        part += nodes.title(caption, caption)
        for parent, chapter in here:
            parent.children.remove(chapter)
            part += chapter
        doctree += part


def single_page_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The single page: parts at the top, one id for each target, every link pointing at it."""
    if app.builder.name != "singlehtml" or docname != app.config.root_doc:
        return
    single_page_parts(app, doctree)
    # The chapters begin at "#document-<chapter>" (a start_of_file); the root page does not:
    # give its first section that name too, so that a link to the home page lands.
    first = doctree.next_node(nodes.section)
    if first is not None:
        first["ids"].append(f"document-{docname}")
    elements = _elements_by_document(doctree, docname)
    where: dict[str, set[str]] = defaultdict(set)
    for node, doc in elements:
        for node_id in node.get("ids", []):
            where[node_id].add(doc)
    clashing = {node_id for node_id, docs in where.items() if len(docs) > 1}
    for node, doc in elements:
        _point_at_unique_ids(node, doc, clashing)


def _point_at_unique_ids(node: nodes.Element, doc: str, clashing: set[str]) -> None:
    """One node of chapter ``doc``: its clashing ids get a unique twin, its links use them."""

    def target(page: str, node_id: str) -> str:
        return unique_id(page, node_id) if node_id in clashing else node_id

    node["ids"] = node["ids"] + [unique_id(doc, i) for i in node["ids"] if i in clashing]
    if node.get("refid") in clashing:
        node["refid"] = unique_id(doc, node["refid"])
    if node.get("backrefs"):
        node["backrefs"] = [target(doc, ref) for ref in node["backrefs"]]
    refuri = node.get("refuri", "")
    if isinstance(node, nodes.reference) and refuri.startswith("#document-"):
        page, _, fragment = refuri[len("#document-") :].partition("#")
        if fragment:  # "#document-<page>#<id>": the id, on this one page
            node["refuri"] = "#" + target(page, fragment)


# --- The PDF on the site ---------------------------------------------------------------------


def _pdf(app: Sphinx) -> Path | None:
    name = app.config.book_pdf
    if not name or app.builder.name != "html":
        return None
    path = Path(name)
    if not path.is_file():
        raise ConfigError(f"book_pdf (BOOK_PDF) names {path}, which is not a file")
    return path


def check_pdf(app: Sphinx) -> None:
    _pdf(app)


def offer_pdf(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add "the whole book (.pdf)" to the theme's download menu (built at priority 501)."""
    if _pdf(app) is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](PDF_NAME, 1),
                    "text": "Book (.pdf)",
                    "tooltip": "Download the whole book as a PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """The PDF into the site; without one, no PDF left from an earlier build either."""
    if exception is not None or app.builder.name != "html":
        return
    pdf, target = _pdf(app), Path(app.outdir) / PDF_NAME
    if pdf is not None:
        shutil.copyfile(pdf, target)
    else:
        target.unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_pdf", "", "html", types=frozenset({str}))
    app.connect("doctree-resolved", single_page_links)
    app.connect("builder-inited", check_pdf)
    app.connect("html-page-context", offer_pdf, priority=502)
    app.connect("build-finished", copy_pdf)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
