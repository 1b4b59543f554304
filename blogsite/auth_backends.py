"""Login throttling through django-axes."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes's lockout check, for logins that come with an HTTP request.

    A login without a request (`Client.login` in tests, `authenticate()` in a shell) has no client
    address to throttle, so it is left to the next backend rather than refused with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
