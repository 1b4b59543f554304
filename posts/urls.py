from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path, register_converter

from posts import converters, feeds
from posts.sitemaps import SITEMAPS
from posts.views import machine, preview, reading, search

register_converter(converters.IsoDateConverter, "isodate")

app_name = "posts"

urlpatterns = [
    path("", reading.PostListView.as_view(), name="home"),
    path("page/<int:page>/", reading.PostListView.as_view(), name="home-page"),
    path("posts/<isodate:date>-<slug:slug>/", reading.PostDetailView.as_view(), name="detail"),
    path("tags/", reading.TagListView.as_view(), name="tags"),
    path("tags/<slug:slug>/", reading.TagDetailView.as_view(), name="tag"),
    path("tags/<slug:slug>/page/<int:page>/", reading.TagDetailView.as_view(), name="tag-page"),
    path("series/", reading.SeriesListView.as_view(), name="series-list"),
    path("series/<slug:slug>/", reading.SeriesDetailView.as_view(), name="series"),
    path("archives/", reading.ArchiveView.as_view(), name="archives"),
    # Four digits only, so each year has one address (no /archives/02019/).
    re_path(
        r"^archives/(?P<year>[0-9]{4})/$", reading.ArchiveYearView.as_view(), name="archive-year"
    ),
    path("preview/<str:token>/", preview.SharedPreviewView.as_view(), name="share-preview"),
    path("search/", search.SearchView.as_view(), name="search"),
    # Feeds, crawler files and machine-readable views of posts.
    path("index.xml", feeds.SiteFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="feed-atom"),
    path("tags/<slug:slug>/index.xml", feeds.TagFeed(), name="tag-feed-rss"),
    path("tags/<slug:slug>/atom.xml", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", machine.RobotsView.as_view(), name="robots"),
    path("llms.txt", machine.LlmsView.as_view(), name="llms"),
    path(
        "posts/<isodate:date>-<slug:slug>/index.md",
        machine.PostMarkdownView.as_view(),
        name="detail-markdown",
    ),
    path(
        "posts/<isodate:date>-<slug:slug>/cite.bib",
        machine.CitationBibView.as_view(),
        name="cite-bib",
    ),
]
