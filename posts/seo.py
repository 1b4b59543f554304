"""Every page's metadata, built in one place: title, description, canonical URL, robots, feeds,
Open Graph, Twitter card and JSON-LD.

Each view says what its page is: it calls one builder (`for_post`, `for_tag`, `for_home`, ...)
in `get_metadata()` (`PageMetadataMixin`), and `templates/partials/_metadata.html` prints the
`PageMetadata` it returns. Outside production (`settings.PRODUCTION` False) every
page says `noindex`; search results always do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from posts.absolute_urls import absolute_url
from posts.markup.text import description as plain_description
from posts.markup.text import shorten
from posts.routes import path_for
from posts.share_cards import HEIGHT as CARD_HEIGHT
from posts.share_cards import WIDTH as CARD_WIDTH

SEPARATOR = " · "
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Feed:
    title: str
    url: str
    type: str


@dataclass(frozen=True)
class SocialImage:
    """The picture a shared link shows (`og:image`, `twitter:image`): a post's card."""

    url: str
    alt: str
    width: int = CARD_WIDTH
    height: int = CARD_HEIGHT


@dataclass
class PageMetadata:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    og_title: str = ""
    noindex: bool = False
    article: dict[str, object] = field(default_factory=dict)
    feeds: list[Feed] = field(default_factory=list)
    markdown_url: str = ""
    json_ld: list[dict] = field(default_factory=list)
    image: SocialImage | None = None

    def __post_init__(self):
        self.og_title = self.og_title or self.title
        self.noindex = self.noindex or not settings.PRODUCTION
        self.feeds = site_feeds() + self.feeds

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"

    @property
    def site_name(self) -> str:
        return settings.SITE_NAME

    @property
    def json_ld_html(self) -> SafeString:
        """`<script type="application/ld+json">` blocks; `<`, `>` and `&` are escaped like
        Django's `json_script`, so no title can close the script element."""
        return mark_safe(
            "".join(
                format_html(
                    '<script type="application/ld+json">{}</script>',
                    mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)),
                )
                for data in self.json_ld
            )
        )


def page_title(*parts: str) -> str:
    return SEPARATOR.join([*(p for p in parts if p), settings.SITE_NAME])


def paged(title: str, page_number: int) -> str:
    return f"{title} (page {page_number})" if page_number > 1 else title


def site_feeds() -> list[Feed]:
    return [
        Feed(f"{settings.SITE_NAME} (RSS)", absolute_url(path_for("posts:feed-rss")), "rss"),
        Feed(f"{settings.SITE_NAME} (Atom)", absolute_url(path_for("posts:feed-atom")), "atom"),
    ]


def breadcrumbs(*trail: tuple[str, str]) -> dict:
    items = [("Home", absolute_url(path_for("posts:home"))), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(items, start=1)
        ],
    }


def for_post(post, tags) -> PageMetadata:
    url = absolute_url(post.get_absolute_url())
    tag_names = [tag.name for tag in tags]
    author = post.author_name
    text = plain_description(post.summary_html)
    published = post.published_at.isoformat() if post.published_at else None
    modified = post.last_modified().isoformat()
    image = social_image(post)
    return PageMetadata(
        title=page_title(post.title),
        og_title=post.title,
        description=text,
        canonical=url,
        og_type="article",
        noindex=not post.is_public,
        article={
            "published_time": published,
            "modified_time": modified,
            "author": author,
            "tags": tag_names,
        },
        markdown_url=absolute_url(path_for("posts:detail-markdown", **post.url_kwargs())),
        image=image,
        json_ld=[
            {
                "@context": "https://schema.org",
                "@type": "BlogPosting",
                "headline": shorten(post.title, 110),
                "description": text,
                "url": url,
                "mainEntityOfPage": {"@type": "WebPage", "@id": url},
                "datePublished": published,
                "dateModified": modified,
                "author": {"@type": "Person", "name": author},
                "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
                "keywords": ", ".join(tag_names),
                "wordCount": post.word_count,
                "inLanguage": settings.LANGUAGE_CODE,
                **(
                    {
                        "image": {
                            "@type": "ImageObject",
                            "url": image.url,
                            "width": image.width,
                            "height": image.height,
                        }
                    }
                    if image
                    else {}
                ),
            },
            breadcrumbs((post.title, url)),
        ],
    )


