"""Every role against every action, through the real admin views, with forged requests.

The forms a writer sees lack the buttons and fields for what they may not do; these tests
post the requests anyway and check the database did not change.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Author, Byline, Correction, MastheadTerm, Section, Tag
from tests.workflow_helpers import article_data, change_url

Status = Article.Status
ROLES = ["writer", "editor", "admin"]
ALL, EDITORS, ADMINS = set(ROLES), {"editor", "admin"}, {"admin"}


@pytest.fixture
def desk(client, make_user, make_article, make_section, roles):
    """A logged-in user of a role, with helpers to make their own and a colleague's articles."""

    class Desk:
        def login(self, role):
            self.user = make_user(role)
            self.colleague = make_user("writer")
            client.force_login(self.user)
            self.client = client
            self.section = make_section()
            self.roles = roles

        def own(self, status, **fields):
            if status == Status.PUBLISHED:
                fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
            else:
                fields.setdefault("published_at", None)
            article = make_article(status=status, created_by=self.user, **fields)
            author = getattr(self.user, "author", None)
            if author is not None:
                Byline.objects.create(article=article, author=author)
            return article

        def others(self, status):
            article = make_article(status=status, published_at=None, created_by=self.colleague)
            Byline.objects.create(article=article, author=self.colleague.author)
            return article

    return Desk()


def post_change(desk, article, **overrides):
    return desk.client.post(change_url(article), article_data(article, **overrides))


def reload(article):
    return Article.objects.filter(pk=article.pk).first()


def act_add(desk):
    response = desk.client.post(
        "/admin/articles/article/add/", article_data(section=desk.section, headline="مقال مضاف")
    )
    return response, Article.objects.filter(headline="مقال مضاف").exists()


def act_change_own(desk):
    article = desk.own(Status.DRAFT)
    response = post_change(desk, article, headline="عنوان معدّل")
    return response, reload(article).headline == "عنوان معدّل"


def act_change_others(desk):
    article = desk.others(Status.DRAFT)
    response = post_change(desk, article, headline="عنوان معدّل")
    return response, reload(article).headline == "عنوان معدّل"


def act_change_own_in_review(desk):
    article = desk.own(Status.IN_REVIEW)
    response = post_change(desk, article, headline="عنوان معدّل")
    return response, reload(article).headline == "عنوان معدّل"


def act_submit(desk):
    article = desk.own(Status.DRAFT)
    response = post_change(desk, article, status=Status.IN_REVIEW)
    return response, reload(article).status == Status.IN_REVIEW


def act_publish(desk):
    article = desk.own(Status.DRAFT)
    response = post_change(desk, article, status=Status.PUBLISHED)
    return response, reload(article).status == Status.PUBLISHED


def act_schedule(desk):
    article = desk.own(Status.DRAFT)
    later = timezone.now() + datetime.timedelta(days=1)
    data = article_data(article, status=Status.PUBLISHED)
    data.update(
        {
            "published_at_0": timezone.localtime(later).strftime("%Y-%m-%d"),
            "published_at_1": timezone.localtime(later).strftime("%H:%M:%S"),
        }
    )
    response = desk.client.post(change_url(article), data)
    article = reload(article)
    return response, article.status == Status.PUBLISHED and article.is_scheduled


def act_return(desk):
    article = desk.others(Status.IN_REVIEW)
    response = post_change(desk, article, status=Status.RETURNED, transition_note="أضف المصدر")
    return response, reload(article).status == Status.RETURNED


def act_unpublish(desk):
    article = desk.own(Status.PUBLISHED)
    response = post_change(desk, article, status=Status.UNPUBLISHED)
    return response, reload(article).status == Status.UNPUBLISHED


def act_delete_own_draft(desk):
    article = desk.own(Status.DRAFT)
    response = desk.client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    return response, reload(article) is None


def act_delete_published(desk):
    article = desk.own(Status.PUBLISHED)
    response = desk.client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    return response, reload(article) is None


def act_bulk_delete(desk):
    article = desk.own(Status.PUBLISHED)
    response = desk.client.post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    return response, reload(article) is None


def act_masthead(desk):
    response = desk.client.post(
        "/admin/articles/mastheadterm/add/",
        {
            "role": desk.roles["editor"].pk,
            "person_name": "اسم جديد",
            "starts_on": "2030-01-01",
            "ends_on": "",
        },
    )
    return response, MastheadTerm.objects.filter(person_name="اسم جديد").exists()


def act_users(desk):
    response = desk.client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )
    return response, get_user_model().objects.filter(username="newcomer").exists()


def act_correction(desk):
    article = desk.own(Status.PUBLISHED)
    data = article_data(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "تصحيح من الاختبار",
        },
    )
    response = desk.client.post(change_url(article), data)
    return response, Correction.objects.filter(article=article).exists()


def act_share_link(desk):
    article = desk.own(Status.DRAFT)
    response = desk.client.post(f"/admin/articles/article/{article.pk}/share/", {"hours": "5"})
    messages = [str(m) for m in getattr(response.wsgi_request, "_messages", [])]
    return response, any("/preview/share/" in m for m in messages)


def act_tags(desk):
    response = desk.client.post(
        "/admin/articles/tag/add/", {"name": "وسم جديد", "slug": "وسم-جديد"}
    )
    return response, Tag.objects.filter(name="وسم جديد").exists()


def act_authors(desk):
    response = desk.client.post(
        "/admin/articles/author/add/",
        {"name": "كاتب جديد", "slug": "كاتب-جديد", "bio": "", "is_active": "on"},
    )
    return response, Author.objects.filter(name="كاتب جديد").exists()


def act_sections(desk):
    response = desk.client.post(
        "/admin/articles/section/add/",
        {"name": "قسم جديد", "slug": "قسم-جديد", "description": "", "position": "3"},
    )
    return response, Section.objects.filter(name="قسم جديد").exists()


# action -> (what it does, the roles allowed to do it)
MATRIX = {
    "add": (act_add, ALL),
    "change own draft": (act_change_own, ALL),
    "change own article in review": (act_change_own_in_review, EDITORS),
    "change another's article": (act_change_others, EDITORS),
    "submit for review": (act_submit, ALL),
    "publish now": (act_publish, EDITORS),
    "schedule": (act_schedule, EDITORS),
    "return with a note": (act_return, EDITORS),
    "unpublish": (act_unpublish, EDITORS),
    "delete own draft": (act_delete_own_draft, ALL),
    "delete published": (act_delete_published, EDITORS),
    "bulk delete": (act_bulk_delete, EDITORS),
    "add a correction": (act_correction, EDITORS),
    "create a share-preview link": (act_share_link, EDITORS),
    "manage tags": (act_tags, EDITORS),
    "manage authors": (act_authors, EDITORS),
    "manage sections": (act_sections, EDITORS),
    "masthead": (act_masthead, ADMINS),
    "staff accounts": (act_users, ADMINS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(desk, role, action):
    perform, allowed_roles = MATRIX[action]
    desk.login(role)
    response, done = perform(desk)
    assert response.status_code in (200, 302, 403)
    if role in allowed_roles:
        assert done, f"{role} should be able to {action}"
        assert response.status_code == 302
    else:
        assert not done, f"{role} must not be able to {action}"
