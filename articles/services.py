"""Domain writes beside the article itself: authors, tags, sections and the masthead.

Articles are written by ``workflow.services.article_save`` only. Each write here announces
what it changed through ``articles.events`` once its transaction commits.
"""

import hashlib

from django.contrib.sites.models import Site
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.html import escape

from .arabic import normalize
from .events import announce_content_change
from .models import Article, Author, MastheadRole, MastheadTerm, Section, Tag, arabic_slug
from .redirects import redirect_record
from .search import refresh_documents

# The pages (and their feeds) each listing model has under its slug, by URL name.
LISTING_URL_NAMES = {
    Section: ["section-detail", "section-feed", "section-feed-atom"],
    Tag: ["tag-detail", "tag-feed", "tag-feed-atom"],
    Author: ["author-detail", "author-feed", "author-feed-atom"],
}


def unique_slug(model, text):
    """Return a slug for ``text`` not yet taken in ``model``: ``name``, ``name-2``, ..."""
    base = arabic_slug(text, max_length=90) or "x"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _validate(instance):
    """``full_clean()``, leaving an empty slug out: ``save()`` derives it from the name."""
    instance.full_clean(exclude=None if getattr(instance, "slug", True) else ["slug"])


def author_get_or_create(*, name):
    """Return the author called ``name`` in any spelling, creating one if there is none."""
    author = Author.objects.filter(normalized_name=normalize(name)).order_by("id").first()
    if author is None:
        author = Author(name=name, slug=unique_slug(Author, name))
        author.full_clean()
        author.save()
        announce_content_change("articles.Author", [author.pk])
    return author


def _stored(instance, field):
    if instance.pk is None:
        return None
    return type(instance).objects.filter(pk=instance.pk).values_list(field, flat=True).first()


def _keep_old_addresses(instance, old_slug):
    """A changed slug leaves permanent redirects from the old page and feeds to the new."""
    if old_slug is None or old_slug == instance.slug:
        return
    site = Site.objects.get_current()
    for name in LISTING_URL_NAMES[type(instance)]:
        redirect_record(
            site=site,
            old_path=reverse(f"articles:{name}", kwargs={"slug": old_slug}),
            new_path=reverse(f"articles:{name}", kwargs={"slug": instance.slug}),
        )


@transaction.atomic
def _named_save(instance, relation):
    """Save an author or a tag; a new name is rewritten into the search documents using it."""
    model = type(instance)
    old_name, old_slug = _stored(instance, "name"), _stored(instance, "slug")
    _validate(instance)
    instance.save()
    if old_name is not None and old_name != instance.name:
        refresh_documents(Article.objects.filter(**{relation: instance}))
    _keep_old_addresses(instance, old_slug)
    announce_content_change(model._meta.label, [instance.pk])
    return instance


def author_save(*, author):
    """Save ``author``; if renamed, the articles under their name find them by the new one."""
    return _named_save(author, "authors")


def tag_save(*, tag):
    """Save ``tag``; if renamed, the articles carrying it are found by the new name."""
    return _named_save(tag, "tags")


@transaction.atomic
def content_save(*, instance):
    """Save a row of any other model readers see (a section, a masthead term) and announce it."""
    old_slug = _stored(instance, "slug") if type(instance) in LISTING_URL_NAMES else None
    _validate(instance)
    instance.save()
    _keep_old_addresses(instance, old_slug)
    announce_content_change(type(instance)._meta.label, [instance.pk])
    return instance


def content_delete(*, queryset):
    """Delete the rows of ``queryset`` (a model readers see) and announce them."""
    pks = list(queryset.values_list("pk", flat=True))
    queryset.delete()
    if pks:
        announce_content_change(queryset.model._meta.label, pks)


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
        announce_content_change("articles.Section", [section.pk])
    return section


def masthead_role_get_or_create(*, title):
    role = _find_by_spelling(MastheadRole.objects.all(), "title", title)
    if role is None:
        last = MastheadRole.objects.aggregate(last=Max("position"))["last"] or 0
        role = MastheadRole(title=title, position=last + 10)
        role.full_clean()
        role.save()
        announce_content_change("articles.MastheadRole", [role.pk])
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
            merged = after.pk
            after.delete()
            announce_content_change("articles.MastheadTerm", [merged])
        else:
            term.ends_on = day
    elif after_same:
        term = after
        term.starts_on = day
    else:
        term = MastheadTerm(role=role, person_name=person_name, starts_on=day, ends_on=day)
    term.full_clean()
    term.save()
    announce_content_change("articles.MastheadTerm", [term.pk])
    return ""


def paragraphs_html(paragraphs):
    """Return plain-text paragraphs as body HTML, each escaped in its own <p>."""
    return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def legacy_key(page):
    """Identify an imported page by its date and normalised headline."""
    text = f"{page.date.isoformat()}|{normalize(page.headline)}"
    return hashlib.sha256(text.encode()).hexdigest()
