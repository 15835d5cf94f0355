#!/usr/bin/env python3
"""Make the plugin's help page, docs/help/index.html, from the user's sections of README.md.

The Help button of the algorithm's dialog opens this page from the installed plugin folder
(scripts/package.sh ships docs/), so it works offline. Kept: the introduction and the sections in
``SECTIONS``; links to other sections of the README and to files the zip does not ship point to
the repository named in metadata.txt. Standard library only; understands the Markdown the README
uses (headings, paragraphs, nested lists, tables, fenced code, emphasis, code, links, images).

    python3 scripts/make_help.py           # write docs/help/index.html
    python3 scripts/make_help.py --check   # exit 1 if it is not what README.md gives
"""

from __future__ import annotations

import argparse
import configparser
import html
import re
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
README = REPOSITORY / "README.md"
HELP_PAGE = REPOSITORY / "docs" / "help" / "index.html"
SECTIONS = (
    "Parameters",
    "Choosing the radius",
    "Hotspots and home ranges",
    "Latitude/longitude data",
    "Your files are safe",
    "License",
)
"""The README's ``##`` sections a user of the dialog needs (the introduction always comes)."""
SHIPPED_PREFIXES = ("docs/", "LICENSE")
"""README link targets that the zip holds (scripts/package.sh), linked relative to the page."""
BLOCK_START = re.compile(r"(#{1,6} |```|\||- )")


