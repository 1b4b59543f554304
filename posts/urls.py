from django.urls import path, register_converter

from posts import citation_views, converters, views

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
]
