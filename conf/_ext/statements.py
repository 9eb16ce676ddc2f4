"""Definitions, theorems and proofs, numbered per chapter and safe for parallel builds.

sphinx-proof crashes a parallel build (it keeps its own domain data without merging it), and
the notebooks need ``-j auto``. These directives use Sphinx's own machinery instead: each kind
is an *enumerable node*, so Sphinx numbers it like a figure ("Theorem 3.2" with
``numfig_secnum_depth = 1``), ``{numref}`` and ``{ref}`` reach it through its ``:name:``, and
nothing is stored outside the doctree. In MyST::

    ```{theorem} ReLU is not differentiable at 0
    :name: thm-derivative-not-at-zero

    The one-sided derivatives ...
    ```

    ```{proof}
    For $h > 0$ ...
    ```

The argument (optional) is the statement's name, shown in parentheses after its number. Kinds:
definition, theorem, proposition, lemma, corollary, example (each with its own counter) and
proof (unnumbered; ``:fold:`` puts it in a closed ``<details>``, for long proofs).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

#: The numbered kinds and how {numref} and the heading write them.
KINDS = {
    "definition": "Definition",
    "theorem": "Theorem",
    "proposition": "Proposition",
    "lemma": "Lemma",
    "corollary": "Corollary",
    "example": "Example",
}


class statement(nodes.General, nodes.Element):
    """A numbered statement; one subclass per kind, so each kind has its own counter."""

    kind: ClassVar[str] = ""


class proof(nodes.General, nodes.Element):
    """An unnumbered proof, optionally folded."""


class statement_title(nodes.TextElement):
    """The statement's name, rendered in parentheses after "Theorem 3.2"."""


# One node class per kind: Sphinx's counters are per node class (figtype). Each is a
# module-level name, so that the doctrees of a parallel build can be pickled.
class definition_statement(statement):
    kind = "definition"


class theorem_statement(statement):
    kind = "theorem"


class proposition_statement(statement):
    kind = "proposition"


class lemma_statement(statement):
    kind = "lemma"


class corollary_statement(statement):
    kind = "corollary"


class example_statement(statement):
    kind = "example"


NODE_CLASSES: dict[str, type[statement]] = {
    cls.kind: cls
    for cls in (
        definition_statement,
        theorem_statement,
        proposition_statement,
        lemma_statement,
        corollary_statement,
        example_statement,
    )
}
assert set(NODE_CLASSES) == set(KINDS)


def _title_of(node: nodes.Element) -> str:
    """What {ref} shows for a statement: its name, or its kind when it has none."""
    for child in node.children:
        if isinstance(child, statement_title) and child.astext():
            return child.astext()
    return KINDS[type(node).kind]  # type: ignore[attr-defined]


class StatementDirective(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {
        "name": directives.unchanged,
        "class": directives.class_option,
    }
    kind = ""

    def run(self) -> list[nodes.Node]:
        node = NODE_CLASSES[self.kind]()
        node["classes"] += ["statement", self.kind, *self.options.get("class", [])]
        self.set_source_info(node)
        # Always a title node, first: it renders the heading ("Theorem 3.2 (name)").
        name = self.arguments[0] if self.arguments else ""
        inline, messages = self.state.inline_text(name, self.lineno) if name else ([], [])
        node += statement_title(name, "", *inline)
        node += messages
        self.add_name(node)
        if not node["ids"]:  # Sphinx numbers only nodes with an id
            self.state.document.set_id(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class ProofDirective(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {
        "name": directives.unchanged,
        "class": directives.class_option,
        "fold": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        node = proof(title=self.arguments[0] if self.arguments else "Proof")
        node["classes"] += ["statement", "proof", *self.options.get("class", [])]
        node["fold"] = "fold" in self.options
        self.set_source_info(node)
        self.add_name(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _number(translator: HTML5Translator, node: statement) -> str:
    """The node's number as Sphinx assigned it ("3.2"), or "" outside a numbered toctree."""
    figtype = type(node).kind
    key = figtype
    if translator.builder.name == "singlehtml":
        key = f"{translator.docnames[-1]}/{figtype}"  # type: ignore[attr-defined]
    numbers = translator.builder.fignumbers.get(key, {}).get(node["ids"][0])  # type: ignore[attr-defined]
    return ".".join(map(str, numbers)) if numbers else ""


def visit_statement_html(self: HTML5Translator, node: statement) -> None:
    self.body.append(self.starttag(node, "div", CLASS=""))


def depart_statement_html(self: HTML5Translator, node: statement) -> None:
    self.body.append("</div>\n")


def visit_statement_title_html(self: HTML5Translator, node: statement_title) -> None:
    """The heading: "Theorem 3.2" and, if the statement has a name, "(its name)"."""
    parent = node.parent
    number = _number(self, parent)
    label = KINDS[type(parent).kind] + (f" {number}" if number else "")
    self.body.append(f'<p class="statement-heading"><span class="statement-label">{label}</span>')
    if node.children:
        self.body.append(' <span class="statement-name">(')


def depart_statement_title_html(self: HTML5Translator, node: statement_title) -> None:
    if node.children:
        self.body.append(")</span>")
    self.body.append("</p>\n")


def visit_proof_html(self: HTML5Translator, node: proof) -> None:
    title = self.encode(node["title"])
    if node["fold"]:
        self.body.append(self.starttag(node, "details", CLASS=""))
        self.body.append(f'<summary class="statement-heading">{title}</summary>\n')
    else:
        self.body.append(self.starttag(node, "div", CLASS=""))
        self.body.append(f'<p class="statement-heading">{title}.</p>\n')


def depart_proof_html(self: HTML5Translator, node: proof) -> None:
    self.body.append("</details>\n" if node["fold"] else "</div>\n")


def _numfig_formats(app: Sphinx, config: Config) -> None:
    for kind, word in KINDS.items():
        config.numfig_format.setdefault(kind, f"{word} %s")


def setup(app: Sphinx) -> dict[str, Any]:
    for kind, cls in NODE_CLASSES.items():
        app.add_enumerable_node(
            cls, kind, _title_of, html=(visit_statement_html, depart_statement_html)
        )

        class _Directive(StatementDirective):
            pass

        _Directive.kind = kind
        app.add_directive(kind, _Directive)
    app.add_node(statement_title, html=(visit_statement_title_html, depart_statement_title_html))
    app.add_node(proof, html=(visit_proof_html, depart_proof_html))
    app.add_directive("proof", ProofDirective)
    app.connect("config-inited", _numfig_formats)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
