"""Building with the book's configuration: a formula KaTeX cannot parse fails the build.

Each test builds a two-page project with conf/ (the book's own configuration, KaTeX from
node_modules/, as `nox -s docs` installs it) into a temporary folder. Run by `nox -s browser`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INDEX = """# Formulas

Inline $\\operatorname{ReLU}(x) = \\max(0, x)$ for $x \\in \\mathbb{R}$, and
$\\mathbb E[\\operatorname{ReLU}(Z)] = \\tfrac{1}{\\sqrt{2\\pi}}$ with $\\Phi$ the normal CDF.

$$
\\operatorname{ReLU}(x) = \\begin{cases} x & x > 0 \\\\ 0 & x \\le 0 \\end{cases}
$$

$$
\\begin{aligned}
f(x) &= \\tfrac12 \\bigl(x + |x|\\bigr) \\\\
     &= \\max(0, x)
\\end{aligned}
$$

```{toctree}
second
```
"""

SECOND = """# Second page

Some text.

A formula: {formula}.
"""


def build(tmp_path: Path, formula: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "docs"
    source.mkdir()
    (source / "index.md").write_text(INDEX, "utf-8")
    (source / "second.md").write_text(SECOND.format(formula=formula), "utf-8")
    command = [
        sys.executable, "-m", "sphinx", "-b", "html", "-c", str(ROOT / "conf"),
        "-d", str(tmp_path / "doctrees"), "-n", "-W", "--keep-going", "-q",
        str(source), str(tmp_path / "html"),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_the_book_configuration_draws_every_construct(tmp_path: Path) -> None:
    """Blackboard R and E, Phi, cases, aligned, tfrac, bigl, operatorname: drawn, not TeX."""
    result = build(tmp_path, "$x^2$")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="katex"') == 6
    assert "katex-error" not in page
    for drawn in ('class="mord mathbb">R<', 'class="mord mathbb">E<', ">Φ<", 'class="mop"'):
        assert drawn in page, drawn
    assert page.count("<mtable") == 2  # cases and aligned, as tables in the MathML
    assert "$" not in page.split('<article class="bd-article">')[1].split("</article>")[0]


def test_a_formula_that_does_not_parse_fails_the_build_naming_its_page(tmp_path: Path) -> None:
    result = build(tmp_path, "$\\frac{1}{$")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "second.md:5" in output, output
    assert "KaTeX cannot parse this formula" in output, output
