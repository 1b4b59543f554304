"""A post as a Markdown file: YAML front matter (title, date, tags, url, summary) and the source."""

from __future__ import annotations

import yaml

from posts.absolute import absolute_url


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
    header = yaml.safe_dump(
        front_matter(post), allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    return f"---\n{header}---\n\n{post.body.rstrip()}\n"
