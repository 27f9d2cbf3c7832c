"""The read-only content API: what it shows, what it never shows, filters, errors."""

import datetime
import json

import pytest
from django.utils import timezone

from articles.models import Article, Byline, Correction
from tests.api_helpers import cairo, get_json, walk
from workflow.models import EditorialNote, Transition

Status = Article.Status
LIST = "/api/v1/articles/"


@pytest.fixture
def full_article(make_article, make_author, make_tag, make_section):
    section = make_section(name="دولي", slug="دولي")
    first = make_author(name="منى الشريف", slug="منى-الشريف")
    second = make_author(name="أحمد علي", slug="أحمد-علي")
    article = make_article(
        headline="قمة دولية في القاهرة",
        kicker="اليوم الأول",
        summary="ملخص القمة.",
        body='<p>فقرة <a href="/news/1/x/">رابط</a></p><img src="/media/uploads/a.jpg" alt="ص">',
        section=section,
        agency_credit="ووكالات الأنباء",
        published_at=cairo(2024, 3, 28, 12, 0),
        lead_image="lead/2024/03/abc_4000x3000.jpg",
        lead_image_alt="قاعة القمة",
        lead_image_caption="القاعة قبل الافتتاح",
        lead_image_credit="تصوير: الصحيفة",
        lead_image_focal_x=0.25,
        lead_image_focal_y=0.5,
        tags=[make_tag("القاهرة"), make_tag("الدولي")],
    )
    # The byline's order is its own, not the authors' names' order.
    Byline.objects.create(article=article, author=first, position=1)
    Byline.objects.create(article=article, author=second, position=0)
    Correction.objects.create(
        article=article, text="صُحّح اسم القاعة.", created_at=cairo(2024, 3, 29, 9, 0)
    )
    return article


def test_article_detail_has_what_a_partner_needs(client, full_article):
    data = get_json(client, f"/api/v1/articles/{full_article.pk}/")
    assert data["headline"] == "قمة دولية في القاهرة"
    assert data["kicker"] == "اليوم الأول"
    assert data["summary"] == "ملخص القمة."
    assert data["section"] == {
        "slug": "دولي",
        "name": "دولي",
        "url": "http://testserver/section/%D8%AF%D9%88%D9%84%D9%8A/",
    }
    assert [a["name"] for a in data["byline"]["authors"]] == ["أحمد علي", "منى الشريف"]
    assert data["byline"]["authors"][0]["slug"] == "أحمد-علي"
    assert data["byline"]["authors"][0]["url"].startswith("http://testserver/author/")
    assert data["byline"]["agency_credit"] == "ووكالات الأنباء"
    assert sorted(t["name"] for t in data["tags"]) == ["الدولي", "القاهرة"]
    # Cairo is at +02:00 in March, +03:00 in summer (modified is "now").
    assert data["published_at"] == "2024-03-28T12:00:00+02:00"
    assert (
        datetime.datetime.fromisoformat(data["modified_at"]).utcoffset()
        == timezone.localtime(full_article.updated_at).utcoffset()
    )
    assert data["canonical_url"] == "http://testserver" + full_article.get_absolute_url()
    assert data["api_url"] == f"http://testserver/api/v1/articles/{full_article.pk}/"
    assert data["corrections"] == [
        {
            "kind": "correction",
            "label": "تصحيح",
            "text": "صُحّح اسم القاعة.",
            "date": "2024-03-29T09:00:00+02:00",
        }
    ]
    # Root-relative links and images in the body become absolute.
    assert '<a href="http://testserver/news/1/x/" ' in data["body_html"]
    assert 'src="http://testserver/media/uploads/a.jpg"' in data["body_html"]


def test_summer_times_carry_cairos_summer_offset(client, make_article):
    make_article(published_at=cairo(2024, 7, 1, 9, 15))
    assert get_json(client, LIST)["results"][0]["published_at"] == "2024-07-01T09:15:00+03:00"


