"""Reader pages: generic class-based views over `Post.objects.published()`.

Staff may also open drafts and scheduled posts (with a banner, never indexed or cached); everyone
else gets a 404 for them.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView

from posts import seo
from posts.archive import archive_rows, archive_tree
from posts.list_cards import cards_html, with_current_cards
from posts.models import ListingVersion, Post, Series, Tag
from posts.page_parts import current_parts
from posts.post_links import current_links
from posts.routes import path_for
from posts.series import published_parts
from posts.views.pagination import NumberedPagesMixin, StoredCountPaginator


class PostListView(seo.PageMetadataMixin, NumberedPagesMixin, ListView):
    """The home page and its numbered pages: newest published posts first."""

    template_name = "posts/post_list.html"
    context_object_name = "posts"
    paginate_by = settings.POSTS_PER_PAGE

    def page_url(self, number):
        if number == 1:
            return path_for("posts:home")
        return path_for("posts:home-page", page=number)

    def get_queryset(self):
        return Post.objects.published().for_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        # The page's posts bring the count of public posts stored with the listing version.
        return StoredCountPaginator(
            queryset.annotate(stored_count=ListingVersion.stored_count()),
            per_page,
            count_field="stored_count",
            recount=ListingVersion.count_published,
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posts"] = with_current_cards(context["posts"])  # stored at save (posts.list_cards)
        context["cards"] = cards_html(context["posts"])
        return context

    def get_metadata(self, context):
        return seo.for_home(seo.page_number(context))


class TagDetailView(PostListView):
    """A tag's description and its published posts, paginated like the home page."""

    template_name = "posts/tag_detail.html"

    def get(self, request, *args, **kwargs):
        tags = Tag.objects.for_page()
        try:
            self.tag = tags.get(slug=kwargs["slug"])
        except Tag.DoesNotExist:  # /tags/NLP/ → /tags/nlp/
            self.tag = tags.filter(slug__iexact=kwargs["slug"]).order_by("id").first()
            if self.tag is None:
                raise Http404("No such tag.") from None
            return redirect(self.page_url(kwargs.get("page", 1)), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = self.paginator_class(queryset, per_page, **kwargs)  # Django's, counted below
        paginator.count = self.tag.published_post_count()  # stored with the tag, while current
        return paginator

    def paginate_queryset(self, queryset, page_size):
        paginator, *rest = super().paginate_queryset(queryset, page_size)
        if not paginator.count:
            raise Http404("No published posts carry this tag.")
        return paginator, *rest

    def page_url(self, number):
        if number == 1:
            return self.tag.get_absolute_url()
        return path_for("posts:tag-page", slug=self.tag.slug, page=number)

    def get_queryset(self):
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    def get_metadata(self, context):
        return seo.for_tag(self.tag, seo.page_number(context))


class TagListView(seo.PageMetadataMixin, ListView):
    """Every tag that has published posts, with its count."""

    template_name = "posts/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return Tag.objects.with_published_counts().filter(post_count__gt=0).order_by("name")

    def get_metadata(self, context):
        return seo.for_list("Tags", "posts:tags", f"The topics of {settings.SITE_NAME}.")


class ArchiveView(seo.PageMetadataMixin, TemplateView):
    """Published posts grouped by year, then month."""

    template_name = "posts/archive.html"

    def get_context_data(self, **kwargs):
        rows = archive_rows(Post.objects.published())
        return super().get_context_data(years=archive_tree(rows), **kwargs)

    def get_metadata(self, context):
        text = f"Every post on {settings.SITE_NAME}, by date."
        return seo.for_list("Archive", "posts:archives", text)


class ArchiveYearView(seo.PageMetadataMixin, TemplateView):
    """/archives/<yyyy>/: one year of the archive, by month; a year without posts is a 404."""

    template_name = "posts/archive_year.html"

    def get_context_data(self, **kwargs):
        posts = Post.objects.published().in_year(int(kwargs.pop("year")))
        years = archive_tree(archive_rows(posts))
        if not years:
            raise Http404("No published posts in this year.")
        return super().get_context_data(archive_year=years[0], **kwargs)

    def get_metadata(self, context):
        return seo.for_archive_year(context["archive_year"].year)


class PostDetailView(DetailView):
    """A post at /posts/<date>-<slug>/; a wrong date answers with a 301 to the right one.

    The page reads its post in one query: the body, and the parts and links stored with it
    (`posts.page_parts`, `posts.post_links`), which also hold the page's metadata.
    """

    template_name = "posts/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        posts = Post.objects.all() if self.request.user.is_staff else Post.objects.published()
        return posts.for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.url_kwargs()["date"] != kwargs["date"]:
            return redirect(self.object, permanent=True)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_public:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        post = self.object
        kwargs["parts"] = current_parts(post)
        if post.is_public:
            kwargs["links"] = current_links(post)
        return super().get_context_data(**kwargs)


class SeriesListView(seo.PageMetadataMixin, ListView):
    """/series/: every series with published parts, with its count."""

    template_name = "posts/series_list.html"
    context_object_name = "series_list"

    def get_queryset(self):
        return Series.objects.listed()

    def get_metadata(self, context):
        text = f"The series of posts on {settings.SITE_NAME}, each read in order."
        return seo.for_list("Series", "posts:series-list", text)


class SeriesDetailView(seo.PageMetadataMixin, DetailView):
    """A series and its published parts in order; a series with none is a 404."""

    template_name = "posts/series_detail.html"
    context_object_name = "series"
    model = Series

    def get_context_data(self, **kwargs):
        parts = list(published_parts(self.object).select_related("author"))
        if not parts:
            raise Http404("This series has no published parts yet.")
        return super().get_context_data(parts=parts, **kwargs)

    def get_metadata(self, context):
        return seo.for_series(self.object)
