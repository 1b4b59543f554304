"""The parts of a series, numbered inline on the series: renumber them in one save.

Each post keeps its own series and part fields; here only the part number is edited. Numbers may
be swapped in one submit: the formset checks them against each other (every part of the series is
in it), and the changed parts are cleared before the new numbers are written, so the unique
(series, series_part) constraint never sees two posts on one number.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from posts.admin.text_fields import XmlTextFields
from posts.models import Post


class SeriesPartForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["series_part"]

    def validate_unique(self):
        """Checked among all parts by the formset instead: the database still holds the old
        numbers, which would reject a swap."""


class SeriesPartFormSet(forms.BaseInlineFormSet):
    def save_existing_objects(self, commit=True):
        moved = [form.instance.pk for form in self.initial_forms if form.has_changed()]
        if commit and moved:
            Post.objects.filter(pk__in=moved).update(series_part=None)
        return super().save_existing_objects(commit)


class SeriesPartInline(XmlTextFields, admin.TabularInline):
    model = Post
    form = SeriesPartForm
    formset = SeriesPartFormSet
    fields = ["series_part", "title", "status", "published_at"]
    readonly_fields = ["title", "status", "published_at"]
    ordering = ["series_part", "published_at"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("part")
    verbose_name_plural = _("parts (add a post to the series on the post's own form)")

    def has_add_permission(self, request, obj=None):
        return False
