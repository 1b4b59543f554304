"""`blogsite.settings`: the site's settings (manage.py, wsgi, asgi, gunicorn and deploy/ use it).

Every value is read from the environment in `base.py`; `DJANGO_ENV=production` selects production
mode there, exactly as before the split. The test suite runs on `blogsite.settings.test`.
"""

from blogsite.settings.base import *  # noqa: F403
