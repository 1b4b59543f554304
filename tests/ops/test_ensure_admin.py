from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def ensure_admin():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_creates_the_account_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "editor")
    monkeypatch.setenv("ADMIN_PASSWORD", "a long passphrase")
    output = ensure_admin()
    user = get_user_model().objects.get(username="editor")
    assert user.is_superuser and user.is_staff
    assert user.check_password("a long passphrase")
    assert "a long passphrase" not in output


def test_without_a_password_a_random_one_is_printed_once(monkeypatch):
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    output = ensure_admin()
    password = output.split("with password '")[1].split("'")[0]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="admin").check_password(password)
    second = ensure_admin()
    assert password not in second
    assert "exists" in second


def test_an_existing_account_is_left_alone(monkeypatch, django_user_model):
    django_user_model.objects.create_user("admin", password="kept-password")
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.setenv("ADMIN_PASSWORD", "new-password")
    ensure_admin()
    user = django_user_model.objects.get(username="admin")
    assert user.check_password("kept-password")
    assert not user.is_superuser
