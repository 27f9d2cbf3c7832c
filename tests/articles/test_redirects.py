import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.utils.encoding import iri_to_uri

from articles.redirects import is_local_path, redirect_record
from articles.services import author_save, tag_save


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


def test_a_renamed_section_keeps_its_old_page_and_feeds(admin_client, site, make_section):
    section = make_section(name="منوعات", slug="منوعات")
    response = admin_client.post(
        f"/admin/articles/section/{section.pk}/change/",
        {"name": "منوعات", "slug": "فنون-ومنوعات", "position": 0, "description": ""},
    )
    assert response.status_code == 302, response.content.decode()

    for old, new in [
        ("/section/منوعات/", "/section/فنون-ومنوعات/"),
        ("/section/منوعات/feed/", "/section/فنون-ومنوعات/feed/"),
        ("/section/منوعات/feed/atom/", "/section/فنون-ومنوعات/feed/atom/"),
    ]:
        answer = admin_client.get(old)
        assert answer.status_code == 301
        assert answer["Location"] == iri_to_uri(new)
    assert admin_client.get("/section/فنون-ومنوعات/").status_code == 200


def test_renamed_tags_and_authors_leave_one_hop_redirects(client, site, make_tag, make_author):
    tag = make_tag("انتخابات", slug="انتخابات")
    tag.slug = "انتخابات-2026"
    tag_save(tag=tag)
    tag.slug = "الانتخابات"
    tag_save(tag=tag)
    author = make_author(name="سلمى عادل", slug="سلمى")
    author.slug = "سلمى-عادل"
    author_save(author=author)

    assert client.get("/tag/انتخابات/")["Location"] == iri_to_uri("/tag/الانتخابات/")
    assert client.get("/tag/انتخابات-2026/")["Location"] == iri_to_uri("/tag/الانتخابات/")
    assert client.get("/author/سلمى/feed/")["Location"] == iri_to_uri("/author/سلمى-عادل/feed/")


def test_an_unchanged_slug_records_nothing(site, make_tag):
    tag = make_tag("اقتصاد", slug="اقتصاد")
    tag.name = "الاقتصاد"
    tag_save(tag=tag)

    assert not Redirect.objects.exists()


def test_the_admin_edits_redirects_in_arabic_and_refuses_other_sites(admin_client, site):
    page = admin_client.get("/admin/redirects/redirect/add/").content.decode()
    assert "العنوان القديم داخل الموقع" in page

    refused = admin_client.post(
        "/admin/redirects/redirect/add/",
        {"site": site.pk, "old_path": "/old/", "new_path": "https://evil.example/"},
    )
    assert refused.status_code == 200
    assert "داخل الموقع" in refused.content.decode()
    assert not Redirect.objects.exists()

    Redirect.objects.create(site=site, old_path="/older/", new_path="/old/")
    saved = admin_client.post(
        "/admin/redirects/redirect/add/",
        {"site": site.pk, "old_path": "/old/", "new_path": "/new/"},
    )
    assert saved.status_code == 302
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/older/": "/new/",
        "/old/": "/new/",
    }
