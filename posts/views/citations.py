"""`/posts/<date>-<slug>/cite.bib`: a published post's BibTeX entry, optionally for one version."""

from datetime import date

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView

from posts import citation
from posts.models import Post

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"


class CitationBibView(DetailView):
    """`?version=YYYY-MM-DD` names the version read: the publish date or an update note's date."""

    def get_queryset(self):
        return Post.objects.published().select_related("author")

    def get(self, request, *args, **kwargs):
        post = self.get_object()
        if post.url_kwargs()["date"] != kwargs["date"]:
            return redirect(reverse("posts:cite-bib", kwargs=post.url_kwargs()), permanent=True)
        notes = list(post.update_notes.all())
        version = None
        if "version" in request.GET:
            try:
                version = date.fromisoformat(request.GET["version"])
            except ValueError:
                return HttpResponseBadRequest(
                    "version must be a date written YYYY-MM-DD.", content_type="text/plain"
                )
            if version not in citation.versions(post, notes):
                raise Http404("This post has no version of that date.")
        entry = citation.bibtex(citation.citation_for(post, notes, version=version))
        response = HttpResponse(entry, content_type=BIBTEX_CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{post.citation_key}.bib"'
        return response
