class IsoDateConverter:
    """A calendar date in a URL, kept as its "YYYY-MM-DD" string."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
