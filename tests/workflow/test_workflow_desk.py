"""Editorial notes, corrections after publication, and the masthead's audit log."""

import datetime

from django.utils import timezone

from articles.models import Article, Correction
from tests.workflow_helpers import article_data, change_url
from workflow.models import EditorialNote
from workflow.preview import share_url

Status = Article.Status


def test_notes_go_between_writer_and_editor_and_never_reach_readers(
    client, make_user, make_article
):
    writer, editor = make_user("writer"), make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    data = article_data(
        article,
        status=Status.IN_REVIEW,
        **{"editorial_notes-TOTAL_FORMS": "1", "editorial_notes-0-text": "ملاحظة سرية للديسك"},
    )
    assert client.post(change_url(article), data).status_code == 302
    note = EditorialNote.objects.get()
    assert note.created_by == writer and note.article == article
    client.force_login(editor)
    assert "ملاحظة سرية للديسك" in client.get(change_url(article)).content.decode()
    article.refresh_from_db()
    data = article_data(article, status=Status.PUBLISHED)
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    preview = share_url(article, timezone.now() + datetime.timedelta(hours=1))
    client.logout()
    for url in [
        article.get_absolute_url(),
        "/",
        article.section.get_absolute_url(),
        preview,
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ملاحظة سرية للديسك" not in response.content.decode(), url
    client.force_login(editor)
    staff_preview = client.get(f"/preview/{article.pk}/").content.decode()
    assert "ملاحظة سرية للديسك" not in staff_preview


def test_notes_cannot_be_rewritten_afterwards(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    note = EditorialNote.objects.create(article=article, text="الأصل", created_by=editor)
    client.force_login(editor)
    data = article_data(
        article,
        **{
            "editorial_notes-TOTAL_FORMS": "1",
            "editorial_notes-INITIAL_FORMS": "1",
            "editorial_notes-0-id": note.pk,
            "editorial_notes-0-article": article.pk,
            "editorial_notes-0-text": "نص مزور",
        },
    )
    client.post(change_url(article), data)
    note.refresh_from_db()
    assert note.text == "الأصل"


def test_an_editor_adds_a_dated_correction_and_the_modified_time_moves(
    client, make_user, make_article
):
    editor = make_user("editor")
    article = make_article()
    before = article.updated_at
    client.force_login(editor)
    data = article_data(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "ذكرنا خطأً أن الاجتماع يوم الأحد، والصحيح الاثنين.",
        },
    )
    assert client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get(article=article)
    assert correction.created_by == editor
    article.refresh_from_db()
    assert article.updated_at > before
    assert article.updated_at >= correction.created_at
    html = client.get(change_url(article)).content.decode()
    assert "ذكرنا خطأً أن الاجتماع" in html


def test_no_correction_before_publication(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    form = client.get(change_url(article))
    # No corrections table at all on a draft: nothing to show, nothing to add.
    assert not any(f.opts.model is Correction for f in form.context["inline_admin_formsets"])
    assert "التصحيحات والتحديثات" not in form.content.decode()
    data = article_data(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "update",
            "corrections-0-text": "تحديث مزور على مسودة",
        },
    )
    client.post(change_url(article), data)
    assert not Correction.objects.exists()
