"""One editorial write path: every entry point saves an article through workflow.services,
which rebuilds its search document once and announces the change once, after commit."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Version

from articles.events import article_changed, content_changed
from articles.models import Article
from frontcache.models import PurgeRequest
from operations import demo_content
from tests.conftest import FIXTURES
from tests.private_services import free_port
from tests.workflow_helpers import article_data, change_url
from workflow.revisions import restore
from workflow.services import VersionConflict, article_delete, article_save

Status = Article.Status


@pytest.fixture
def announced():
    """The ArticleChange of every article_changed sent during the test, in order."""
    changes = []

    def receive(sender, change, **kwargs):
        changes.append(change)

    article_changed.connect(receive, weak=False, dispatch_uid="test-announced")
    yield changes
    article_changed.disconnect(dispatch_uid="test-announced")


@pytest.fixture
def content_announced():
    labels = []

    def receive(sender, label, pks, **kwargs):
        labels.append((label, pks))

    content_changed.connect(receive, weak=False, dispatch_uid="test-content-announced")
    yield labels
    content_changed.disconnect(dispatch_uid="test-content-announced")


def rebuilds(queries):
    """How many of the statements rewrote a stored search document."""
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "articles_article" SET "search_text" =')
    )


def byline_rows(authors):
    data = {"bylines-TOTAL_FORMS": str(len(authors)), "bylines-INITIAL_FORMS": "0"}
    for number, author in enumerate(authors):
        data[f"bylines-{number}-author"] = author.pk
        data[f"bylines-{number}-position"] = number
    return data


@pytest.fixture
def two_authors_three_tags(make_author, make_tag):
    return [make_author(), make_author()], [make_tag("أمن"), make_tag("طاقة"), make_tag("مياه")]


def test_an_admin_save_rebuilds_the_document_once_and_announces_once(
    client, settings, make_user, make_section, two_authors_three_tags, announced,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    authors, tags = two_authors_three_tags
    client.force_login(make_user("editor"))
    data = article_data(section=make_section(), status="published")
    data.update(byline_rows(authors))
    data.update({"tags": [tag.pk for tag in tags], "published_at_0": "2024-03-28"})
    data["published_at_1"] = "10:00:00"
    # A front cache that is down, so the purge the save records stays to be counted.
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    assert rebuilds(queries) == 1
    assert len(announced) == 1
    assert PurgeRequest.objects.count() == 1  # the front cache is purged once, for that one
    article = Article.objects.get()
    assert [a.pk for a in article.ordered_authors()] == [a.pk for a in authors]
    assert set(article.tags.all()) == set(tags)
    # The one document holds what the byline and tags added after the row.
    assert authors[1].name.split()[0] in article.search_text and "طاقه" in article.search_text


def test_the_announcement_carries_what_changed(
    client, make_user, make_article, make_section, make_author, make_tag, announced,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    old_author, kept_author, new_author = make_author(), make_author(), make_author()
    old_tag, kept_tag, new_tag = make_tag("قديم"), make_tag("باق"), make_tag("جديد")
    article = make_article(authors=[old_author, kept_author], tags=[old_tag, kept_tag])
    old_section, new_section = article.section, make_section()
    client.force_login(make_user("editor"))
    byline = {b.author_id: b for b in article.bylines.all()}
    data = article_data(
        article,
        status=Status.UNPUBLISHED,
        tags=[kept_tag.pk, new_tag.pk],
        **{
            "bylines-0-DELETE": "on",
            "bylines-1-position": "0",
            "bylines-TOTAL_FORMS": "3",
            "bylines-2-author": new_author.pk,
            "bylines-2-position": "1",
        },
    )
    data["section"] = new_section.pk  # article_data's own section= is for new articles
    assert data["bylines-0-id"] == byline[old_author.pk].pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), data)
    assert response.status_code == 302
    (change,) = announced
    assert change.article_id == article.pk
    assert (change.old_section_id, change.new_section_id) == (old_section.pk, new_section.pk)
    assert change.old_tag_ids == {old_tag.pk, kept_tag.pk}
    assert change.new_tag_ids == {kept_tag.pk, new_tag.pk}
    assert change.old_author_ids == (old_author.pk, kept_author.pk)
    assert change.new_author_ids == (kept_author.pk, new_author.pk)
    assert (change.was_public, change.is_public) == (True, False)
    assert not change.created and not change.deleted
    article.refresh_from_db()
    assert article.ordered_authors() == [kept_author, new_author]


def test_a_rolled_back_save_announces_nothing(
    make_article, make_author, announced, django_capture_on_commit_callbacks
):
    article = make_article(headline="عنوان قبل التراجع")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            article.headline = "عنوان لن يبقى"
            article_save(article=article, authors=[make_author()])
            raise RuntimeError("the request failed after the save")
    assert callbacks == [] and announced == []
    article.refresh_from_db()
    assert article.headline == "عنوان قبل التراجع" and not article.bylines.exists()


def test_a_stale_version_is_refused_and_announces_nothing(
    make_article, announced, django_capture_on_commit_callbacks
):
    article = make_article()
    loaded = article.version
    Article.objects.filter(pk=article.pk).update(version=loaded + 1)  # someone else saved
    article.headline = "تعديل على نسخة قديمة"
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(VersionConflict):
            article_save(article=article, loaded_version=loaded)
    assert announced == []
    assert Article.objects.get(pk=article.pk).headline != "تعديل على نسخة قديمة"


def test_a_conflicting_admin_save_announces_nothing(
    client, make_user, make_article, announced, django_capture_on_commit_callbacks
):
    article = make_article()
    data = article_data(article, headline="تعديل متأخر")
    Article.objects.filter(pk=article.pk).update(version=article.version + 1)
    client.force_login(make_user("editor"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), data)
    assert response.status_code == 200  # the form again, with the conflict explained
    assert "عدّل شخص آخر هذا المقال" in response.content.decode()
    assert announced == []


def test_deleting_in_the_admin_announces_the_article_gone(
    client, make_user, make_article, make_author, announced, django_capture_on_commit_callbacks
):
    author = make_author()
    article = make_article(authors=[author])
    client.force_login(make_user("admin"))
    url = f"/admin/articles/article/{article.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    (change,) = announced
    assert change.deleted and change.was_public and not change.is_public
    assert change.old_author_ids == (author.pk,) and change.new_section_id is None


def test_import_legacy_saves_each_page_through_the_service(
    db, announced, django_capture_on_commit_callbacks
):
    pages = [FIXTURES / "legacy" / "good_two_authors_agency.txt"]
    pages.append(FIXTURES / "legacy" / "good_single_author.txt")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_legacy", *map(str, pages), stdout=StringIO(), stderr=StringIO())
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == 2
    assert [change.article_id for change in announced] == [a.pk for a in articles]
    assert all(change.created and change.is_public for change in announced)
    assert len(announced[0].new_author_ids) == 2
    # The service's revision comes with every imported article; no person moved it.
    for article in articles:
        assert Version.objects.get_for_object(article).count() == 1
        assert not article.transitions.exists()


def test_restoring_a_revision_goes_through_the_service(
    make_user, make_article, make_author, make_tag, announced, django_capture_on_commit_callbacks
):
    first_author, second_author = make_author(), make_author()
    tag = make_tag("اقتصاد")
    article = make_article(headline="الأصل", authors=[first_author], tags=[tag])
    original = Version.objects.get_for_object(article).get()
    article.headline = "تعديل"
    article_save(article=article, authors=[second_author], tags=[])
    editor = make_user("editor")
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restored = restore(original, user=editor)
    (change,) = announced
    assert change.old_author_ids == (second_author.pk,)
    assert change.new_author_ids == (first_author.pk,)
    assert change.new_tag_ids == {tag.pk} and change.old_tag_ids == frozenset()
    assert restored.headline == "الأصل" and restored.updated_by == editor
    assert "الاصل" in Article.objects.get(pk=article.pk).search_text


def test_the_demo_loader_saves_each_article_through_the_service(
    db, announced, content_announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    assert len(announced) == len(demo_content.ARTICLES) == Article.objects.count()
    assert {change.article_id for change in announced} == set(
        Article.objects.values_list("pk", flat=True)
    )
    labels = {label for label, _ in content_announced}
    assert {"articles.Section", "articles.Author", "articles.Tag"} <= labels
    assert all(article.search_text for article in Article.objects.all())


def test_a_service_delete_announces_once(
    make_article, announced, django_capture_on_commit_callbacks
):
    article = make_article(published_at=timezone.now() + datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        article_delete(article=article)
    (change,) = announced
    assert change.deleted and not change.was_public


def test_renaming_a_tag_rewrites_its_documents_once_and_announces_it(
    client, make_user, make_article, make_tag, content_announced,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    tag = make_tag("وسم قديم")
    articles = [make_article(tags=[tag]) for _ in range(3)]
    client.force_login(make_user("admin"))
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/articles/tag/{tag.pk}/change/", {"name": "وسم جديد", "slug": tag.slug}
            )
    assert response.status_code == 302
    assert rebuilds(queries) == len(articles)  # one document per article carrying the tag
    assert content_announced == [("articles.Tag", frozenset({tag.pk}))]
    for article in articles:
        article.refresh_from_db()
        assert "وسم جديد" in article.search_text and "قديم" not in article.search_text


@pytest.mark.django_db(transaction=True)
def test_measured_cost_of_one_admin_save_with_real_commits(
    client, settings, make_user, make_section, two_authors_three_tags
):
    """Statements, document rebuilds and front-cache purges recorded by one real (committed)
    add and change; run with -s to read them. The figures before this service: add 52, 4, 8
    (then page-cache bumps); change 43, 1, 2."""
    authors, tags = two_authors_three_tags
    client.force_login(make_user("editor"))
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # down: kept

    def costs(url, data):
        before = PurgeRequest.objects.count()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        assert response.status_code == 302
        purges = PurgeRequest.objects.count() - before
        return len(queries.captured_queries), rebuilds(queries), purges

    data = article_data(section=make_section(), status="published")
    data.update(byline_rows(authors))
    data.update({"tags": [tag.pk for tag in tags], "published_at_0": "2024-03-28"})
    data["published_at_1"] = "10:00:00"
    added = costs("/admin/articles/article/add/", data)
    article = Article.objects.get()
    changed = costs(change_url(article), article_data(article, headline="عنوان آخر"))
    print(f"\nadd: statements, rebuilds, purges = {added}\nchange: {changed}")
    assert added[1:] == changed[1:] == (1, 1)