def test_lead_image_lists_the_renditions_the_pages_use(client, full_article):
    image = get_json(client, f"/api/v1/articles/{full_article.pk}/")["lead_image"]
    base = "http://testserver/media/renditions/lead/2024/03/abc_4000x3000"
    assert image["url"] == "http://testserver/media/lead/2024/03/abc_4000x3000.jpg"
    assert (image["width"], image["height"]) == (4000, 3000)
    assert image["alt"] == "قاعة القمة"
    assert image["caption"] == "القاعة قبل الافتتاح"
    assert image["credit"] == "تصوير: الصحيفة"
    assert image["focal_point"] == {"x": 0.25, "y": 0.5}
    widths = sorted({r["width"] for r in image["renditions"]})
    assert widths == [320, 640, 960, 1280, 1920]
    assert {r["type"] for r in image["renditions"]} == {"image/webp", "image/jpeg"}
    assert {"url": f"{base}/w640.webp", "width": 640, "height": 480, "type": "image/webp"} in (
        image["renditions"]
    )
    assert all(r["url"].startswith(f"{base}/card-f25-50-") for r in image["cards"])
    assert {r["height"] * 16 == r["width"] * 9 for r in image["cards"]} == {True}
    assert image["share"] == {
        "url": f"{base}/share-f25-50-w1200.jpg",
        "width": 1200,
        "height": 630,
        "type": "image/jpeg",
    }


def test_list_items_are_the_detail_without_body_and_corrections(client, full_article):
    listed = get_json(client, LIST)["results"]
    detail = get_json(client, f"/api/v1/articles/{full_article.pk}/")
    assert len(listed) == 1
    assert listed[0] == {k: v for k, v in detail.items() if k not in {"body_html", "corrections"}}


STAFF_KEYS = {
    "status",
    "version",
    "created_by",
    "updated_by",
    "created_at",
    "search_text",
    "search_vector",
    "legacy_key",
    "user",
    "email",
    "username",
    "notes",
    "editorial_notes",
    "transitions",
    "revisions",
    "autosaves",
    "expires_at",
}


def _keys(data):
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_only_published_articles_ever_appear(
    client, make_article, make_author, make_tag, make_user, make_section
):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    section = make_section()
    hidden_author = make_author(name="كاتب لم ينشر بعد")
    hidden_tag = make_tag("وسم سري")
    shown = make_article(headline="منشور", section=section)
    hidden = [
        make_article(headline="مسودة", status=Status.DRAFT, published_at=None),
        make_article(headline="قيد المراجعة", status=Status.IN_REVIEW, published_at=None),
        make_article(headline="معاد", status=Status.RETURNED, published_at=now - hour),
        make_article(headline="ألغي نشره", status=Status.UNPUBLISHED, published_at=now - hour),
        make_article(headline="مجدول", published_at=now + hour),
        make_article(headline="منتهي", published_at=now - 2 * hour, expires_at=now - hour),
    ]
    for article in hidden:
        Byline.objects.create(article=article, author=hidden_author)
        article.tags.add(hidden_tag)
    editor = make_user("editor")
    EditorialNote.objects.create(article=shown, text="ملاحظة داخلية سرية", created_by=editor)
    Transition.objects.create(
        article=shown, to_status=Status.PUBLISHED, note="ملاحظة انتقال", created_by=editor
    )
    shown.created_by = shown.updated_by = editor
    shown.save()

    listed, _ = walk(client, f"{LIST}?limit=2")
    assert [a["headline"] for a in listed] == ["منشور"]
    for article in hidden:
        error = get_json(client, f"/api/v1/articles/{article.pk}/", status=404)
        assert error["message"] == "لا يوجد مقال منشور بهذا الرقم."
    for url in [f"{LIST}?section={s}" for s in {a.section.slug for a in hidden}] + [
        f"{LIST}?q=مسودة",
        f"{LIST}?author={hidden_author.slug}",
        f"{LIST}?tag={hidden_tag.slug}",
    ]:
        assert get_json(client, url)["results"] == []
    # Tags and authors of unpublished stories are not listed before the stories are.
    assert "وسم سري" not in json.dumps(get_json(client, "/api/v1/tags/"), ensure_ascii=False)
    authors = json.dumps(get_json(client, "/api/v1/authors/"), ensure_ascii=False)
    assert "كاتب لم ينشر بعد" not in authors

    every = [
        get_json(client, f"/api/v1/articles/{shown.pk}/"),
        get_json(client, LIST),
        get_json(client, "/api/v1/authors/"),
        get_json(client, "/api/v1/tags/"),
        get_json(client, "/api/v1/sections/"),
    ]
    text = json.dumps(every, ensure_ascii=False)
    assert "ملاحظة داخلية سرية" not in text and "ملاحظة انتقال" not in text
    assert editor.username not in text
    assert _keys(every) & STAFF_KEYS == set()


def test_an_article_leaves_the_api_when_it_expires_or_is_unpublished(client, make_article):
    article = make_article(expires_at=timezone.now() + datetime.timedelta(seconds=30))
    response = client.get(f"/api/v1/articles/{article.pk}/")
    # A CDN may not keep it past its expiry.
    assert "max-age=30" in response["Cache-Control"] or "max-age=29" in response["Cache-Control"]
    article.status = Status.UNPUBLISHED
    article.save()
    get_json(client, f"/api/v1/articles/{article.pk}/", status=404)
    assert get_json(client, LIST)["results"] == []


