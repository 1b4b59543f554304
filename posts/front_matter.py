"""A post as a Markdown file: YAML front matter, then the Markdown source.

`markdown_file()` writes the file for every use (the `.md` view of a post, `export_markdown`);
`front_matter()` is what the public `.md` view tells a reader: title, date, tags, url, summary.
"""

from __future__ import annotations

import yaml

from posts.absolute import absolute_url


class _FrontMatterDumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, which read like the Markdown they hold."""


def _represent_text(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FrontMatterDumper.add_representer(str, _represent_text)


def markdown_file(meta: dict, body: str) -> str:
    """`meta` as YAML front matter, then `body` with Unix line ends and one final newline."""
    header = yaml.dump(
        meta, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True, width=100
    )
    return f"---\n{header}---\n\n{body.replace(chr(13) + chr(10), chr(10)).strip(chr(10))}\n"


def front_matter(post) -> dict:
    data = {
        "title": post.title,
        "date": post.published_at.isoformat(),
        "tags": sorted(post.tags.names(), key=str.lower),
        "url": absolute_url(post.get_absolute_url()),
    }
    if post.summary:
        data["summary"] = post.summary
    return data


def markdown_with_front_matter(post) -> str:
    return markdown_file(front_matter(post), post.body)