def social_image(post) -> SocialImage | None:
    """The post's share card (`posts.share_cards`, made at save), as an absolute URL."""
    if not post.card:
        return None
    return SocialImage(
        url=absolute_url(default_storage.url(post.card)),
        alt=f"{post.title} · {settings.SITE_NAME}",
    )


def for_tag(tag, page_number: int) -> PageMetadata:
    url = absolute_url(tag.get_absolute_url())
    canonical = url if page_number == 1 else f"{url}page/{page_number}/"
    text = plain_description(tag.description_html) or (
        f"Posts tagged “{tag.name}” on {settings.SITE_NAME}."
    )
    return PageMetadata(
        title=page_title(paged(f"Posts tagged “{tag.name}”", page_number)),
        description=text,
        canonical=canonical,
        feeds=[
            Feed(
                f"{tag.name} (RSS)",
                absolute_url(path_for("posts:tag-feed-rss", slug=tag.slug)),
                "rss",
            ),
            Feed(
                f"{tag.name} (Atom)",
                absolute_url(path_for("posts:tag-feed-atom", slug=tag.slug)),
                "atom",
            ),
        ],
        json_ld=[breadcrumbs(("Tags", absolute_url(path_for("posts:tags"))), (tag.name, url))],
    )


def for_series(series) -> PageMetadata:
    url = absolute_url(series.get_absolute_url())
    text = plain_description(series.description_html) or f"A series of posts: {series.title}."
    return PageMetadata(
        title=page_title(series.title),
        description=text,
        canonical=url,
        json_ld=[breadcrumbs((series.title, url))],
    )


def for_home(page_number: int) -> PageMetadata:
    home = absolute_url(path_for("posts:home"))
    json_ld = []
    if page_number == 1:
        json_ld.append(
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": settings.SITE_NAME,
                "description": settings.SITE_DESCRIPTION,
                "url": home,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": absolute_url(path_for("posts:search")) + "?q={query}",
                    },
                    "query-input": "required name=query",
                },
            }
        )
    return PageMetadata(
        title=page_title(f"Page {page_number}" if page_number > 1 else ""),
        description=shorten(settings.SITE_DESCRIPTION),
        canonical=home if page_number == 1 else f"{home}page/{page_number}/",
        json_ld=json_ld,
    )


def for_list(name: str, url_name: str, text: str) -> PageMetadata:
    url = absolute_url(path_for(url_name))
    return PageMetadata(
        title=page_title(name),
        description=text,
        canonical=url,
        json_ld=[breadcrumbs((name, url))],
    )


def for_archive_year(year: int) -> PageMetadata:
    url = absolute_url(path_for("posts:archive-year", year=year))
    archive = absolute_url(path_for("posts:archives"))
    return PageMetadata(
        title=page_title(f"Archive {year}"),
        description=f"The posts of {year} on {settings.SITE_NAME}, by month.",
        canonical=url,
        json_ld=[breadcrumbs(("Archive", archive), (str(year), url))],
    )


def for_search(query: str, page_number: int) -> PageMetadata:
    url = absolute_url(path_for("posts:search"))
    shown = shorten(query, 60)
    title = paged(f"Search results for “{shown}”", page_number) if query else "Search"
    return PageMetadata(
        title=page_title(title),
        description=f"Search the posts of {settings.SITE_NAME}.",
        canonical=url,
        noindex=True,
    )


def for_other(title: str, path: str) -> PageMetadata:
    return PageMetadata(
        title=page_title(title),
        description=shorten(settings.SITE_DESCRIPTION),
        canonical=absolute_url(path),
        noindex=True,
    )


def for_error(title: str) -> PageMetadata:
    """An error page: not indexed, and with no canonical URL (the address names nothing)."""
    return PageMetadata(
        title=page_title(title),
        description=shorten(settings.SITE_DESCRIPTION),
        canonical="",
        noindex=True,
    )


def page_number(context) -> int:
    page = context.get("page_obj")
    return page.number if page is not None else 1


class PageMetadataMixin:
    """For views: `get_metadata(context)` says what the page is; `_metadata.html` prints it."""

    def get_metadata(self, context) -> PageMetadata:
        return for_other("", self.request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = self.get_metadata(context)
        return context