def test_authors_show_public_fields_only(client, make_article, make_author, make_user):
    writer = make_user("writer")
    writer.author.bio = "صحفية في قسم الأخبار."
    writer.author.save()
    make_article(authors=[writer.author, make_author(name="ب")])
    results = get_json(client, "/api/v1/authors/")["results"]
    assert {a["name"] for a in results} == {"الكاتب " + writer.username, "ب"}
    mine = next(a for a in results if a["slug"] == writer.author.slug)
    assert set(mine) == {"name", "slug", "url", "bio", "photo"}
    assert mine["bio"] == "صحفية في قسم الأخبار."
    assert mine["photo"] is None


def test_filters_by_section_tag_author_and_day(
    client, make_article, make_section, make_tag, make_author
):
    news, sport = make_section(slug="أخبار"), make_section(slug="رياضة")
    tag, author = make_tag("الانتخابات"), make_author(slug="منى")
    # 23:30 in Cairo on the 28th is 21:30 UTC: still the 28th for the newspaper.
    late = make_article(section=news, tags=[tag], published_at=cairo(2024, 3, 28, 23, 30))
    Byline.objects.create(article=late, author=author)
    early = make_article(section=sport, published_at=cairo(2024, 3, 29, 0, 30))
    older = make_article(section=news, published_at=cairo(2024, 3, 1, 8, 0))

    def ids(query):
        return [a["id"] for a in get_json(client, f"{LIST}?{query}")["results"]]

    assert ids("") == [early.pk, late.pk, older.pk]
    assert ids("section=أخبار") == [late.pk, older.pk]
    assert ids("section=%D8%B1%D9%8A%D8%A7%D8%B6%D8%A9") == [early.pk]
    assert ids(f"tag={tag.slug}") == [late.pk]
    assert ids("author=منى") == [late.pk]
    assert ids("from=2024-03-28&to=2024-03-28") == [late.pk]
    assert ids("from=2024-03-29") == [early.pk]
    assert ids("to=2024-03-27") == [older.pk]
    assert ids("from=2024-03-29&to=2024-03-01") == []
    assert ids("section=أخبار&from=2024-03-02") == [late.pk]
    # Dates at the ends of the calendar leave that end open instead of failing.
    assert ids("from=0001-01-01&to=9999-12-31") == [early.pk, late.pk, older.pk]


def test_search_uses_the_sites_arabic_matching(client, make_article):
    found = make_article(headline="مؤتمر الدولى للطاقة", body="<p>الذى عقد أمس</p>")
    make_article(headline="مباراة كرة القدم")
    for query in ["الدولي", "المؤتمر الدولي", "الذي", "والدولية"]:
        results = get_json(client, f"{LIST}?q={query}")["results"]
        assert [a["id"] for a in results] == [found.pk], query
    assert get_json(client, f"{LIST}?q=!!! ...")["results"] == []
    assert get_json(client, f"{LIST}?q=")["results"] != []  # an empty q is no filter


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=99999999999999999999999", "limit"),
        ("limit=abc", "limit"),
        ("from=2024-02-30", "from"),
        ("to=28-03-2024", "to"),
        ("from=%00", "from"),
        ("section=a%20b", "section"),
        ("tag=%3Cscript%3E", "tag"),
        ("author=" + "ا" * 151, "author"),
        ("q=%00", "q"),
        ("cursor=!!!", "cursor"),
        ("cursor=e30", "cursor"),  # {}
        ("cursor=WzEsMl0", "cursor"),  # [1,2]
        ("cursor=WyIyMDI0LTAzLTI4VDEyOjAwOjAwIiwxXQ", "cursor"),  # naive time
        ("cursor=WyIyMDI0LTAzLTI4VDEyOjAwOjAwWiIsMWUzMDBd", "cursor"),  # id 1e300
        ("cursor=WyIyMDI0LTAzLTI4VDEyOjAwOjAwWiIsOTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ", "cursor"),
        ("cursor=" + "A" * 201, "cursor"),
        ("cursor=WyI5OTk5LTEyLTMxVDIzOjU5OjU5LTIzOjU5IiwxXQ", "cursor"),  # past year 9999 in UTC
        ("cursor=WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzIzOjU5IiwxXQ", "cursor"),  # before year 1 in UTC
    ],
)
def test_bad_parameters_are_a_400_in_arabic(client, db, query, field):
    error = get_json(client, f"{LIST}?{query}", status=400)
    assert error["status"] == 400 and error["code"] == "invalid"
    assert error["message"] == "معاملات الطلب غير صالحة."
    assert list(error["fields"]) == [field]
    assert error["fields"][field][0]
    if field in {"section", "tag"}:  # (the long author slug gets DRF's Arabic length message)
        assert error["fields"][field] == ["المعرّف غير صالح: حروف وأرقام وشرطات فقط."]
    assert client.get(f"{LIST}?{query}")["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"{LIST}?section=لا-يوجد", "لا يوجد قسم بهذا المعرّف."),
        (f"{LIST}?tag=لا-يوجد", "لا يوجد وسم بهذا المعرّف."),
        (f"{LIST}?author=لا-يوجد", "لا يوجد كاتب بهذا المعرّف."),
        ("/api/v1/articles/999999/", "لا يوجد مقال منشور بهذا الرقم."),
        ("/api/v1/articles/99999999999999999999999999/", "لا يوجد مقال منشور بهذا الرقم."),
        ("/api/v1/nothing/", "لا توجد واجهة بهذا العنوان."),
        ("/api/v2/articles/", "لا توجد واجهة بهذا العنوان."),
    ],
)
def test_unknown_things_are_a_json_404(client, db, url, message):
    error = get_json(client, url, status=404)
    assert error == {"status": 404, "code": "not_found", "message": message}


