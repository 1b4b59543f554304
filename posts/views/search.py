"""The search page."""

from urllib.parse import urlencode

from django.conf import settings
from django.views.generic import ListView

from posts import seo
from posts.models import Post
from posts.routes import path_for
from posts.search import SearchQueryError, highlight, search
from posts.views.pagination import pagination_context


def search_page_url(path: str, query: str, number: int) -> str:
    """The address of page `number` of the results for `query`: the query URL-encoded, page 1
    without `page=` (so each page of results has one address)."""
    parameters = {"q": query} if number == 1 else {"q": query, "page": number}
    return f"{path}?{urlencode(parameters)}"


class SearchView(seo.PageMetadataMixin, ListView):
    """`/search/?q=...&page=N`: ranked results with highlighted snippets, ten to a page, with
    elided page links (`pagination_context()` and the partial of the home page). A `page` that
    is not a number, or past the last page, is a 404 (Django's ListView)."""

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

    def page_url(self, number: int) -> str:
        return search_page_url(path_for("posts:search"), self.query, number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, search_error=self.error, **kwargs)
        for post in context["posts"]:
            post.snippet_html = highlight(getattr(post, "search_snippet", ""))
        context.update(pagination_context(context["page_obj"], self.page_url))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # A query that finds nothing is not worth a Redis entry: junk queries must not fill it.
        response.store_in_page_cache = bool(context["posts"])
        return response

    def get_metadata(self, context):
        return seo.for_search(self.query, seo.page_number(context))
