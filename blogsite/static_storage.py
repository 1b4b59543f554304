"""Static files in production: WhiteNoise's fingerprinted, pre-compressed files, with each URL
worked out once per process.

`{% static %}` asks the storage for a URL on every use: a dozen times a page, ~30 µs each (the
manifest lookup, then parsing and joining the URL). The manifest is read when the storage is made
and never changes under a running process (a new `collectstatic` takes a restart to be served),
so the URL of a name is remembered the first time it is asked for.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:  # DEBUG serves the names as they are: nothing to remember
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
