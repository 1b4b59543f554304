from django.urls import include, path, reverse, set_script_prefix

from posts.routes import path_for, paths_for

# A URLconf that mounts the site under /blog/, for the test below.
urlpatterns = [path("blog/", include("posts.urls"))]


def test_a_remembered_path_is_the_reversed_one():
    assert path_for("posts:home") == reverse("posts:home")
    kwargs = {"date": "2024-01-02", "slug": "attention"}
    assert path_for("posts:detail", **kwargs) == reverse("posts:detail", kwargs=kwargs)
    assert path_for("posts:tag", slug="nlp") == "/tags/nlp/"


def test_the_script_prefix_is_part_of_the_key():
    assert path_for("posts:tags") == "/tags/"
    set_script_prefix("/blog/")
    try:
        assert path_for("posts:tags") == "/blog/tags/"
    finally:
        set_script_prefix("/")
    assert path_for("posts:tags") == "/tags/"


def test_the_urlconf_is_part_of_the_key(settings):
    assert path_for("posts:home") == "/"
    settings.ROOT_URLCONF = __name__
    assert path_for("posts:home") == "/blog/"
    assert path_for("posts:tag", slug="nlp") == "/blog/tags/nlp/"


def test_paths_for_reverses_several_names_under_the_same_key(settings):
    assert paths_for(home="posts:home", tags="posts:tags") == {"home": "/", "tags": "/tags/"}
    set_script_prefix("/blog/")
    try:
        assert paths_for(home="posts:home") == {"home": "/blog/"}
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = __name__
    assert paths_for(tags="posts:tags") == {"tags": "/blog/tags/"}
