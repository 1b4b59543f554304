"""Old URLs of a post, edited inline on the post form (see `posts.writing.aliases`).

Aliases appear here automatically when a published post's slug or date changes; writers add the
paths of an imported site by hand. A path is stored percent-decoded; one that climbs (`..`), has
`//`, a backslash or a control character, or that a live page of the site answers is refused.
"""

from django import forms
from django.contrib import admin

from posts.admin.text_fields import XmlTextFields
from posts.models import PostAlias
from posts.writing.aliases import validate_alias_path


class PostAliasForm(forms.ModelForm):
    class Meta:
        model = PostAlias
        fields = ["path"]

    def clean_path(self):
        return validate_alias_path(self.cleaned_data["path"])


class PostAliasInline(XmlTextFields, admin.TabularInline):
    model = PostAlias
    form = PostAliasForm
    extra = 0
    fields = ["path", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name = "old URL (redirects here)"
    verbose_name_plural = "old URLs (answered with a 301 to this post)"
