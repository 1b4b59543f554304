"""Settings come from the environment; production mode refuses unsafe values and passes --deploy."""

import json

import pytest
from django.conf import settings

from blogsite.settings import DEVELOPMENT_SECRET_KEY
from tests.processes import manage, production_env

UNSAFE = [
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "SECRET_KEY"),
    ({"SECRET_KEY": "django-insecure-" + "k" * 50}, "SECRET_KEY"),
    ({"SECRET_KEY": "short-but-set"}, "SECRET_KEY"),
    ({"DEBUG": "true"}, "DEBUG"),
    ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ({"DATABASE_URL": None}, "DATABASE_URL"),
    ({"REDIS_URL": None}, "REDIS_URL"),
    ({"SITE_URL": None}, "SITE_URL"),
    ({"SITE_URL": "http://blog.example.com"}, "SITE_URL"),
    ({"PROXY_SECRET": None}, "PROXY_SECRET"),
    ({"PROXY_SECRET": "short"}, "PROXY_SECRET"),
    ({"PROXY_SECRET": "replace-with-the-secret-in-the-nginx-include"}, "PROXY_SECRET"),
    ({"PROXY_SECRET": 'breaks"nginx;quoting-0123456789abcdef'}, "PROXY_SECRET"),
]


@pytest.mark.parametrize(("overrides", "variable"), UNSAFE)
def test_production_refuses_to_start_with_one_line_naming_the_variable(overrides, variable):
    result = manage("check", env=production_env(**overrides))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert lines[0].startswith("blogsite refuses to start (DJANGO_ENV=production)")


def test_deploy_check_reports_nothing_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def _production_settings(**overrides):
    script = (
        "import json; from django.conf import settings as s;"
        "db = s.DATABASES['default'];"
        "print(json.dumps({'engine': db['ENGINE'], 'conn_max_age': db['CONN_MAX_AGE'],"
        "'health_checks': db['CONN_HEALTH_CHECKS'], 'options': db.get('OPTIONS', {}),"
        "'caches': {k: v['BACKEND'] for k, v in s.CACHES.items()},"
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'media_root': str(s.MEDIA_ROOT),"
        "'static_root': str(s.STATIC_ROOT), 'csrf': s.CSRF_TRUSTED_ORIGINS,"
        "'hosts': s.ALLOWED_HOSTS, 'admin': s.ADMIN_URL}))"
    )
    result = manage("shell", "-c", script, env=production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_uses_postgres_with_persistent_checked_connections_and_redis():
    values = _production_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/blogsite_ops",
        MEDIA_ROOT="/srv/blogsite/media",
        STATIC_ROOT="/srv/blogsite/static",
        ALLOWED_HOSTS="blog.example.com,www.blog.example.com",
        ADMIN_URL="/backstage/",
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] == 60
    assert values["health_checks"] is True
    assert values["options"]["connect_timeout"] == 3
    assert values["caches"] == {
        "default": "django_redis.cache.RedisCache",
        "pages": "django_redis.cache.RedisCache",
        # Keyed by all they print, the frame's fragments are kept in each process's memory.
        "template_fragments": "django.core.cache.backends.locmem.LocMemCache",
    }
    assert values["static"] == "blogsite.static_storage.StaticFilesStorage"
    assert values["media_root"] == "/srv/blogsite/media"
    assert values["static_root"] == "/srv/blogsite/static"
    assert values["csrf"] == ["https://blog.example.com"]
    assert values["hosts"] == ["blog.example.com", "www.blog.example.com"]
    assert values["admin"] == "backstage/"


def test_local_defaults_need_no_configuration():
    assert settings.PRODUCTION is False
    assert "localhost" in settings.ALLOWED_HOSTS
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.ADMIN_URL == "admin/"
    assert settings.PAGE_CACHE_ENABLED is True


def test_test_settings_differ_from_the_site_settings_only_in_the_password_hasher():
    from blogsite.settings import base, test

    names = {name for name in dir(base) if name.isupper()}
    assert {name for name in dir(test) if name.isupper()} == names | {"PASSWORD_HASHERS"}
    assert all(getattr(test, name) == getattr(base, name) for name in names)
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_processes_the_tests_start_run_on_the_site_settings():
    script = "from django.conf import settings; print(settings.SETTINGS_MODULE)"
    script += "; print(settings.PASSWORD_HASHERS[0])"
    result = manage("shell", "-c", script, env=production_env())
    assert result.returncode == 0, result.stderr
    module, hasher = result.stdout.split()[-2:]
    assert module == "blogsite.settings"
    assert hasher == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
