"""Values every page template needs. Nothing here touches the database."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from posts.routes import paths_for

# (label, key in FRAME_PATHS) of the site navigation, in order.
NAVIGATION = (("Posts", "home"), ("Archive", "archives"), ("Tags", "tags"))
# The addresses the frame of every page prints (header, navigation, search form, footer).
FRAME_PATHS = {
    "home": "posts:home",
    "archives": "posts:archives",
    "tags": "posts:tags",
    "search": "posts:search",
    "feed_rss": "posts:feed-rss",
    "feed_atom": "posts:feed-atom",
}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: str  # the value of aria-current: "page", "true" (inside the section) or ""


def current_state(link_url: str, path: str, home: str) -> str:
    """aria-current for a navigation link: the page itself, a page inside its section, or none."""
    if path == link_url:
        return "page"
    if link_url == home:
        return "true" if path.startswith(f"{home}page/") or path.startswith("/posts/") else ""
    return "true" if path.startswith(link_url) else ""


def nav_links(path: str, paths: dict[str, str]) -> list[NavLink]:
    return [
        NavLink(label, paths[key], current_state(paths[key], path, paths["home"]))
        for label, key in NAVIGATION
    ]


def site(request):
    """The site's name, description and address, the frame's addresses, the navigation with the
    current entry and the year."""
    paths = paths_for(**FRAME_PATHS)
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_url": settings.SITE_URL,
        "paths": paths,
        "nav_links": nav_links(request.path, paths),
        "year": str(timezone.localdate().year),  # of the footer's copyright line
    }
