"""The search page."""

from django.conf import settings
from django.views.generic import ListView

from posts import seo
from posts.models import Post
from posts.search import SearchQueryError, highlight, search


class SearchView(seo.PageMetadataMixin, ListView):
    """`/search/?q=...`: ranked results with highlighted snippets, ten to a page."""

    template_name = "posts/search.html"
    context_object_name = "posts"
    paginate_by = settings.POSTS_PER_PAGE
    allow_empty = True
    # The only query parameters the page cache keeps in this page's URL (blogsite/page_cache.py).
    page_cache_query_parameters = ("q", "page")

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()
        self.error = ""
        if not self.query:
            return Post.objects.none()
        try:
            return search(self.query).for_results()
        except SearchQueryError as error:
            self.error = str(error)
            return Post.objects.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, search_error=self.error, **kwargs)
        for post in context["posts"]:
            post.snippet_html = highlight(getattr(post, "search_snippet", ""))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # A query that finds nothing is not worth a Redis entry: junk queries must not fill it.
        response.store_in_page_cache = bool(context["posts"])
        return response

    def get_metadata(self, context):
        return seo.for_search(self.query, seo.page_number(context))
