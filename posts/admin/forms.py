"""Forms of the admin's intermediate pages."""

from django import forms
from django.contrib.admin import helpers
from django.utils.translation import gettext_lazy as _


class MergeTagsForm(forms.Form):
    """Which of the selected tags survives a merge; the selection travels in hidden inputs."""

    survivor = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label=_("Keep this tag"),
        help_text=_("The other selected tags are deleted; their posts get this tag."),
    )
    action = forms.CharField(widget=forms.HiddenInput, initial="merge_tags")
    confirm = forms.CharField(widget=forms.HiddenInput, initial="yes")

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = tags
        self.selected_ids = [tag.pk for tag in tags]
        self.selection_field_name = helpers.ACTION_CHECKBOX_NAME
