from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse


@pytest.mark.parametrize("slug", ["هدنة-أسبوع-فى-سوريا", "cop28-في-دبي", "خبر_عاجل-2024"])
def test_unicode_slugs_reverse_and_resolve(slug):
    path = reverse("articles:detail", kwargs={"pk": 7, "slug": slug})
    match = resolve(unquote(path))
    assert match.view_name == "articles:detail"
    assert match.kwargs == {"pk": 7, "slug": slug}


@pytest.mark.parametrize("path", ["/news/7/a b/", "/news/7/a.b/", "/news/x/slug/", "/author/a/b/"])
def test_slug_converter_refuses_what_slugify_never_makes(client, db, path):
    assert client.get(path).status_code == 404


def test_article_url_shape_comes_from_get_absolute_url(make_article):
    article = make_article(slug="خبر")
    assert unquote(article.get_absolute_url()) == f"/news/{article.pk}/خبر/"
