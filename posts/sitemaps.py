"""`/sitemap.xml`: every published post (with lastmod), every tag and series with published posts,
the archive's years, and the lists.

URLs are built on `settings.SITE_URL`, not on the request's host, so a sitemap fetched through a
proxy or a preview host still names the public addresses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from posts.models import Post, Series, Tag
from posts.routes import path_for


class SiteUrlSitemap(Sitemap):
    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class PostSitemap(SiteUrlSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Post.objects.published().only(
            "slug", "published_at", "created_at", "updated_at", "revised_on"
        )

    def lastmod(self, post):
        return post.last_modified()


class TagSitemap(SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Post.objects.published()
        return (
            Tag.objects.with_published_counts()
            .filter(post_count__gt=0)
            .annotate(
                newest=Max(
                    "tagged_posts__content_object__published_at",
                    filter=Q(tagged_posts__content_object__in=published),
                )
            )
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.newest


class SeriesSitemap(SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Series.objects.listed()


class ArchiveYearSitemap(SiteUrlSitemap):
    """One page per year that has published posts."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return [day.year for day in Post.objects.published().dates("published_at", "year")]

    def location(self, year):
        return path_for("posts:archive-year", year=year)


class ListSitemap(SiteUrlSitemap):
    """The home page, the archive, the tag index and the series index."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["posts:home", "posts:archives", "posts:tags", "posts:series-list"]

    def location(self, name):
        return path_for(name)


SITEMAPS = {
    "lists": ListSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "series": SeriesSitemap,
    "years": ArchiveYearSitemap,
}
