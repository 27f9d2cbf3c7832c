"""The article's states through the admin: transitions recorded, scheduling and expiry on time."""

import datetime

import time_machine
from django.utils import timezone

from articles.models import Article
from tests.workflow_helpers import article_data, change_url, split_datetime
from workflow.models import Transition

Status = Article.Status


def test_a_writer_submits_and_the_transition_is_recorded_and_shown(client, make_user, make_article):
    writer = make_user("writer", first_name="سلمى")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    data = article_data(article, status=Status.IN_REVIEW, transition_note="جاهز للمراجعة")
    assert client.post(change_url(article), data).status_code == 302
    transition = Transition.objects.get(article=article)
    assert (transition.from_status, transition.to_status) == ("draft", "review")
    assert transition.created_by == writer and transition.note == "جاهز للمراجعة"
    assert abs(transition.created_at - timezone.now()) < datetime.timedelta(minutes=1)
    html = client.get(change_url(article)).content.decode()
    assert "جاهز للمراجعة" in html and "قيد المراجعة" in html


def test_an_article_goes_round_the_whole_workflow(client, make_user, make_article):
    writer, editor = make_user("writer"), make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)

    def move(user, status, **extra):
        client.force_login(user)
        article.refresh_from_db()
        response = client.post(change_url(article), article_data(article, status=status, **extra))
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
        assert article.status == status

    move(writer, Status.IN_REVIEW)
    move(editor, Status.RETURNED, transition_note="أضف رأي الطرف الآخر")
    move(writer, Status.IN_REVIEW, headline="عنوان بعد التعديل")
    move(editor, Status.PUBLISHED)
    assert client.get(article.get_absolute_url()).status_code == 200
    move(editor, Status.UNPUBLISHED)
    # Unpublishing takes the article off the site at once.
    assert client.get(article.get_absolute_url()).status_code == 404
    steps = list(Transition.objects.filter(article=article).values_list("from_status", "to_status"))
    assert steps == [
        ("draft", "review"),
        ("review", "returned"),
        ("returned", "review"),
        ("review", "published"),
        ("published", "unpublished"),
    ]


def test_returning_an_article_needs_a_note(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    client.force_login(editor)
    response = client.post(change_url(article), article_data(article, status=Status.RETURNED))
    assert response.status_code == 200
    assert "اكتب للكاتب ما المطلوب تعديله" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW and not Transition.objects.exists()


def test_a_status_outside_the_state_machine_is_refused(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    # A draft cannot jump to "unpublished", whoever asks.
    response = client.post(change_url(article), article_data(article, status=Status.UNPUBLISHED))
    assert response.status_code == 200 and response.context["adminform"].form.errors["status"]
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_scheduled_article_appears_at_its_time_without_a_worker(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=3)
    client.force_login(editor)
    data = article_data(article, status=Status.PUBLISHED, **split_datetime("published_at", at))
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.published_at == at and article.is_scheduled
    client.logout()
    url = article.get_absolute_url()
    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert article not in Article.objects.published()
    with time_machine.travel(at, tick=False):
        assert client.get(url).status_code == 200


def test_an_editor_sets_an_expiry_and_the_article_leaves_on_time(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article()
    ends = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    client.force_login(editor)
    data = article_data(article, **split_datetime("expires_at", ends))
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.expires_at == ends
    client.logout()
    with time_machine.travel(ends - datetime.timedelta(seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
    with time_machine.travel(ends, tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_an_expiry_before_publication_gets_an_arabic_error(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article()
    client.force_login(editor)
    earlier = article.published_at - datetime.timedelta(days=1)
    data = article_data(article, **split_datetime("expires_at", earlier))
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "وقت انتهاء العرض يجب أن يأتي بعد وقت النشر." in response.content.decode()
    article.refresh_from_db()
    assert article.expires_at is None


def test_each_role_gets_only_its_transition_buttons(client, make_user, make_article):
    writer, editor = make_user("writer"), make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    buttons = client.get(change_url(article)).context["transition_buttons"]
    assert [status for status, _ in buttons] == ["review"]
    client.force_login(editor)
    buttons = client.get(change_url(article)).context["transition_buttons"]
    assert [status for status, _ in buttons] == ["review", "published"]


def test_a_transition_button_moves_the_article(client, make_user, make_article):
    writer = make_user("writer")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    data = article_data(article, _transition="review")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    # A forged button for a state the writer may not choose is refused like the field.
    other = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    response = client.post(change_url(other), article_data(other, _transition="published"))
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.status == Status.DRAFT
