"""deploy/gunicorn.conf.py: what the committed gunicorn settings do in the master."""

import gc
import runpy

from django.conf import settings


def test_the_master_freezes_the_loaded_app_before_each_fork():
    config = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    assert config["preload_app"]  # the app is loaded before the fork
    gc.unfreeze()
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 10_000  # the loaded modules, settings, URLconf...
    finally:
        gc.unfreeze()
