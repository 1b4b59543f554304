"""Admin form fields of typed text: none may hold a character XML 1.0 forbids."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from posts.xml_text import reject_forbidden


class XmlTextFields:
    """For a `ModelAdmin` or an inline: every text field of its form (title, Markdown, name,
    path, tags...) refuses the characters XML 1.0 forbids (`posts.xml_text.reject_forbidden`),
    with an error on the field that names the character and its place. That error replaces
    Django's own for NUL, which does not say where it is."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField):
            validators = formfield.validators
            kept = [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]
            formfield.validators = [*kept, reject_forbidden]
        return formfield
