import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, MastheadTerm, Tag

D = datetime.date


def article_form(section, **overrides):
    data = {
        "headline": "خبر من الديسك",
        "kicker": "",
        "slug": "خبر-من-الديسك",
        "section": section.pk,
        "agency_credit": "",
        "summary": "موجز الخبر.",
        "body": '<p onclick="steal()">نص الخبر</p><script>alert("x")</script>',
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    # The workflow's inlines (corrections, notes, transitions), empty.
    for prefix in ["corrections", "editorial_notes", "transitions"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_staff_adds_an_article_and_the_script_does_not_survive(
    staff_client, make_section, make_author, make_tag
):
    section, author, tag = make_section(), make_author(name="منى"), make_tag("الصحة")
    data = article_form(
        section,
        tags=[tag.pk],
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
        },
    )
    response = staff_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get()
    assert article.body == "<p>نص الخبر</p>"
    assert article.created_by == staff_client.user == article.updated_by
    assert article.ordered_authors() == [author]
    assert list(article.tags.all()) == [tag]
    assert article.status == Article.Status.DRAFT


def test_staff_publishes_through_the_change_form(staff_client, make_article):
    article = make_article(status=Article.Status.DRAFT, published_at=None, slug="قديم")
    data = article_form(
        article.section,
        headline="عنوان معدّل",
        slug="قديم",
        status="published",
        loaded_version=article.version,
    )
    response = staff_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].errors
    article.refresh_from_db()
    assert article.headline == "عنوان معدّل"
    assert article.is_published and article.published_at <= timezone.now()
    assert article.version == 2
    assert article.updated_by == staff_client.user


def test_admin_search_finds_any_spelling(staff_client, make_article):
    egyptian = make_article(headline="مباحثات فى الدوحة حول الذى جرى")
    other = make_article(headline="خبر لا علاقة له")
    response = staff_client.get("/admin/articles/article/", {"q": "في الدوحة"})
    found = list(response.context["cl"].result_list)
    assert found == [egyptian] and other not in found
    response = staff_client.get("/admin/articles/article/", {"q": "الذي"})
    assert list(response.context["cl"].result_list) == [egyptian]


def test_tag_autocomplete_matches_normalised_names(staff_client, make_tag):
    make_tag("الدولى")
    make_tag("الرياضة")
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "الدولي"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["الدولى"]


def test_author_autocomplete_matches_normalised_names_of_active_authors(staff_client, make_author):
    make_author(name="أحمد باشا")
    make_author(name="أحمد المتقاعد", is_active=False)
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "احمد"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["أحمد باشا"]


def test_article_form_has_the_arabic_right_to_left_ckeditor(staff_client, make_section):
    make_section()
    html = staff_client.get("/admin/articles/article/add/").content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "ckeditor/ckeditor/ckeditor.js" in html
    for setting in [
        "&quot;language&quot;: &quot;ar&quot;",
        "&quot;contentsLangDirection&quot;: &quot;rtl&quot;",
        "&quot;versionCheck&quot;: false",
        "&quot;Blockquote&quot;",
        "&quot;Image&quot;",
        "&quot;Table&quot;",
        "&quot;Link&quot;",
        "/ckeditor/upload/",
    ]:
        assert setting in html


def test_admin_is_titled_with_the_newspaper_name(admin_client, settings):
    settings.NEWSPAPER_NAME = "الأهرام الجديد"
    html = admin_client.get("/admin/").content.decode()
    assert "الأهرام الجديد" in html
    assert "غرفة الأخبار" in html


def test_an_article_by_a_retired_author_can_still_be_saved(staff_client, make_article, make_author):
    retired = make_author(name="كاتب متقاعد", is_active=False)
    article = make_article(status=Article.Status.DRAFT, published_at=None, authors=[retired])
    byline = article.bylines.get()
    data = article_form(
        article.section,
        headline="عنوان جديد",
        loaded_version=article.version,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": byline.pk,
            "bylines-0-article": article.pk,
            "bylines-0-author": retired.pk,
            "bylines-0-position": "0",
        },
    )
    response = staff_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "عنوان جديد" and article.ordered_authors() == [retired]


def test_overlapping_masthead_term_in_the_admin_gets_an_arabic_error(
    admin_client, roles, make_term
):
    make_term(roles["editor"], "الحالي", D(2020, 1, 1))
    response = admin_client.post(
        "/admin/articles/mastheadterm/add/",
        {
            "role": roles["editor"].pk,
            "person_name": "الجديد",
            "starts_on": "2024-01-01",
            "ends_on": "",
        },
    )
    assert response.status_code == 200
    assert "تتداخل هذه الفترة مع فترة أخرى للمنصب نفسه." in response.content.decode()
    assert MastheadTerm.objects.count() == 1


def test_tag_spelled_another_way_in_the_admin_gets_an_arabic_error(staff_client, make_tag):
    make_tag("الدولى", slug="الدولى")
    response = staff_client.post("/admin/articles/tag/add/", {"name": "الدولي", "slug": "الدولي"})
    assert response.status_code == 200
    assert "يوجد وسم بهذا الاسم بالفعل" in response.content.decode()
    assert Tag.objects.count() == 1


def test_every_admin_page_opens(
    admin_client, make_article, make_author, make_tag, roles, make_term
):
    article = make_article(authors=[make_author()], tags=[make_tag("وسم")])
    make_term(roles["editor"], "فلان", D(2020, 1, 1))
    for model in ["article", "author", "tag", "section", "mastheadrole", "mastheadterm"]:
        assert admin_client.get(f"/admin/articles/{model}/").status_code == 200
        assert admin_client.get(f"/admin/articles/{model}/add/").status_code == 200
    assert admin_client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200


def test_readers_cannot_open_the_admin(client, django_user_model):
    reader = django_user_model.objects.create_user(username="reader", password="x")
    client.force_login(reader)
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/articles/article/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 25])
def test_article_changelist_query_count_does_not_grow_with_articles(
    staff_client, make_article, make_author, make_tag, extra
):
    for _ in range(3 + extra):
        make_article(authors=[make_author(), make_author()], tags=[make_tag(f"وسم {_}")])
    # session, user, user and group permissions, sections for the filter, one count, the rows,
    # their bylines with authors, and two for the date hierarchy: the same whatever the table holds.
    assert changelist_queries(staff_client) == 10


def test_a_changed_article_is_reported_as_changed_not_added(staff_client, make_article):
    """Django's Arabic catalogue says "added" after a change; locale/ corrects it."""
    from django.contrib.messages import get_messages

    from tests.workflow_helpers import article_data

    article = make_article()
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_data(article, headline="معدل")
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("تم تعديل مقال") and "إضافة" not in message


def test_admin_writes_date_and_time_in_arabic_order(staff_client, make_article):
    import datetime

    from django.utils import timezone

    make_article(published_at=timezone.make_aware(datetime.datetime(2024, 3, 28, 9, 5)))
    html = staff_client.get("/admin/articles/article/").content.decode()
    assert "28 مارس 2024، 09:05" in html
    assert "مارس 28, 2024" not in html
