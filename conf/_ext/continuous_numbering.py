"""Chapter numbers that run on across the parts of the book.

The root document lists the chapters in several toctrees, one per part, each ``:numbered:``.
Sphinx numbers every numbered toctree from 1 ("every numbered toctree gets new numbering",
``TocTreeCollector.assign_section_numbers`` in ``sphinx/environment/collectors/toctree.py``),
so each part would start again at chapter 1, and two chapters would share each number, their
figures and equations too. A book numbers its chapters once, across its parts.

This extension replaces Sphinx's toctree collector with a subclass whose
``assign_section_numbers`` continues the count: after Sphinx has numbered each toctree, the
chapters of a document's second numbered toctree are moved up by the last chapter number of
its first, and so on. Everything else reads these numbers, and so agrees with them:

- ``env.toc_secnumbers``: headings, cross-references, and Sphinx's figure numbering, which
  runs right after (``assign_figure_numbers``) and prefixes each figure, table, equation and
  numbered statement with its chapter's number (``numfig_secnum_depth``), counted per chapter;
- the ``secnumber`` of each entry in ``env.tocs``: the navigation sidebar and the tables of
  contents;
- the ``secnumber`` of each title in ``env.titles``: previous/next links.

Only the first number of a section number moves ("4.2" in the second part becomes "9.2").
Toctrees that are not numbered, and documents outside numbered toctrees, are left alone.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector


class ContinuousTocTreeCollector(TocTreeCollector):
    """Sphinx's toctree collector, with chapter numbers continued across numbered toctrees."""

    def assign_section_numbers(self, env: BuildEnvironment) -> list[str]:
        old = env.toc_secnumbers
        super().assign_section_numbers(env)  # numbers every numbered toctree from 1
        shifted: set[str] = set()
        for docname in sorted(env.numbered_toctrees):
            offset = 0
            for toctree in env.get_doctree(docname).findall(addnodes.toctree):
                if not toctree.get("numbered"):
                    continue
                numbered = [d for d in _documents_of(env, toctree) if d not in shifted]
                last = max(
                    (n[0] for d in numbered for n in env.toc_secnumbers[d].values() if n),
                    default=0,
                )
                if offset:
                    for d in numbered:
                        _shift(env, d, offset)
                shifted.update(numbered)
                offset += last
        # Sphinx compared its own (unshifted) numbers with the last build's; compare ours.
        return [d for d, numbers in env.toc_secnumbers.items() if numbers != old.get(d)]


def _documents_of(env: BuildEnvironment, toctree: addnodes.toctree) -> list[str]:
    """The documents a numbered toctree gave numbers to: its entries, and theirs, in order."""
    found: list[str] = []

    def visit(docname: str) -> None:
        if docname in found or docname not in env.toc_secnumbers:
            return
        found.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    for _title, ref in toctree["entries"]:
        visit(ref)
    return found


def _shift(env: BuildEnvironment, docname: str, offset: int) -> None:
    """Move the first number of every section number of one document up by ``offset``.

    New lists and tuples throughout: Sphinx shares one list between a toc entry and the
    document's title, so changing it in place would move that title twice.
    """

    def moved(number: Any) -> Any:
        return type(number)((number[0] + offset, *number[1:])) if number else number

    env.toc_secnumbers[docname] = {
        anchor: moved(number) for anchor, number in env.toc_secnumbers[docname].items()
    }
    for reference in env.tocs[docname].findall(nodes.reference):
        if reference.get("secnumber"):
            reference["secnumber"] = moved(reference["secnumber"])
    title = env.titles.get(docname)
    if title is not None and title.get("secnumber"):
        title["secnumber"] = moved(title["secnumber"])


def setup(app: Sphinx) -> dict[str, Any]:
    # Sphinx's own collector is registered by a built-in extension, before this one: find its
    # listeners, switch it off, and register the subclass in its place.
    builtin = [
        listener.handler.__self__
        for listener in app.events.listeners["env-get-updated"]
        if type(getattr(listener.handler, "__self__", None)) is TocTreeCollector
    ]
    if len(builtin) != 1:
        raise RuntimeError(f"expected Sphinx's one TocTreeCollector, found {len(builtin)}")
    builtin[0].disable(app)
    app.add_env_collector(ContinuousTocTreeCollector)
    return {
        "version": "1",
        # Numbers are assigned after reading, from the whole environment: nothing to merge
        # beyond what TocTreeCollector merges.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