def github_slug(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


class Converter:
    """README Markdown -> HTML, resolving links for a page at docs/help/index.html."""

    def __init__(self, repository_url: str, kept_slugs: set[str]) -> None:
        self.repository_url = repository_url.rstrip("/")
        self.kept_slugs = kept_slugs

    def target(self, url: str) -> str:
        """Where a README link or image points from the help page."""
        if re.match(r"[a-z]+:", url):
            return url
        if url.startswith("#"):
            return url if url[1:] in self.kept_slugs else self.repository_url + url
        if url.startswith(SHIPPED_PREFIXES):
            return "../../" + url
        return f"{self.repository_url}/blob/main/{url}"

    def inline(self, text: str) -> str:
        """Code spans, images, links, bold and italics of one paragraph, HTML-escaped."""
        codes: list[str] = []

        def keep_code(match: re.Match[str]) -> str:
            codes.append(f"<code>{html.escape(match.group(1))}</code>")
            return f"\x00{len(codes) - 1}\x00"

        text = html.escape(re.sub(r"`([^`]+)`", keep_code, text), quote=False)
        text = re.sub(
            r"!\[([^\]]*)\]\(([^)]+)\)",
            lambda m: f'<img src="{self.target(m.group(2))}" alt="{m.group(1)}">',
            text,
        )
        text = re.sub(
            r"\[([^\]]+)\]\(([^)]+)\)",
            lambda m: f'<a href="{self.target(m.group(2))}">{m.group(1)}</a>',
            text,
        )
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)
        return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)

    def blocks(self, lines: list[str]) -> list[str]:
        """HTML for a run of Markdown lines (a section, or the content of a list item)."""
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                i += 1
            elif line.startswith("```"):
                end = lines.index("```", i + 1)
                code = html.escape("\n".join(lines[i + 1 : end]), quote=False)
                out.append(f"<pre><code>{code}</code></pre>")
                i = end + 1
            elif line.startswith("#"):
                level, title = len(line) - len(line.lstrip("#")), line.lstrip("#").strip()
                out.append(f'<h{level} id="{github_slug(title)}">{self.inline(title)}</h{level}>')
                i += 1
            elif line.startswith("|"):
                end = i
                while end < len(lines) and lines[end].startswith("|"):
                    end += 1
                out.append(self.table(lines[i:end]))
                i = end
            elif line.startswith("- "):
                end = i + 1
                while end < len(lines) and (
                    lines[end].startswith(("- ", "  "))
                    or (
                        not lines[end].strip()
                        and end + 1 < len(lines)
                        and lines[end + 1].startswith(("- ", "  "))
                    )
                ):
                    end += 1
                out.append(self.bullet_list(lines[i:end]))
                i = end
            else:
                end = i + 1
                while end < len(lines) and lines[end].strip() and not BLOCK_START.match(lines[end]):
                    end += 1
                out.append(f"<p>{self.inline(' '.join(s.strip() for s in lines[i:end]))}</p>")
                i = end
        return out

    def bullet_list(self, lines: list[str]) -> str:
        """``- `` items; lines indented by two spaces belong to the item above."""
        items: list[list[str]] = []
        for line in lines:
            if line.startswith("- "):
                items.append([line[2:]])
            else:
                items[-1].append(line[2:])
        rendered = []
        for item in items:
            parts = self.blocks(item)
            if len(parts) == 1 and parts[0].startswith("<p>"):
                parts = [parts[0][3:-4]]  # a one-paragraph item needs no <p>
            rendered.append("<li>" + "\n".join(parts) + "</li>")
        return "<ul>\n" + "\n".join(rendered) + "\n</ul>"

    def table(self, lines: list[str]) -> str:
        """A pipe table: a header row, a separator row, body rows."""

        def cells(line: str) -> list[str]:
            return [self.inline(cell.strip()) for cell in line.strip().strip("|").split("|")]

        head = "".join(f"<th>{cell}</th>" for cell in cells(lines[0]))
        body = "\n".join(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells(line)) + "</tr>"
            for line in lines[2:]
        )
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
code { background: #f3f3f3; padding: 0 0.2em; }
pre { background: #f3f3f3; padding: 0.6em; overflow-x: auto; }
img { max-width: 100%; }
nav { background: #f7f7f7; padding: 0.4em 1em; }
"""


def help_page(readme: str, repository_url: str) -> str:
    """The whole HTML page for ``readme`` (the README's text)."""
    chunks = re.split(r"^(?=## )", readme, flags=re.MULTILINE)
    introduction, sections = chunks[0], chunks[1:]
    kept = [chunk for chunk in sections if chunk.splitlines()[0][3:].strip() in SECTIONS]
    titles = [chunk.splitlines()[0][3:].strip() for chunk in kept]
    missing = set(SECTIONS) - set(titles)
    if missing:
        raise SystemExit(f"README.md has no section {sorted(missing)}: update SECTIONS")
    kept_slugs = {github_slug(title) for title in titles}
    kept_slugs |= {
        github_slug(line.lstrip("#").strip())
        for chunk in kept
        for line in chunk.splitlines()
        if line.startswith("###")
    }
    converter = Converter(repository_url, kept_slugs)
    title = introduction.splitlines()[0].lstrip("#").strip()
    contents = "".join(f'<li><a href="#{github_slug(t)}">{html.escape(t)}</a></li>' for t in titles)
    body = converter.blocks(introduction.splitlines())
    body.insert(1, f"<nav><ul>{contents}</ul></nav>")
    for chunk in kept:
        body += converter.blocks(chunk.splitlines())
    return (
        "<!DOCTYPE html>\n"
        "<!-- Made from README.md by scripts/make_help.py: edit the README, then run it. -->\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}: help</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the page is current")
    check = parser.parse_args().check
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read(REPOSITORY / "metadata.txt", encoding="utf-8")
    page = help_page(README.read_text(encoding="utf-8"), metadata["general"]["repository"])
    if check:
        current = HELP_PAGE.is_file() and HELP_PAGE.read_text(encoding="utf-8") == page
        if not current:
            print(f"{HELP_PAGE} is out of date: run scripts/make_help.py", file=sys.stderr)
        return 0 if current else 1
    HELP_PAGE.parent.mkdir(parents=True, exist_ok=True)
    HELP_PAGE.write_text(page, encoding="utf-8")
    print(HELP_PAGE.relative_to(REPOSITORY))
    return 0


if __name__ == "__main__":
    sys.exit(main())
