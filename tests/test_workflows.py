"""The GitHub configuration: every workflow valid, pinned and least-privileged; CI for contributors.

Schemas: check-jsonschema's vendored copies (no network). tests/site/test_hosting.py checks
what pages.yml builds and deploys; here, what every workflow shares, and what ci.yml and
linkcheck.yml run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EVERY_WORKFLOW = pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
# owner/name@<40 hex digits>, then the tag it is, as a comment: "  # v5.1.0"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+(\.\d+){0,2}$")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def jobs(path: Path) -> dict[str, Any]:
    return dict(load(path)["jobs"])


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_the_workflows_are_the_ones_described() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "linkcheck.yml", "pages.yml"]


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        *((p, "vendor.github-workflows") for p in WORKFLOWS),
        (GITHUB / "dependabot.yml", "vendor.dependabot"),
    ],
    ids=[*(p.name for p in WORKFLOWS), "dependabot.yml"],
)
def test_valid_against_its_schema(path: Path, schema: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    """The control for the test above: a workflow with a misspelt key is rejected."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1


@EVERY_WORKFLOW
def test_every_action_is_pinned_to_a_full_commit_sha(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert uses
    for action in uses:
        assert PINNED.match(action), action


@EVERY_WORKFLOW
def test_every_workflow_has_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}, "no default permissions for the workflow's token"
    for name, job in jobs(path).items():
        assert "permissions" in job, name
        if path.name != "pages.yml":  # deploy may write Pages (tests/site/test_hosting.py)
            assert job["permissions"] == {"contents": "read"}, name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


def test_ci_runs_on_pull_requests_and_tests_every_declared_python() -> None:
    workflow = load(GITHUB / "workflows" / "ci.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key "on" as True
    declared = sorted(
        c.rsplit(" :: ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    tests = jobs(GITHUB / "workflows" / "ci.yml")["tests"]
    assert tests["strategy"]["matrix"]["python"] == declared == ["3.11", "3.12", "3.13", "3.14"]
    assert PROJECT["requires-python"] == f">={declared[0]}"
    assert "nox --force-python ${{ matrix.python }} -s tests" in runs(tests)


def test_ci_runs_lint_doctests_and_the_browser_suite_with_the_readme_commands() -> None:
    ci = jobs(GITHUB / "workflows" / "ci.yml")
    assert "nox -s lint" in runs(ci["lint"])
    assert "nox -s doctest" in runs(ci["doctest"])
    assert "nox -s browser" in runs(ci["browser"])
    # Debian's chromium, installed by the session as root: not Ubuntu's snap.
    assert ci["browser"]["container"].endswith("-bookworm")


def test_links_are_checked_on_a_schedule_and_never_by_a_pull_request() -> None:
    workflow = load(GITHUB / "workflows" / "linkcheck.yml")
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}
    (job,) = jobs(GITHUB / "workflows" / "linkcheck.yml").values()
    assert any("-b linkcheck" in command for command in runs(job))
    for path in WORKFLOWS:
        if path.name != "linkcheck.yml":
            assert "linkcheck" not in path.read_text(encoding="utf-8")


def test_dependabot_proposes_weekly_grouped_updates_of_every_pinned_ecosystem() -> None:
    """uv (pyproject.toml and uv.lock, transitive packages too), npm and the actions."""
    config = load(GITHUB / "dependabot.yml")
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"uv", "npm", "github-actions"}
    for ecosystem, update in updates.items():
        assert update["directory"] == "/", ecosystem
        assert update["schedule"]["interval"] == "weekly", ecosystem
        # One pull request per ecosystem: a single group that takes every dependency.
        assert [g["patterns"] for g in update["groups"].values()] == [["*"]], ecosystem
    assert updates["uv"]["allow"] == [{"dependency-type": "all"}]
    # The files each ecosystem updates are where it looks for them.
    assert (ROOT / "uv.lock").is_file()
    assert (ROOT / "package-lock.json").is_file()


INSTALL_NOX = "bash .ci/install-nox"


def nox_commands(commands: list[str]) -> list[int]:
    return [i for i, c in enumerate(commands) if re.match(r"(\.nox/\w+/bin/|nox )", c)]


@EVERY_WORKFLOW
def test_every_job_installs_nox_one_way_before_it_runs_it(path: Path) -> None:
    for name, job in jobs(path).items():
        commands = [step.get("run", "").strip() for step in job["steps"]]
        if not nox_commands(commands):
            continue
        assert INSTALL_NOX in commands, name
        assert commands.index(INSTALL_NOX) < min(nox_commands(commands)), name
        for command in commands:
            assert "pip install" not in command, name
            assert "dependency-groups" not in command, name


def test_ci_and_read_the_docs_install_nox_the_same_way() -> None:
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    readthedocs = load(ROOT / ".readthedocs.yaml")["build"]["commands"]
    for commands in (ci, readthedocs):
        assert INSTALL_NOX in commands
        assert commands.index(INSTALL_NOX) < min(nox_commands(commands))
        assert not [c for c in commands if "pip install" in c or "dependency-groups" in c]


def test_install_nox_installs_the_locked_nox_group_with_hashes() -> None:
    """The one place that reads the "nox" group: uv at its pin, then the group from uv.lock."""
    script = (ROOT / ".ci" / "install-nox").read_text(encoding="utf-8")
    assert "uv export --locked --only-group nox" in script
    assert "--require-hashes" in script
    assert os.access(ROOT / ".ci" / "install-nox", os.X_OK)
    nox_group = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "dependency-groups"
    ]["nox"]
    assert sorted(pin.split("==")[0] for pin in nox_group) == ["nox", "uv"]
    assert all(re.fullmatch(r"[a-z]+==[\d.]+", pin) for pin in nox_group)
