"""Share links for a post: plain URLs of each service's share form, no third-party scripts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from posts.absolute_urls import absolute_url


@dataclass(frozen=True)
class ShareLink:
    name: str
    label: str
    url: str


def share_links(post) -> list[ShareLink]:
    url = absolute_url(post.get_absolute_url())
    title = post.title
    return [
        ShareLink("x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink(
            "hacker-news",
            "Hacker News",
            "https://news.ycombinator.com/submitlink?" + urlencode({"u": url, "t": title}),
        ),
        ShareLink(
            "reddit",
            "Reddit",
            "https://www.reddit.com/submit?" + urlencode({"url": url, "title": title}),
        ),
        ShareLink(
            "email",
            "Email",
            f"mailto:?subject={quote(title)}&body={quote(url)}",
        ),
    ]
