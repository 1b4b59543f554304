"""Form widgets of the admin."""

from taggit.forms import TagWidget

from posts.models import Tag


class TagSuggestWidget(TagWidget):
    """taggit's comma-separated text box plus a `<datalist>` of the existing tag names.

    Without JavaScript the browser suggests names for the first tag; `admin-tags.js` (a static file,
    so a strict Content-Security-Policy allows it) keeps suggesting after each comma.
    """

    template_name = "posts/widgets/tag_suggest.html"  # app templates: the form renderer reads those

    class Media:
        js = ["js/admin-tags.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["datalist_id"] = f"{widget['attrs'].get('id') or name}-suggestions"
        widget["attrs"]["list"] = widget["datalist_id"]
        widget["attrs"]["autocomplete"] = "off"
        widget["attrs"].setdefault("class", "vTextField")
        widget["suggestions"] = list(Tag.objects.order_by("name").values_list("name", flat=True))
        return context
