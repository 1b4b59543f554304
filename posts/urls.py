from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from posts import citation_views, converters, feeds, views, views_discovery
from posts.preview import SharedPreviewView
from posts.sitemaps import SITEMAPS

register_converter(converters.IsoDateConverter, "isodate")

app_name = "posts"

urlpatterns = [
    path("", views.PostListView.as_view(), name="home"),
    path("page/<int:page>/", views.PostListView.as_view(), name="home-page"),
    path("posts/<isodate:date>-<slug:slug>/", views.PostDetailView.as_view(), name="detail"),
    path(
        "posts/<isodate:date>-<slug:slug>/cite.bib",
        citation_views.CitationBibView.as_view(),
        name="cite-bib",
    ),
    path("tags/", views.TagListView.as_view(), name="tags"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tags/<slug:slug>/page/<int:page>/", views.TagDetailView.as_view(), name="tag-page"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series"),
    path("archives/", views.ArchiveView.as_view(), name="archives"),
    path("preview/<str:token>/", SharedPreviewView.as_view(), name="share-preview"),
    # Discovery: search, crawler files and machine-readable views (posts/views_discovery.py).
    path("search/", views_discovery.SearchView.as_view(), name="search"),
    path("index.xml", feeds.SiteFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="feed-atom"),
    path("tags/<slug:slug>/index.xml", feeds.TagFeed(), name="tag-feed-rss"),
    path("tags/<slug:slug>/atom.xml", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views_discovery.RobotsView.as_view(), name="robots"),
    path("llms.txt", views_discovery.LlmsView.as_view(), name="llms"),
    path(
        "posts/<isodate:date>-<slug:slug>/index.md",
        views_discovery.PostMarkdownView.as_view(),
        name="detail-markdown",
    ),
]
