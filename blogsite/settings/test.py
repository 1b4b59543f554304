"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE): the site's settings, made fast.

Only what makes tests quicker without changing what they check belongs here. Processes the tests
start themselves (manage.py, gunicorn) run on `blogsite.settings`, as in production.
"""

from blogsite.settings.base import *  # noqa: F403

# PBKDF2 costs about a second and a half per password on this machine; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
