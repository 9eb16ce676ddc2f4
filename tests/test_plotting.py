"""relukit.plotting: the book's figure style, reproducible SVG, open and filled endpoints."""

from __future__ import annotations

import io
import subprocess
import sys
import types
from collections.abc import Iterator

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import colors
from matplotlib.figure import Figure

from relukit import PROPERTIES
from relukit.plotting import COLORS, endpoint, use_book_style


@pytest.fixture(autouse=True)
def _isolated_matplotlib() -> Iterator[None]:
    """Each test starts from matplotlib's defaults and leaves them as it found them."""
    with mpl.rc_context():
        mpl.rcdefaults()
        yield
    plt.close("all")


def _relu_figure() -> Figure:
    fig, ax = plt.subplots()
    xs = [-2.0, 0.0, 2.0]
    ax.plot(xs, [0.0, 0.0, 2.0], color=COLORS["relu"], label="ReLU")
    ax.fill_between(xs, [0.0, 0.0, 2.0], alpha=0.2)
    endpoint(ax, 0.0, 0.0, closed=True, color=COLORS["relu"])
    endpoint(ax, 0.0, 1.0, closed=False, color=COLORS["relu"])
    ax.set_xlabel("x")
    ax.set_ylabel("ReLU(x)")
    ax.legend()
    return fig


def _svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def test_use_book_style_sets_the_house_rc_params() -> None:
    use_book_style()
    assert mpl.rcParams["svg.hashsalt"] == "relukit"
    assert mpl.rcParams["svg.fonttype"] == "path"
    assert not mpl.rcParams["axes.spines.top"]
    assert not mpl.rcParams["axes.spines.right"]
    assert mpl.rcParams["axes.grid"]
    # An opaque white card, legible on the dark theme too.
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert colors.to_rgba(mpl.rcParams[key]) == (1.0, 1.0, 1.0, 1.0)


def test_a_figure_saved_twice_as_svg_gives_identical_bytes() -> None:
    use_book_style()
    fig = _relu_figure()
    first, second = _svg(fig), _svg(fig)
    assert first.startswith(b"<?xml")
    assert b"<dc:date>" not in first
    assert first == second


def test_the_same_figure_built_twice_gives_identical_svg() -> None:
    use_book_style()
    assert _svg(_relu_figure()) == _svg(_relu_figure())


def test_without_the_book_style_svg_ids_are_random() -> None:
    """The control for the two tests above: matplotlib's own default is not reproducible,
    so their equality is the style's doing."""
    fig = _relu_figure()
    assert _svg(fig) != _svg(fig)


def test_endpoint_draws_a_filled_dot_or_an_open_circle() -> None:
    _, ax = plt.subplots()
    endpoint(ax, 0.0, 0.0, closed=True, color=COLORS["relu"])
    endpoint(ax, 0.0, 1.0, closed=False, color=COLORS["relu"])
    filled, hollow = ax.lines
    blue = colors.to_rgba(COLORS["relu"])
    for line, (x, y) in ((filled, (0.0, 0.0)), (hollow, (0.0, 1.0))):
        assert list(line.get_xdata()) == [x]
        assert list(line.get_ydata()) == [y]
        assert line.get_marker() == "o"
        assert line.get_linestyle() == "None"
        assert colors.to_rgba(line.get_markeredgecolor()) == blue
    assert colors.to_rgba(filled.get_markerfacecolor()) == blue
    assert colors.to_rgba(hollow.get_markerfacecolor()) == (1.0, 1.0, 1.0, 1.0)
    # Drawn over the curve whose end they mark.
    curve = ax.plot([0, 1], [0, 1])[0]
    assert filled.get_zorder() > curve.get_zorder()
    assert hollow.get_zorder() > curve.get_zorder()


def test_there_is_one_distinct_colour_per_activation() -> None:
    assert set(COLORS) == set(PROPERTIES)
    rgba = [colors.to_rgba(c) for c in COLORS.values()]
    assert len(set(rgba)) == len(rgba)
    assert all(colors.is_color_like(c) for c in COLORS.values())


