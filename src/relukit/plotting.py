"""The book's figure style: one palette, one look, reproducible SVG, readable in dark mode.

Needs matplotlib (``pip install relukit[plot]``). Every chapter's hidden first cell calls
:func:`use_book_style`.
"""

from __future__ import annotations

from typing import Any

try:
    import matplotlib as mpl
    from matplotlib.axes import Axes
except ModuleNotFoundError as error:
    if error.name != "matplotlib":  # installed, but something it needs is missing
        raise
    raise ModuleNotFoundError(
        "relukit.plotting needs matplotlib: pip install 'relukit[plot]' (or matplotlib)",
        name=error.name,
    ) from error

from relukit.registry import REGISTRY

__all__ = ["COLORS", "endpoint", "use_book_style"]

#: One colour per activation, from the registry (:data:`relukit.registry.REGISTRY`): the
#: Okabe-Ito palette (distinct for colour-blind readers), and greys and wine beyond it; tanh
#: is dark brown (#663311), not Okabe-Ito's yellow (#F0E442, 1.3:1 on white, faint): 10:1 on
#: white, and as far from every other colour as any Okabe-Ito member, for normal vision and
#: simulated deuteranopia, protanopia and tritanopia.
COLORS: dict[str, str] = {key: entry.color for key, entry in REGISTRY.items()}

# Sizes for a figure read on a phone as well as on a desk. The book's column is about 342 px
# wide for a figure on a 390 px phone, and a tick label must render at 60 % of the 16 px
# body text there or more (tests/browser/test_figures.py): an SVG up to 11 pt x 342 / 9.6
# = 391 pt (5.4 in) wide qualifies. Figures are drawn at most 5.2 in wide (saved with a tight
# bounding box, usually a little narrower), several panels stacked vertically.
_STYLE: Any = {
    "figure.figsize": (5.2, 3.2),
    "figure.dpi": 100,
    # An opaque white card: legible on the light theme and on the dark theme alike.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.35,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.size": 11.0,
    "xtick.labelsize": 11.0,
    "ytick.labelsize": 11.0,
    # Fixed ids in SVG output: the same figure gives the same bytes on every build.
    "svg.hashsalt": "relukit",
    "svg.fonttype": "path",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style; inside IPython, also emit reproducible SVG.

    SVG keeps line plots sharp at any zoom. Matplotlib writes the current date into SVG
    metadata; the inline backend is told to leave it out, so a rebuild changes no bytes.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from relukit.plotting import use_book_style
    >>> with mpl.rc_context():
    ...     use_book_style()
    ...     mpl.rcParams["svg.hashsalt"]
    'relukit'
    """
    mpl.rcParams.update(_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: only the rcParams apply
        return
    shell = get_ipython()
    if shell is None:
        return
    # The magic first: switching to the inline backend resets the figure formats to PNG.
    shell.run_line_magic("matplotlib", "inline")
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    formats: Any = set_matplotlib_formats  # untyped in matplotlib-inline
    formats("svg", bbox_inches="tight", metadata={"Date": None})


def endpoint(ax: Axes, x: float, y: float, *, closed: bool, color: str) -> None:
    """Mark the end of a piece of a graph: a filled dot if the value is attained, else a circle.

    An open circle marks an end that is not attained (the derivative of ReLU at 0, for
    instance).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    x, y : float
        The end.
    closed : bool
        Whether the value is attained there: a filled dot, else an open (white) circle.
    color : str
        The marker's colour.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from relukit.plotting import COLORS, endpoint
    >>> fig, ax = plt.subplots()
    >>> endpoint(ax, 0.0, 1.0, closed=False, color=COLORS["relu"])
    >>> ax.lines[0].get_markerfacecolor()
    'white'
    >>> plt.close(fig)
    """
    ax.plot(
        [x],
        [y],
        marker="o",
        markersize=7,
        linestyle="none",
        color=color,
        markerfacecolor=color if closed else "white",
        markeredgewidth=1.8,
        zorder=3,
    )
