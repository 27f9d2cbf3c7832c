import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError

from articles.redirects import is_local_path, redirect_record


@pytest.fixture
def site(db):
    return Site.objects.get_current()


def test_a_recorded_redirect_answers_301_to_the_new_arabic_address(client, site):
    redirect_record(site=site, old_path="/قسم/قديم/", new_path="/section/رياضة/")

    response = client.get("/قسم/قديم/")

    assert response.status_code == 301
    assert response["Location"] == "/section/%D8%B1%D9%8A%D8%A7%D8%B6%D8%A9/"


def test_arabic_paths_are_stored_as_iris_so_long_slugs_fit(site):
    old = "/tag/" + "ا" * 150 + "/"
    redirect = redirect_record(site=site, old_path=old, new_path="/tag/جديد/")

    assert redirect.old_path == old  # 156 characters; percent-encoded it would be 906


def test_a_chain_collapses_to_one_hop_and_a_return_drops_the_loop(site):
    redirect_record(site=site, old_path="/a/", new_path="/b/")
    redirect_record(site=site, old_path="/b/", new_path="/c/")

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/a/": "/c/",
        "/b/": "/c/",
    }

    redirect_record(site=site, old_path="/c/", new_path="/b/")

    # /b/ is live again: nothing sends it away, and everything else goes there in one hop.
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/a/": "/b/",
        "/c/": "/b/",
    }


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example/x",
        "/ok/\nLocation: https://evil.example/",
        "",
    ],
)
def test_a_redirect_never_points_outside_the_site(site, target):
    assert not is_local_path(target)
    with pytest.raises(ValidationError, match="داخل الموقع"):
        redirect_record(site=site, old_path="/old/", new_path=target)
    assert not Redirect.objects.exists()


def test_a_row_written_around_the_checks_sends_no_reader_away(client, site):
    Redirect.objects.create(site=site, old_path="/old/", new_path="https://evil.example/")

    assert client.get("/old/").status_code == 404


def test_a_live_page_is_never_redirected(client, site, make_article):
    article = make_article()
    Redirect.objects.create(site=site, old_path=article.get_absolute_url(), new_path="/x/")

    assert client.get(article.get_absolute_url()).status_code == 200