def test_a_missing_final_slash_is_redirected(client, db):
    response = client.get("/api/v1/articles?limit=5&section=%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1")
    assert response.status_code == 301
    assert (
        response["Location"] == "/api/v1/articles/?limit=5&section=%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1"
    )
    assert client.get("/api/v1/nothing").status_code == 404


def test_the_api_is_read_only(client, make_article):
    article = make_article()
    for method in ("post", "put", "patch", "delete"):
        for url in (LIST, f"/api/v1/articles/{article.pk}/", "/api/v1/masthead/"):
            response = getattr(client, method)(url, data="{}", content_type="application/json")
            assert response.status_code == 405
            assert response.json()["code"] == "method_not_allowed"
            assert "للقراءة فقط" in response.json()["message"]
    assert Article.objects.get().version == article.version


def test_masthead_as_of_a_date(client, roles, make_term):
    make_term(
        roles["chairman"], "الرئيس الأول", datetime.date(2020, 1, 1), datetime.date(2024, 3, 27)
    )
    make_term(roles["chairman"], "الرئيس الثاني", datetime.date(2024, 3, 28))
    make_term(roles["editor"], "رئيس التحرير", datetime.date(2019, 1, 1))
    data = get_json(client, "/api/v1/masthead/?date=2024-03-28")
    assert data == {
        "date": "2024-03-28",
        "masthead": [
            {
                "role": "رئيس مجلس الإدارة",
                "name": "الرئيس الثاني",
                "starts_on": "2024-03-28",
                "ends_on": None,
            },
            {
                "role": "رئيس التحرير",
                "name": "رئيس التحرير",
                "starts_on": "2019-01-01",
                "ends_on": None,
            },
        ],
    }
    earlier = get_json(client, "/api/v1/masthead/?date=2024-03-27")["masthead"]
    assert earlier[0]["name"] == "الرئيس الأول" and earlier[0]["ends_on"] == "2024-03-27"
    assert get_json(client, "/api/v1/masthead/?date=2018-01-01")["masthead"] == []
    today = get_json(client, "/api/v1/masthead/")
    assert today["date"] == timezone.localdate().isoformat()
    assert [m["name"] for m in today["masthead"]] == ["الرئيس الثاني", "رئيس التحرير"]
    error = get_json(client, "/api/v1/masthead/?date=yesterday", status=400)
    assert list(error["fields"]) == ["date"]


def test_sections_in_their_order(client, make_section):
    make_section(name="رياضة", slug="رياضة", position=2)
    make_section(name="أخبار", slug="أخبار", position=1, description="أخبار اليوم")
    results = get_json(client, "/api/v1/sections/")["results"]
    assert [(s["name"], s["position"]) for s in results] == [("أخبار", 1), ("رياضة", 2)]
    assert results[0]["description"] == "أخبار اليوم"


def test_root_and_openapi_and_docs(client, db):
    links = get_json(client, "/api/v1/")["links"]
    assert links["openapi"] == "http://testserver/api/v1/openapi.json"
    response = client.get("/api/v1/openapi.json")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/sections/",
        "/api/v1/tags/",
        "/api/v1/authors/",
        "/api/v1/masthead/",
    }
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Served from our own static files, with no inline script or style (a strict CSP holds).
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style" not in html and "https://" not in html
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/openapi.json" in script.content
