"""No lost edits: the later of two saves from the same version is refused, not applied."""

import threading

from django.db import connection
from django.test import Client

from articles.models import Article
from tests.workflow_helpers import article_data, change_url

Status = Article.Status


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_editors_is_refused_and_keeps_their_text(make_user, make_article):
    first, second = logged_in(make_user("editor")), logged_in(make_user("editor"))
    article = make_article(status=Status.DRAFT, published_at=None)
    client_a, client_b = first, second
    # Both open the same version of the form.
    form_a = client_a.get(change_url(article)).context["adminform"].form
    form_b = client_b.get(change_url(article)).context["adminform"].form
    assert form_a.initial["loaded_version"] == form_b.initial["loaded_version"] == article.version
    response = client_a.post(change_url(article), article_data(article, headline="تعديل الأول"))
    assert response.status_code == 302
    response = client_b.post(
        change_url(article), article_data(article, headline="تعديل الثاني الذي لم يُحفظ")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "لم يُحفظ تعديلك: عدّل شخص آخر هذا المقال بعد أن فتحته." in html
    assert 'value="تعديل الثاني الذي لم يُحفظ"' in html  # the form keeps their text
    saved = Article.objects.get(pk=article.pk)
    assert saved.headline == "تعديل الأول" and saved.version == article.version + 1


def test_the_refusal_links_to_what_changed_meanwhile(make_user, make_article):
    editor_a, editor_b = make_user("editor"), make_user("editor")
    client_a, client_b = logged_in(editor_a), logged_in(editor_b)
    article = make_article(status=Status.DRAFT, published_at=None)
    # A first save through the admin, so the version B loads is a stored revision.
    client_a.post(change_url(article), article_data(article, headline="نسخة مشتركة"))
    article.refresh_from_db()
    loaded = article_data(article, headline="تعديل ب")
    client_a.post(change_url(article), article_data(article, headline="تعديل أ"))
    response = client_b.post(change_url(article), loaded)
    assert response.status_code == 200
    link = response.context["adminform"].form.non_field_errors()[0]
    assert "اعرض ما تغيّر منذ فتحته" in link
    compare_url = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    diff = client_b.get(compare_url)
    assert diff.status_code == 200
    html = diff.content.decode()
    assert "<del>نسخة مشتركة</del> <ins>تعديل أ</ins>" in html


def test_a_save_without_the_loaded_version_is_refused(make_user, make_article):
    client = logged_in(make_user("editor"))
    article = make_article(status=Status.DRAFT, published_at=None)
    data = article_data(article, headline="بلا رقم نسخة")
    del data["loaded_version"]
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_two_simultaneous_saves_cannot_both_pass(transactional_db, make_user, make_article):
    """Two real requests on two database connections at the same moment: one wins."""
    article = make_article(status=Status.DRAFT, published_at=None)
    clients = [logged_in(make_user("editor")), logged_in(make_user("editor"))]
    start = threading.Barrier(2)
    codes = {}

    def save(number):
        try:
            data = article_data(article, headline=f"تعديل متزامن {number}")
            start.wait()
            codes[number] = clients[number].post(change_url(article), data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes.values()) == [200, 302]
    saved = Article.objects.get(pk=article.pk)
    assert saved.version == article.version + 1
    winner = next(number for number, code in codes.items() if code == 302)
    assert saved.headline == f"تعديل متزامن {winner}"
