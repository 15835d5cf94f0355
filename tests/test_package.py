"""The zip for the plugin repository: one top folder, the plugin files only, valid metadata."""

from __future__ import annotations

import configparser
import subprocess
import zipfile
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
REQUIRED_METADATA = (
    "name qgisMinimumVersion description about version author email repository tracker"
).split()


@pytest.fixture(scope="module")
def package() -> zipfile.ZipFile:
    printed = subprocess.run(
        ["scripts/package.sh"], cwd=REPOSITORY, check=True, capture_output=True, text=True
    )
    return zipfile.ZipFile(REPOSITORY / printed.stdout.strip())


def test_one_top_folder_with_the_plugin_files(package):
    names = package.namelist()
    assert {name.split("/")[0] for name in names} == {"kde_heatmap"}
    for required in ("__init__.py", "metadata.txt", "LICENSE", "i18n/kde_heatmap_de.qm"):
        assert f"kde_heatmap/{required}" in names
    assert "kde_heatmap/kde_heatmap_plugin/core/estimators.py" in names


def test_no_tests_caches_or_development_files(package):
    for name in package.namelist():
        assert not name.endswith((".pyc", ".gpkg"))
        for unwanted in ("__pycache__", "/tests/", "/benchmarks/", "/.git", "/scripts/", "/.venv"):
            assert unwanted not in name


def test_metadata_has_what_the_repository_requires(package):
    metadata = configparser.ConfigParser()
    metadata.read_string(package.read("kde_heatmap/metadata.txt").decode())
    general = metadata["general"]
    for key in REQUIRED_METADATA:
        assert general.get(key, "").strip(), key
    assert general["hasProcessingProvider"] == "yes"
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["experimental"] in ("True", "False")
    assert general["deprecated"] in ("True", "False")
