"""Compare two builds of the book file by file: `python compare_builds.py FIRST SECOND`.

Every file must be byte-identical in both, except what belongs to a page listed in
conf/live-pages.txt (those pages show timings measured during the build):
- the page's HTML and its downloadable notebook;
- figures that only live pages show (figure files are named by a hash of their content);
- searchindex.js, if it differs only in the words it indexes for live pages.
Exits 1, listing the files, when anything else differs or exists in one build only.
Used by `nox -s reproducible`.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIVE_PAGES_FILE = ROOT / "conf" / "live-pages.txt"


def live_pages(path: Path = LIVE_PAGES_FILE) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def live_files(pages: tuple[str, ...]) -> set[str]:
    """The output files that carry a live page's numbers."""
    files = set()
    for page in pages:
        files |= {f"{page}.html", f"_sources/{page}.ipynb"}
    return files


def figures_shown_only_by(tree: Path, pages: tuple[str, ...]) -> set[str]:
    """Files under _images/ that no page other than the given ones refers to."""
    shown_elsewhere, shown_by_pages = set(), set()
    for html in tree.rglob("*.html"):
        name = html.relative_to(tree).as_posix()
        figures = {
            f"_images/{m}" for m in re.findall(r"_images/([^\"'?#\s]+)", html.read_text("utf-8"))
        }
        (shown_by_pages if name.removesuffix(".html") in pages else shown_elsewhere).update(figures)
    return shown_by_pages - shown_elsewhere


def _search_index(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return dict(json.loads(text[text.index("(") + 1 : text.rindex(")")]))


def search_index_differs_only_in(first: Path, second: Path, pages: tuple[str, ...]) -> bool:
    """True if two searchindex.js differ only in the words indexed for the given pages."""
    a, b = _search_index(first), _search_index(second)
    if a.keys() != b.keys() or any(a[k] != b[k] for k in a if k != "terms"):
        return False
    docnames = a["docnames"]
    assert isinstance(docnames, list)
    live = {docnames.index(page) for page in pages if page in docnames}

    def without_live(terms: object) -> dict[str, list[int]]:
        assert isinstance(terms, dict)
        kept = {}
        for term, docs in terms.items():
            rest = [d for d in (docs if isinstance(docs, list) else [docs]) if d not in live]
            if rest:
                kept[term] = rest
        return kept

    return without_live(a["terms"]) == without_live(b["terms"])


def files(tree: Path) -> dict[str, Path]:
    return {p.relative_to(tree).as_posix(): p for p in sorted(tree.rglob("*")) if p.is_file()}


def compare(first: Path, second: Path, pages: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Return (problems, expected differences) between two output trees."""
    a, b = files(first), files(second)
    allowed = live_files(pages)
    live_figures = figures_shown_only_by(first, pages) | figures_shown_only_by(second, pages)
    problems, expected = [], []
    for name in sorted(a.keys() | b.keys()):
        if name not in a or name not in b:
            where = "first" if name in a else "second"
            (expected if name in live_figures else problems).append(
                f"only in the {where} build: {name}"
            )
        elif a[name].read_bytes() != b[name].read_bytes():
            if name == "searchindex.js":
                ok = search_index_differs_only_in(a[name], b[name], pages)
            else:
                ok = name in allowed or name in live_figures
            (expected if ok else problems).append(name)
    return problems, expected


def show_diff(first: Path, second: Path, name: str, lines: int = 12) -> str:
    try:
        old = (first / name).read_text(encoding="utf-8").splitlines()
        new = (second / name).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return "    (binary file)"
    diff = difflib.unified_diff(old, new, "first", "second", n=0, lineterm="")
    return "\n".join("    " + line[:160] for line in list(diff)[:lines])


def main(argv: list[str]) -> int:
    first, second = (Path(arg) for arg in argv)
    pages = live_pages()
    problems, expected = compare(first, second, pages)
    count = len(files(first))
    print(f"compared {count} files; live-timing pages (conf/live-pages.txt): {', '.join(pages)}")
    for name in expected:
        print(f"  differs, as expected (live timings): {name}")
    if problems:
        print(f"NOT REPRODUCIBLE: {len(problems)} file(s) differ outside the live-timing pages:")
        for problem in problems:
            print(f"  {problem}")
            if not problem.startswith("only in"):
                print(show_diff(first, second, problem))
        return 1
    print(f"reproducible: every file byte-identical but for the {len(expected)} of live pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
