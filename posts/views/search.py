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

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()
        self.error = ""
        if not self.query:
            return Post.objects.none()
        try:
            return search(self.query).for_listing()
        except SearchQueryError as error:
            self.error = str(error)
            return Post.objects.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, search_error=self.error, **kwargs)
        for post in context["posts"]:
            post.snippet_html = highlight(getattr(post, "search_snippet", ""))
        return context

    def get_metadata(self, context):
        return seo.for_search(self.query, seo.page_number(context))
