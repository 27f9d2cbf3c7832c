"""Writes that span several models: importing pages, recording the masthead."""

import datetime
import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape

from .arabic import normalize
from .models import (
    Article,
    Author,
    Byline,
    MastheadRole,
    MastheadTerm,
    Section,
    arabic_slug,
)
from .search import refresh_documents as refresh_search_documents


def unique_slug(model, text):
    """Return a slug for ``text`` not yet taken in ``model``: ``name``, ``name-2``, ..."""
    base = arabic_slug(text, max_length=90) or "x"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def author_get_or_create(*, name):
    """Return the author called ``name`` in any spelling, creating one if there is none."""
    author = Author.objects.filter(normalized_name=normalize(name)).order_by("id").first()
    if author is None:
        author = Author(name=name, slug=unique_slug(Author, name))
        author.full_clean()
        author.save()
    return author


def _find_by_spelling(queryset, field, text):
    """Return the row whose ``field`` is ``text`` in any spelling (for small tables)."""
    wanted = normalize(text)
    return next((row for row in queryset if normalize(getattr(row, field)) == wanted), None)


def section_get_or_create(*, name):
    section = _find_by_spelling(Section.objects.all(), "name", name)
    if section is None:
        section = Section(name=name, slug=unique_slug(Section, name))
        section.full_clean()
        section.save()
    return section


def masthead_role_get_or_create(*, title):
    role = _find_by_spelling(MastheadRole.objects.all(), "title", title)
    if role is None:
        last = MastheadRole.objects.aggregate(last=Max("position"))["last"] or 0
        role = MastheadRole(title=title, position=last + 10)
        role.full_clean()
        role.save()
    return role


def masthead_term_record(*, role_title, person_name, day):
    """Record that ``person_name`` held ``role_title`` on ``day``, as a printed page says.

    The neighbouring term of the same person grows to cover the day (so a run of imported
    pages becomes one term); otherwise a one-day term is added. A day already covered by
    someone else is left as recorded and reported. Returns a warning, or "".
    """
    role = masthead_role_get_or_create(title=role_title)
    terms = MastheadTerm.objects.filter(role=role).select_for_update()
    same_person = normalize(person_name)
    current = terms.in_force_on(day).first()
    if current is not None:
        if normalize(current.person_name) == same_person:
            return ""
        return (
            f"masthead: {role_title} on {day.isoformat()} is {current.person_name} in the "
            f"records, but the page prints {person_name}; the records were kept"
        )
    before = terms.filter(ends_on__lt=day).order_by("-ends_on").first()
    after = terms.filter(starts_on__gt=day).order_by("starts_on").first()
    before_same = before is not None and normalize(before.person_name) == same_person
    after_same = after is not None and normalize(after.person_name) == same_person
    if before_same:
        term = before
        if after_same:  # the day bridges two terms of the same person: make them one
            term.ends_on = after.ends_on
            after.delete()
        else:
            term.ends_on = day
    elif after_same:
        term = after
        term.starts_on = day
    else:
        term = MastheadTerm(role=role, person_name=person_name, starts_on=day, ends_on=day)
    term.full_clean()
    term.save()
    return ""


def paragraphs_html(paragraphs):
    """Return plain-text paragraphs as body HTML, each escaped in its own <p>."""
    return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def legacy_key(page):
    """Identify an imported page by its date and normalised headline."""
    text = f"{page.date.isoformat()}|{normalize(page.headline)}"
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def legacy_page_import(*, page, section_name):
    """Publish a parsed legacy page; return (article, created, warnings)."""
    key = legacy_key(page)
    existing = Article.objects.filter(legacy_key=key).first()
    if existing is not None:
        return existing, False, []

    warnings = []
    for role_title, person_name in page.masthead:
        warning = masthead_term_record(
            role_title=role_title, person_name=person_name, day=page.date
        )
        if warning:
            warnings.append(warning)

    noon = datetime.datetime.combine(page.date, datetime.time(12, 0))
    article = Article(
        headline=page.headline,
        section=section_get_or_create(name=section_name),
        agency_credit=page.agency_credit,
        body=paragraphs_html(page.paragraphs),
        status=Article.Status.PUBLISHED,
        published_at=timezone.make_aware(noon),
        legacy_key=key,
    )
    article.full_clean()
    article.save()
    credited = []
    for names, role in (
        (page.authors, Byline.Role.WRITER),
        (page.photographers, Byline.Role.PHOTOGRAPHER),
    ):
        for name in names:
            credit = (author_get_or_create(name=name), role)
            if credit not in credited:
                credited.append(credit)
    Byline.objects.bulk_create(
        Byline(article=article, author=author, role=role, position=position)
        for position, (author, role) in enumerate(credited)
    )
    refresh_search_documents(Article.objects.filter(pk=article.pk))  # bulk_create sends no signal
    return article, True, warnings
