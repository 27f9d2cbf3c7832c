"""Every admin page a writer, an editor or an admin can reach from the index speaks Arabic.

The walk starts at the index, as a new member of staff would: each app page, each list, each
add form, one change form and its history per model with a row, the password change page and
the two-factor pages. On each page the visible text (headings, labels, buttons, table headers,
help texts, option texts, titles) must hold no Latin-script word; what is not a label is left
out: code, link targets, the values people typed into fields, scripts and styles, e-mail
addresses and web addresses.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from lxml import html

from articles.models import Correction, MastheadTerm
from frontpage.models import BreakingNews, FrontPageSlot
from workflow.roles import ADMIN, EDITOR, WRITER, apply_roles

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Not labels: addresses people or the system wrote.
ADDRESS = re.compile(r"\S+@\S+|\b\w+://\S+|(?<![\w/])/[\w/.%-]*")
# Not shown, or not labels: <bdi> holds values (a password hash's digits, for one), <kbd> a
# key as printed on the keyboard (Ctrl, on Arabic keyboards too).
HIDDEN_TAGS = {"script", "style", "code", "pre", "noscript", "template", "textarea", "bdi", "kbd"}
BUTTON_TYPES = {"submit", "button", "reset"}
BOOLEAN_ICON = re.compile(r"/admin/img/icon-(yes|no|unknown)\.svg$")


def _hidden(element):
    classes = (element.get("class") or "").split()
    return (
        element.tag in HIDDEN_TAGS
        # A read-only field's value is data (what a login attempt posted, for one), not a label.
        or "readonly" in classes
        or element.get("hidden") is not None
        or "hidden" in classes  # the admin's display: none
    )


def latin_words(page, data=()):
    """The Latin-script words in the visible text of an HTML page, but for the ``data`` words."""
    tree = html.fromstring(page)
    texts = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if _hidden(element) or any(_hidden(ancestor) for ancestor in element.iterancestors()):
            continue
        if element.text:
            texts.append(element.text)
        if element.tag == "input" and element.get("type") in BUTTON_TYPES:
            texts.append(element.get("value") or "")
        for attribute in ("title", "placeholder", "aria-label", "alt"):
            texts.append(element.get(attribute) or "")
        if element.tag == "img" and BOOLEAN_ICON.search(element.get("src") or ""):
            texts.pop()  # Django writes str(True) as the alt text of its yes/no icons
        for child in element:
            if child.tail:
                texts.append(child.tail)
    found = []
    for text in texts:
        for word in LATIN_WORD.findall(ADDRESS.sub(" ", text)):
            if word not in data:
                found.append(word)
    return found


@pytest.fixture
def rows(db, make_article, make_author, make_tag, make_section, roles):
    """One row of every model the roles can open, named in Arabic like the newsroom's data."""
    if Group.objects.filter(name__in=[WRITER, EDITOR, ADMIN]).count() < 3:
        apply_roles(Group, Permission)
    article = make_article(authors=[make_author(name="منى")], tags=[make_tag("الصحة")])
    Correction.objects.create(article=article, text="صُحّح اسم الوزير.")
    MastheadTerm.objects.create(
        role=roles["editor"], person_name="سالم", starts_on=article.published_at.date()
    )
    BreakingNews.objects.create(
        text="عاجل: خبر", article=article, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    FrontPageSlot.objects.create(position=1, article=article)
    colleague = get_user_model().objects.create_user("زميلة", password="كلمة-سر-أخرى-2")
    TOTPDevice.objects.create(user=colleague, name="هاتف زميلة")
    StaticDevice.objects.create(user=colleague, name="رموز زميلة").token_set.create(token="abc")
    return article


def make_staff(django_user_model, role):
    # Arabic user names: a user name is data people typed, and Latin ones would hide labels.
    user = django_user_model.objects.create_user(
        {WRITER: "كاتبة", EDITOR: "محررة", ADMIN: "مديرة"}[role],
        password="كلمة-سر-طويلة-1",
        is_staff=True,
        first_name="سلمى",
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def pages_from_index(client):
    """The admin pages reachable from the index's app list, for the logged-in user."""
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    pages = [reverse("admin:index")]
    for app in index.context["app_list"]:
        pages.append(app["app_url"])
        for model in app["models"]:
            if model.get("admin_url"):
                pages.append(model["admin_url"])
            if model.get("add_url"):
                pages.append(model["add_url"])
            changelist = client.get(model["admin_url"]) if model.get("admin_url") else None
            objects = changelist.context["cl"].result_list if changelist else []
            if objects:
                info = (app["app_label"], model["object_name"].lower())
                pk = objects[0].pk
                pages.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
                pages.append(reverse("admin:{}_{}_history".format(*info), args=[pk]))
    pages += [
        reverse("admin:password_change"),
        reverse("admin:two_factor"),
        reverse("admin:two_factor_enrol"),
    ]
    return pages


@pytest.mark.parametrize("role", [WRITER, EDITOR, ADMIN], ids=["writer", "editor", "admin"])
def test_every_admin_page_a_role_opens_is_in_arabic(client, django_user_model, rows, role):
    user = make_staff(django_user_model, role)
    # A failed login, so that the lockout's records have rows to open.
    client.post(reverse("admin:login"), {"username": "زميلة", "password": "خطأ"})
    client.force_login(user)
    pages = pages_from_index(client)
    assert len(pages) > 5
    # Data, not labels: the site's domain, and what django-axes records of a login made
    # without a browser ("<unknown>" path and user agent).
    data = {Site.objects.get_current().domain, "unknown"}
    findings = []
    for url in dict.fromkeys(pages):
        response = client.get(url)
        assert response.status_code == 200, url
        words = latin_words(response.content, data)
        if words:
            findings.append(f"{url}: {' '.join(dict.fromkeys(words))}")
    assert not findings, "\n".join(findings)


def test_the_login_page_is_in_arabic(client, db):
    response = client.get(reverse("admin:login"))
    assert "رمز التحقق" in response.content.decode()
    assert latin_words(response.content) == []


def test_the_recovery_codes_page_is_in_arabic(client, django_user_model, rows):
    from tests.core.test_two_factor import enrol

    client.force_login(make_staff(django_user_model, EDITOR))
    response = enrol(client)
    assert "رموز الاسترداد" in response.content.decode()
    assert latin_words(response.content) == []


def test_the_walker_sees_english_labels():
    page = b"""<html><body><h1>Select article</h1><code>slug</code><a href="/x/">\xd9\x85</a>
    <input type="submit" value="Save"><input name="q" value="typed">
    <p>me@example.com https://example.com/a</p><script>var x;</script></body></html>"""
    assert latin_words(page) == ["Select", "article", "Save"]
