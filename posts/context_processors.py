"""Values every page template needs. Nothing here touches the database."""

from dataclasses import dataclass

from django.conf import settings

from posts.routes import path_for

# (label, URL name) of the site navigation, in order.
NAVIGATION = (("Posts", "posts:home"), ("Archive", "posts:archives"), ("Tags", "posts:tags"))


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: str  # the value of aria-current: "page", "true" (inside the section) or ""


def current_state(link_url: str, path: str) -> str:
    """aria-current for a navigation link: the page itself, a page inside its section, or none."""
    if path == link_url:
        return "page"
    home = path_for("posts:home")
    if link_url == home:
        return "true" if path.startswith(f"{home}page/") or path.startswith("/posts/") else ""
    return "true" if path.startswith(link_url) else ""


def nav_links(path: str) -> list[NavLink]:
    links = []
    for label, name in NAVIGATION:
        url = path_for(name)
        links.append(NavLink(label, url, current_state(url, path)))
    return links


def site(request):
    """The site's name, description and address, and the navigation with the current entry."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_url": settings.SITE_URL,
        "nav_links": nav_links(request.path),
    }