class _FakeShell:
    """Stands in for IPython's shell, with the one behaviour use_book_style must respect:
    the first ``%matplotlib inline`` selects the inline backend's default format, PNG
    (matplotlib-inline's configure_inline_support does so when it switches backend).

    IPython is not a test dependency; with it installed, the real shell was checked to
    behave so (MPLBACKEND=Agg, then ``%matplotlib inline`` resets SVG to PNG).
    """

    def __init__(self) -> None:
        self.formats: tuple[str, ...] = ("png",)
        self.format_options: dict[str, object] = {}
        self.backend = "agg"
        self.magics: list[tuple[str, str]] = []

    def run_line_magic(self, name: str, line: str) -> None:
        self.magics.append((name, line))
        if (name, line) == ("matplotlib", "inline") and self.backend != "inline":
            self.backend = "inline"
            self.formats, self.format_options = ("png",), {"bbox_inches": "tight"}


def _fake_ipython(monkeypatch: pytest.MonkeyPatch, shell: _FakeShell | None) -> None:
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell  # type: ignore[attr-defined]
    backend_inline = types.ModuleType("matplotlib_inline.backend_inline")

    def set_matplotlib_formats(*formats: str, **options: object) -> None:
        assert shell is not None
        shell.formats, shell.format_options = formats, options

    backend_inline.set_matplotlib_formats = set_matplotlib_formats  # type: ignore[attr-defined]
    package = types.ModuleType("matplotlib_inline")
    package.backend_inline = backend_inline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "matplotlib_inline", package)
    monkeypatch.setitem(sys.modules, "matplotlib_inline.backend_inline", backend_inline)


def test_inside_ipython_figures_display_as_svg_without_a_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shell = _FakeShell()
    _fake_ipython(monkeypatch, shell)
    use_book_style()
    assert shell.backend == "inline"
    assert shell.formats == ("svg",)
    assert shell.format_options == {"bbox_inches": "tight", "metadata": {"Date": None}}
    assert mpl.rcParams["svg.hashsalt"] == "relukit"


def test_use_book_style_twice_keeps_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    shell = _FakeShell()
    _fake_ipython(monkeypatch, shell)
    use_book_style()
    use_book_style()
    assert shell.formats == ("svg",)


def test_outside_ipython_only_the_rc_params_change(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_ipython(monkeypatch, None)  # IPython installed, but no shell running
    use_book_style()
    assert mpl.rcParams["svg.hashsalt"] == "relukit"
    monkeypatch.setitem(sys.modules, "IPython", None)  # IPython not installed: import fails
    mpl.rcdefaults()
    use_book_style()
    assert mpl.rcParams["svg.hashsalt"] == "relukit"


def _contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a colour against white."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in
                colors.to_rgb(colour)]  # fmt: skip
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return 1.05 / (luminance + 0.05)


def test_no_colour_is_faint_on_white() -> None:
    """Figures are drawn on white: every line colour stands out from it (Okabe-Ito's yellow,
    1.3:1, did not)."""
    faint = {name: round(_contrast_on_white(c), 2) for name, c in COLORS.items()}
    assert {name: ratio for name, ratio in faint.items() if ratio < 2.0} == {}


def test_tick_labels_are_sized_for_a_phone() -> None:
    """A 5.2 in figure shown in a 342 px column keeps 11 pt tick labels above 60 % of 16 px
    body text (tests/browser/test_figures.py measures the built book)."""
    use_book_style()
    width_in, _ = mpl.rcParams["figure.figsize"]
    assert width_in <= 5.2
    for key in ("xtick.labelsize", "ytick.labelsize"):
        size_pt = mpl.font_manager.FontProperties(size=mpl.rcParams[key]).get_size_in_points()
        assert size_pt * 342 / (width_in * 72) >= 0.6 * 16


def test_without_matplotlib_the_import_says_what_to_install() -> None:
    """In a fresh interpreter where importing matplotlib fails as it does when absent."""
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'matplotlib' or name.startswith('matplotlib.'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import relukit\n"  # the library itself needs no matplotlib
        "import relukit.plotting\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocker], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: relukit.plotting needs matplotlib")
    assert "pip install 'relukit[plot]'" in last
