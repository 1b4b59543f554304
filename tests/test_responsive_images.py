from posts.images import (
    SIZES,
    ResponsiveImage,
    add_responsive_attributes,
    image_sources,
)

LIBRARY = {
    "/media/images/2024/05/a.png": ResponsiveImage(
        2000, 1000, "/media/images/2024/05/a-480w.png 480w, /media/images/2024/05/a.png 2000w"
    )
}


def test_library_images_get_size_and_srcset():
    html = '<p>x</p><figure><img src="/media/images/2024/05/a.png" alt="A" loading="lazy">'
    out = add_responsive_attributes(html, LIBRARY)
    assert (
        '<img src="/media/images/2024/05/a.png" alt="A" loading="lazy" width="2000" '
        'height="1000" srcset="/media/images/2024/05/a-480w.png 480w, '
        f'/media/images/2024/05/a.png 2000w" sizes="{SIZES}">'
    ) in out


def test_other_images_and_images_with_a_srcset_are_left_alone():
    html = (
        '<img src="https://example.org/a.png" alt="">'
        '<img src="/media/images/2024/05/a.png" alt="" srcset="/x.png 1x">'
    )
    assert add_responsive_attributes(html, LIBRARY) == html


def test_image_sources_are_unescaped():
    assert image_sources('<img alt="" src="/a.png?x=1&amp;y=2"><img alt="">') == ["/a.png?x=1&y=2"]
