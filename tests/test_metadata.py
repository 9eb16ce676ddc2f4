"""The package's metadata: its version as the book shows it, its licences, its citation."""

from __future__ import annotations

import tomllib
from importlib.metadata import metadata
from pathlib import Path

import relukit

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_version_is_the_installed_packages() -> None:
    assert relukit.__version__ == PROJECT["version"] == metadata("relukit")["Version"]


def test_both_licences_are_declared_and_present() -> None:
    assert PROJECT["license"] == "MIT AND CC-BY-4.0"
    assert PROJECT["license-files"] == ["LICENSE", "LICENSE-CONTENT"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert content.rstrip().endswith("Creative Commons may be contacted at creativecommons.org.")


def test_the_installed_metadata_names_both_licences() -> None:
    installed = metadata("relukit")
    assert installed["License-Expression"] == "MIT AND CC-BY-4.0"
    assert sorted(installed.get_all("License-File") or []) == ["LICENSE", "LICENSE-CONTENT"]


def test_the_citation_and_changelog_follow_the_version() -> None:
    citation = (ROOT / "CITATION.cff").read_text()
    assert f'version: "{PROJECT["version"]}"' in citation
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text()
