"""The locks: every session installs what uv.lock pins, and a stale lock stops it.

uv.lock pins every package, transitive ones too, of pyproject.toml's dependency groups;
tools/frameworks/uv.lock those of the frameworks probe (its torch is the local CPU wheel).
These tests run uv itself (the one on PATH, which nox's sessions use too) on copies of the
project in a temporary folder, so the repository's files are never touched.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ROOT / "tools" / "frameworks"
NOXFILE = ROOT / "noxfile.py"
STALE = "needs to be updated"


def uv(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the uv on PATH (the one nox's sessions run)."""
    executable = shutil.which("uv")
    assert executable, "uv is not on PATH: every nox session installs with it (README)"
    return subprocess.run(
        [executable, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def stale_copy(tmp_path: Path) -> Path:
    """pyproject.toml and uv.lock, copied, then a pin changed in pyproject.toml only."""
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert '  "sphinx-copybutton==0.5.2",\n' in text
    pyproject.write_text(text.replace('  "sphinx-copybutton==0.5.2",\n', ""), encoding="utf-8")
    return tmp_path


def test_the_committed_lock_matches_pyproject() -> None:
    result = uv("lock", "--check", "--offline", cwd=ROOT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        # what every nox session runs (noxfile.py: sync)
        ("sync", "--locked", "--group", "test"),
        # what .ci/install-nox runs before installing nox
        ("export", "--locked", "--only-group", "nox", "--no-emit-project"),
    ],
    ids=["nox sessions", ".ci/install-nox"],
)
def test_a_stale_lock_stops_the_install(stale_copy: Path, command: tuple[str, ...]) -> None:
    venv = stale_copy / "venv"
    result = uv(*command, cwd=stale_copy, env={"UV_PROJECT_ENVIRONMENT": str(venv)})
    assert result.returncode != 0
    assert STALE in result.stderr, result.stderr
    assert "run `uv lock`" in result.stderr, result.stderr
    assert (stale_copy / "uv.lock").read_bytes() == (ROOT / "uv.lock").read_bytes()


def test_frozen_would_install_a_stale_lock_without_a_word(stale_copy: Path) -> None:
    """The control for the test above: why the sessions say --locked and not --frozen."""
    result = uv(
        "sync", "--frozen", "--dry-run", "--only-group", "test", cwd=stale_copy,
        env={"UV_PROJECT_ENVIRONMENT": str(stale_copy / "venv")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert STALE not in result.stderr


def session_functions() -> dict[str, ast.FunctionDef]:
    """noxfile.py's sessions that have a venv (all but `python=False` ones, like clean)."""
    sessions = {}
    for node in ast.parse(NOXFILE.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            if ast.unparse(call.func if call else decorator) != "nox.session":
                continue
            options = {k.arg: ast.unparse(k.value) for k in call.keywords} if call else {}
            if options.get("python") != "False":
                sessions[node.name] = node
    return sessions


def test_every_session_installs_with_uv_sync_locked() -> None:
    sessions = session_functions()
    assert {"docs", "tests", "lint", "browser", "pdf", "frameworks"} <= set(sessions)
    for name, function in sessions.items():
        calls = [ast.unparse(n.func) for n in ast.walk(function) if isinstance(n, ast.Call)]
        assert "sync" in calls, f"{name} installs nothing from the lock"
        assert not any(c.endswith(".install") for c in calls), f"{name} installs around the lock"
    source = NOXFILE.read_text(encoding="utf-8")
    assert '"uv", "sync", "--locked"' in source
    assert '"--frozen"' not in source


def test_the_book_lock_holds_no_torch() -> None:
    """No session of the book can install torch, let alone PyPI's CUDA build."""
    names = {package["name"] for package in load(ROOT / "uv.lock")["package"]}
    assert "torch" not in names
    assert not {name for name in names if name.startswith(("nvidia-", "triton"))}


def test_the_frameworks_lock_names_the_local_cpu_wheel_of_torch() -> None:
    pins = load(FRAMEWORKS / "pyproject.toml")["project"]["dependencies"]
    assert "torch==2.13.0+cpu" in pins
    packages = {p["name"]: p for p in load(FRAMEWORKS / "uv.lock")["package"]}
    torch = packages["torch"]
    assert torch["version"] == "2.13.0+cpu"
    assert torch["source"] == {"registry": "/opt/wheels"}
    assert [Path(w["path"]).parent for w in torch["wheels"]] == [Path("/opt/wheels")]
    assert "sdist" not in torch
    assert not {name for name in packages if name.startswith(("nvidia-", "triton"))}
    # Everything else comes from PyPI, each file with its hash.
    for name, package in packages.items():
        if name not in {"torch", "anatomy-of-relu-frameworks-probe"}:
            assert package["source"] == {"registry": "https://pypi.org/simple"}, name
            assert all(re.match(r"sha256:[0-9a-f]{64}$", w["hash"]) for w in package["wheels"])


@pytest.mark.skipif(
    not Path("/opt/wheels").is_dir(), reason="only a machine with /opt/wheels can check this lock"
)
def test_the_committed_frameworks_lock_matches_its_pyproject() -> None:
    result = uv("lock", "--check", "--offline", "--project", str(FRAMEWORKS), cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_a_changed_source_file_rebuilds_the_installed_wheel(tmp_path: Path) -> None:
    """nox -s tests installs relukit as a wheel: an edit of src/ must reach it ([tool.uv])."""
    for name in ("pyproject.toml", "uv.lock", "README-relukit.md", "LICENSE", "LICENSE-CONTENT"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "src", tmp_path / "src")
    venv = tmp_path / "venv"

    def sync_and_read() -> str:
        result = uv(
            "sync", "--locked", "--no-editable", "--no-default-groups", cwd=tmp_path,
            env={"UV_PROJECT_ENVIRONMENT": str(venv), "UV_COMPILE_BYTECODE": "0"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        (installed,) = venv.glob("lib/python3.*/site-packages/relukit/registry.py")
        return installed.read_text(encoding="utf-8")

    assert "EDITED" not in sync_and_read()
    with (tmp_path / "src" / "relukit" / "registry.py").open("a", encoding="utf-8") as source:
        source.write("\nEDITED = True\n")
    assert "EDITED = True" in sync_and_read()
