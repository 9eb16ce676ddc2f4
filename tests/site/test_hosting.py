"""The hosting configuration, checked here because it can only run on GitHub and Read the Docs.

Schemas: check-jsonschema's vendored copies (no network). Run by `nox -s browser`.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
READTHEDOCS = ROOT / ".readthedocs.yaml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def expand(group: str) -> list[str]:
    """A dependency group's requirements, included groups spelled out."""
    out: list[str] = []
    for item in PYPROJECT["dependency-groups"][group]:
        out += expand(item["include-group"]) if isinstance(item, dict) else [item]
    return out


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "schema"),
    [(WORKFLOW, "vendor.github-workflows"), (READTHEDOCS, "vendor.readthedocs")],
)
def test_valid_against_schema(path: Path, schema: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def test_workflow_builds_with_the_readme_command_and_deploys() -> None:
    workflow = load(WORKFLOW)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in steps(build)]
    assert "nox -s docs" in runs
    uses = {step.get("uses", "").split("@")[0]: step for step in steps(build)}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "build/html"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in steps(deploy))
    assert deploy["needs"] == "build"
    docs_step = next(step for step in steps(build) if step.get("run") == "nox -s docs")
    assert set(docs_step["env"]) == {"REPOSITORY_URL", "REPOSITORY_BRANCH", "SITE_URL", "BOOK_PDF"}
    # The PDF is built first, where BOOK_PDF says, so the site can offer it.
    assert docs_step["env"]["BOOK_PDF"] == "build/pdf/the-anatomy-of-relu.pdf"
    pdf_step = next(i for i, step in enumerate(steps(build)) if "nox -s pdf" in step.get("run", ""))
    assert pdf_step < steps(build).index(docs_step)


def test_workflow_has_least_privilege() -> None:
    workflow = load(WORKFLOW)
    assert workflow["permissions"] == {}, "no default permissions for the workflow's token"
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(s for s in steps(workflow["jobs"]["build"]) if "checkout" in s.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False


def test_workflow_caches_the_execution_cache_keyed_on_the_sources() -> None:
    build = load(WORKFLOW)["jobs"]["build"]
    cache = next(s for s in steps(build) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "build/jupyter_cache"
    key = cache["with"]["key"]
    for source in ("docs/**", "src/**", "pyproject.toml"):
        assert source in key
    # Restored before the build that uses it.
    names = [s.get("name", s.get("uses", s.get("run"))) for s in steps(build)]
    assert names.index(cache["name"]) < names.index("nox -s docs")


def test_workflow_and_ci_install_the_pinned_nox_group() -> None:
    """.ci/install-nox: the "nox" group as uv.lock pins it (tests/test_workflows.py)."""
    build = load(WORKFLOW)["jobs"]["build"]
    assert any(s.get("run") == "bash .ci/install-nox" for s in steps(build))
    assert all("==" in pin for pin in PYPROJECT["dependency-groups"]["nox"])


def test_readthedocs_runs_nox_docs_which_fails_on_warnings() -> None:
    config = load(READTHEDOCS)
    assert config["version"] == 2
    assert config["build"]["tools"]["python"] == "3.11"
    commands = config["build"]["commands"]
    assert "nox -s docs" in commands
    assert any("$READTHEDOCS_OUTPUT/html" in command for command in commands)
    assert "bash .ci/install-nox" in commands
    # nox -s docs is what fails on warnings: its sphinx-build runs with -W.
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert '"-n", "-W", "--keep-going"' in noxfile


def test_binder_environment_matches_its_dependency_group() -> None:
    """binder/requirements.txt is what mybinder.org installs: the 'binder' group, plus relukit."""
    lines = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    wanted = [line for line in lines if line.strip() and not line.startswith("#")]
    assert wanted == [".", *expand("binder")]
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "jupytext-config set-default-viewer" in post_build
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)


# --- conf.py under each host's environment -----------------------------------------------------

SETTINGS = [
    "REPOSITORY_URL",
    "REPOSITORY_BRANCH",
    "SITE_URL",
    "extensions",
    "html_theme_options",
    "notfound_urls_prefix",
]
HOST_VARIABLES = (
    "REPOSITORY_URL",
    "REPOSITORY_BRANCH",
    "SITE_URL",
    "READTHEDOCS",
    "READTHEDOCS_CANONICAL_URL",
    "READTHEDOCS_GIT_CLONE_URL",
    "READTHEDOCS_GIT_IDENTIFIER",
)


def configuration(**variables: str) -> dict[str, Any]:
    """conf/conf.py's settings when run with these environment variables (and no others)."""
    env = {k: v for k, v in os.environ.items() if k not in HOST_VARIABLES} | variables
    code = (
        "import json, runpy; c = runpy.run_path('conf/conf.py'); "
        f"print(json.dumps({{k: c.get(k) for k in {SETTINGS!r} + ['html_baseurl']}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout))


def test_local_build_points_at_nothing_unchecked() -> None:
    conf = configuration()
    assert conf["REPOSITORY_URL"] == ""
    assert conf["SITE_URL"] == ""
    options = conf["html_theme_options"]
    assert "repository_url" not in options
    assert "launch_buttons" not in options
    assert conf["html_baseurl"] is None
    assert "sphinx_sitemap" not in conf["extensions"]
    assert conf["notfound_urls_prefix"] == "/"


def test_github_pages_build() -> None:
    conf = configuration(
        REPOSITORY_URL="https://github.com/someone/anatomy-of-relu",
        REPOSITORY_BRANCH="main",
        SITE_URL="https://someone.github.io/anatomy-of-relu",
    )
    options = conf["html_theme_options"]
    assert options["repository_url"] == "https://github.com/someone/anatomy-of-relu"
    assert options["repository_branch"] == "main"
    assert options["path_to_docs"] == "docs"
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert conf["html_baseurl"] == "https://someone.github.io/anatomy-of-relu/"
    assert {"sphinx_sitemap", "sphinxext.opengraph"} <= set(conf["extensions"])
    assert conf["notfound_urls_prefix"] == "/anatomy-of-relu/"


def test_read_the_docs_build() -> None:
    conf = configuration(
        READTHEDOCS="True",
        READTHEDOCS_CANONICAL_URL="https://anatomy-of-relu.readthedocs.io/en/latest/",
        READTHEDOCS_GIT_CLONE_URL="https://github.com/someone/anatomy-of-relu.git",
        READTHEDOCS_GIT_IDENTIFIER="main",
    )
    options = conf["html_theme_options"]
    assert options["repository_url"] == "https://github.com/someone/anatomy-of-relu"
    assert options["repository_branch"] == "main"
    assert conf["html_baseurl"] == "https://anatomy-of-relu.readthedocs.io/en/latest/"
    assert conf["notfound_urls_prefix"] == "/en/latest/"


def test_a_repository_elsewhere_gets_links_but_no_binder() -> None:
    conf = configuration(REPOSITORY_URL="https://gitlab.com/someone/anatomy-of-relu")
    options = conf["html_theme_options"]
    assert options["repository_url"] == "https://gitlab.com/someone/anatomy-of-relu"
    assert "launch_buttons" not in options


def test_ci_runs_the_browser_suite() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [shlex.split(line) for line in ci.splitlines() if line.startswith("nox ")]
    assert ["nox", "-s", "browser"] in commands
