"""Read an admin change form's fields from its HTML, so tests submit what a browser would."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._textarea = None
        self._select = None
        self._option = None

    def _add(self, name, value):
        if "__prefix__" in name:
            return
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            values = self.data[self._textarea]
            values[-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            value = self.data[self._textarea][-1]
            # Browsers drop the newline that follows <textarea>.
            self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_data(response, form_id="post_form"):
    """The fields of the form as a dict for `client.post` (lists for repeated names)."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
