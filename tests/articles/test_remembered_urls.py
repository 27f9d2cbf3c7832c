"""Model URLs are remembered (articles.models.reverse) but follow what reverse() depends on."""

from django.urls import clear_script_prefix, set_script_prefix


def test_remembered_urls_follow_slug_and_script_prefix(make_article):
    article = make_article(headline="خبر أول")
    first = article.get_absolute_url()
    assert first == article.get_absolute_url()
    article.slug = "عنوان-آخر"
    assert article.get_absolute_url() != first
    assert "عنوان-آخر" not in article.get_absolute_url()  # percent-encoded as reverse() does
    set_script_prefix("/site/")
    try:
        assert article.get_absolute_url().startswith("/site/news/")
        assert article.section.get_absolute_url().startswith("/site/")
    finally:
        clear_script_prefix()
    assert not article.get_absolute_url().startswith("/site/")


def test_remembered_urls_follow_the_urlconf(make_article, settings):
    article = make_article()
    assert article.get_absolute_url().startswith("/news/")
    settings.ROOT_URLCONF = "tests.remembered_urls_conf"
    assert article.get_absolute_url().startswith("/archive-news/")
