"""Admin form fields whose text feeds carry: none may hold a character XML 1.0 forbids."""

from posts.xml_text import reject_forbidden


class XmlTextFields:
    """For a `ModelAdmin`: the form fields named in `xml_text_fields` refuse the characters XML
    1.0 forbids (`posts.xml_text.reject_forbidden`), with an error on the field."""

    xml_text_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.xml_text_fields:
            formfield.validators = [*formfield.validators, reject_forbidden]
        return formfield
