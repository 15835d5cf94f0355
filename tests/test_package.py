"""The zip for the plugin repository: one top folder, the plugin files only, valid metadata."""

from __future__ import annotations

import configparser
import importlib.util
import posixpath
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
REQUIRED_METADATA = (
    "name qgisMinimumVersion description about version author email repository tracker"
).split()


HELP_PAGE = "kde_heatmap/docs/help/index.html"


def load_make_help():
    """scripts/make_help.py as a module (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("make_help", REPOSITORY / "scripts/make_help.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Links(HTMLParser):
    """The href and src attributes, and the ids, of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src"):
                self.targets.append(value)
            elif name == "id":
                self.ids.add(value)


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


def test_metadata_parses_as_the_plugin_repository_parses_it(package):
    """plugins.qgis.org reads metadata.txt with interpolation on: a stray % fails the upload."""
    parser = configparser.ConfigParser()
    parser.optionxform = str
    parser.read_string(package.read("kde_heatmap/metadata.txt").decode("utf-8"))
    metadata = dict(parser.items("general"))
    assert f"kde_heatmap/{metadata['icon']}" in package.namelist()
    changelog_versions = re.findall(r"^(\d+\.\d+\.\d+) ", metadata["changelog"], re.MULTILINE)
    assert metadata["version"] in changelog_versions


def test_icon_is_an_svg_drawing_of_its_own(package):
    svg = ElementTree.fromstring(package.read("kde_heatmap/icon.svg"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 64 64"
    assert not any(element.tag.endswith("image") for element in svg.iter())  # no embedded bitmap


def test_help_page_is_shipped_and_its_links_resolve_inside_the_zip(package):
    links = Links()
    links.feed(package.read(HELP_PAGE).decode("utf-8"))
    names = set(package.namelist())
    local = [target for target in links.targets if not re.match(r"[a-z]+:", target)]
    assert any(target.endswith(".png") for target in local)  # the README's picture came along
    for target in local:
        path, _, anchor = target.partition("#")
        if path:
            assert posixpath.normpath(posixpath.join("kde_heatmap/docs/help", path)) in names
        else:
            assert anchor in links.ids, target


def test_help_page_is_made_from_the_current_readme():
    checked = subprocess.run(
        [sys.executable, "scripts/make_help.py", "--check"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_help_converter_on_the_markdown_the_readme_uses():
    make_help = load_make_help()
    readme = "\n".join(
        [
            "# Title",
            "",
            "Intro with **bold `CODE`**, *italics* and [a dropped section](#benchmarks).",
            "",
            "![a picture](docs/picture.png)",
            "",
            "## Parameters",
            "",
            "| name | meaning |",
            "|---|---|",
            "| `A < B` | see [License](#license) and [notes](benchmarks/README.md) |",
            "",
            "- item one",
            "  - nested, [the licence](LICENSE)",
            "",
            "  a second paragraph of item one",
            "- item two",
            "",
            "## Benchmarks",
            "",
            "Not for the help page.",
            "",
            "## Choosing the radius",
            "",
            "## Hotspots and home ranges",
            "",
            "## Latitude/longitude data",
            "",
            "```sh",
            "echo <tag>",
            "```",
            "",
            "## Your files are safe",
            "",
            "## License",
            "",
            "GPL.",
        ]
    )
    page = make_help.help_page(readme, "https://example.org/repo")
    assert "<strong>bold <code>CODE</code></strong>" in page
    assert "<em>italics</em>" in page
    assert '<a href="https://example.org/repo#benchmarks">a dropped section</a>' in page
    assert '<img src="../../docs/picture.png" alt="a picture">' in page
    assert "<td><code>A &lt; B</code></td>" in page
    assert '<a href="#license">License</a>' in page
    assert '<a href="https://example.org/repo/blob/main/benchmarks/README.md">' in page
    assert '<a href="../../LICENSE">the licence</a>' in page
    assert '<h2 id="latitudelongitude-data">' in page
    assert "<pre><code>echo &lt;tag&gt;</code></pre>" in page
    assert "Not for the help page" not in page
    item_one = page[page.index("<li><p>item one</p>") : page.index("<li>item two</li>")]
    assert "<ul>" in item_one and "<p>a second paragraph of item one</p>" in item_one


def test_screenshot_scripts_are_valid_and_executable():
    script = REPOSITORY / "scripts/screenshots.sh"
    assert script.stat().st_mode & 0o111
    subprocess.run(["bash", "-n", str(script)], check=True)
    source = (REPOSITORY / "scripts/screenshots.py").read_text(encoding="utf-8")
    compile(source, "screenshots.py", "exec")
    pictures = re.search(r"^pictures=\((.*)\)$", script.read_text(), re.MULTILINE).group(1)
    for name in pictures.split():
        assert f'"{name}"' in source, name  # every picture the shell expects, the session saves
