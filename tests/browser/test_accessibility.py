"""axe-core on every page, in light and in dark mode.

axe-core comes from npm at the version package-lock.json pins (`npm ci`, which `nox -s docs`
runs, puts it in node_modules/); Playwright injects the local file, so nothing is fetched. Every
violation fails the test except those listed in KNOWN: each belongs to a third-party template
and names where it is tracked upstream. A violation in the book's own content is never listed
here: the content is fixed instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from _site import DESKTOP, ROOT, Site, new_context, site_pages

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@dataclass(frozen=True)
class Known:
    """A violation that belongs to a third-party template, and where it is tracked."""

    rule: str
    target: str  # a regular expression the violating element's selector matches
    source: str
    upstream: str
    # Only where the element holds a formula and shows text (axe reads no text in MathML).
    formula_only: bool = False


KNOWN = [
    Known(
        rule="empty-table-header",
        target=r"th",
        source="a header cell whose only text is a formula: axe-core computes no text for "
        "MathML (KaTeX's copy for assistive technology), so the cell looks empty to it; "
        "screen readers read the formula",
        upstream="https://github.com/dequelabs/axe-core/issues/3285",
        formula_only=True,
    ),
    Known(
        rule="region",
        target=r"^\.only-(light|dark)$",
        source="sphinx-book-theme puts the logo in the primary sidebar, a <div> outside every "
        "landmark (pydata-sphinx-theme's header, where the logo lives there, is one)",
        upstream="https://github.com/pydata/pydata-sphinx-theme/pull/1454",
    ),
    Known(
        rule="aria-deprecated-role",
        target=r"^#id\d+$",
        source="docutils writes each citation with role=doc-biblioentry, deprecated in "
        "DPUB-ARIA 1.1 (the bibliography page)",
        upstream="https://github.com/w3c/dpub-aria/pull/22",
    ),
    Known(
        rule="aria-allowed-role",
        target=r"^#id\d+$",
        source="the same citations: doc-biblioentry is not allowed on their <div>",
        upstream="https://github.com/w3c/dpub-aria/pull/22",
    ),
    Known(
        rule="aria-required-children",
        target=r"^\.citation-list$",
        source="docutils' citation list (role=doc-bibliography) holds the deprecated entries",
        upstream="https://github.com/dequelabs/axe-core/issues/2759",
    ),
]


def is_known(rule: str, node: dict[str, Any]) -> Known | None:
    for known in KNOWN:
        if known.rule != rule or not re.search(known.target, node["target"]):
            continue
        if known.formula_only and not (node["formula"] and node["text"]):
            continue
        return known
    return None


def axe_violations(site: Site, name: str, mode: str) -> list[dict[str, Any]]:
    context = new_context(site.browser, DESKTOP, color_scheme=mode)
    try:
        page = context.new_page()
        page.goto(site.url(name), wait_until="networkidle")
        assert page.locator("html").get_attribute("data-theme") == mode
        page.add_script_tag(path=str(AXE))
        return page.evaluate(
            """async () => (await axe.run(document, { resultTypes: ["violations"] }))
                .violations.map((v) => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "),
                    html: n.html.slice(0, 160),
                    formula: !!document.querySelector(n.target[0])?.querySelector("math"),
                    text: document.querySelector(n.target[0])?.textContent.trim() ?? "",
                    // where a reader finds it: the nearest section's id and heading
                    section: (() => {
                      const el = document.querySelector(n.target[0]);
                      const section = el && el.closest("section[id]");
                      return section
                        ? `#${section.id} "${section.querySelector("h1, h2, h3, h4")?.textContent
                            .replace(/[#¶]\\s*$/, "").trim()}"`
                        : "";
                    })(),
                  })),
                }))"""
        )
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe_file() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (nox -s docs does)")
    return AXE


_seen_known: set[tuple[str, str]] = set()
_checked: set[tuple[str, str]] = set()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_accessibility_violations(site: Site, page: str, mode: str, axe_file: Path) -> None:
    new = []
    _checked.add((page, mode))
    for violation in axe_violations(site, page, mode):
        for node in violation["nodes"]:
            known = is_known(violation["id"], node)
            if known:
                _seen_known.add((known.rule, known.target))
                continue
            new.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"    at {node['target']}  {node['section']}\n    {node['html']}"
            )
    assert new == [], f"{page} in {mode} mode:\n" + "\n".join(new)


def test_every_known_violation_is_still_there() -> None:
    """A known violation that no page shows any more is taken off the list (it was fixed)."""
    if len(_checked) < 2 * len(site_pages()):
        pytest.skip("not every page was checked in both modes in this run")
    gone = [known for known in KNOWN if (known.rule, known.target) not in _seen_known]
    assert gone == [], "fixed upstream or here: remove from KNOWN"
