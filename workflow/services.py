"""The one way an article is written: by the desk, by a command, by a restore.

``article_save`` holds everything one save of an article means (the version check, the row,
its byline and tags, its search document, the workflow's record, a revision) in one
transaction, and announces the change once, after commit, through ``articles.events``.
"""

import datetime
from urllib.parse import urlsplit

import reversion
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone

from articles.events import ArticleChange, announce_article_change
from articles.models import Article, Byline
from articles.redirects import redirect_record
from articles.search import refresh_documents
from articles.services import (
    author_get_or_create,
    legacy_key,
    masthead_term_record,
    paragraphs_html,
    section_get_or_create,
)

from .models import Autosave, Transition

CONFLICT_MESSAGE = (
    "لم يُحفظ تعديلك: عدّل شخص آخر هذا المقال بعد أن فتحته. "
    "نصّك ما زال في النموذج أدناه؛ راجع ما تغيّر ثم انقل تعديلك إلى النسخة الحالية."
)
_Tagging = Article.tags.through
# What a save compares before and after, read from the locked row.
_STATE_FIELDS = [
    "version", "section_id", "status", "published_at", "expires_at", "lead_image",
    "lead_image_focal_x", "lead_image_focal_y",
]  # fmt: skip


class VersionConflict(ValidationError):
    """Someone saved the article after the version this edit started from."""

    def __init__(self, loaded):
        super().__init__(CONFLICT_MESSAGE, code="version_conflict")
        self.loaded = loaded


def _is_public(status, published_at, expires_at, now):
    # The rule of ArticleQuerySet.published(), for a row as it was or is.
    return (
        status == Article.Status.PUBLISHED
        and published_at is not None
        and published_at <= now
        and (expires_at is None or expires_at > now)
    )


def article_lock(*, article_id, loaded_version=None):
    """Lock the stored article until the transaction ends and return what it was then.

    With ``loaded_version``, raise VersionConflict unless that is still the stored version:
    of two saves started from the same version, the second waits for the first and fails.
    """
    state = (
        Article.objects.select_for_update()
        .filter(pk=article_id)
        .annotate(
            tag_ids=ArraySubquery(
                _Tagging.objects.filter(article_id=OuterRef("pk")).values("tag_id")
            ),
            author_ids=ArraySubquery(
                Byline.objects.filter(article_id=OuterRef("pk"))
                .order_by("position", "id")
                .values("author_id")
            ),
            author_roles=ArraySubquery(
                Byline.objects.filter(article_id=OuterRef("pk"))
                .order_by("position", "id")
                .values("role")
            ),
        )
        .values(*_STATE_FIELDS, "tag_ids", "author_ids", "author_roles")
        .get()
    )
    state["credits"] = list(zip(state["author_ids"], state["author_roles"], strict=True))
    if loaded_version is not None and loaded_version != state["version"]:
        raise VersionConflict(loaded_version)
    return state


# A new article "was" nothing: no state, section, photo, tags or authors.
_NEW = {**dict.fromkeys(_STATE_FIELDS), "status": "", "lead_image": ""}
_NEW.update(tag_ids=[], author_ids=[], credits=[])


def _write_byline(article, old_credits, new_credits):
    """Make the byline ``new_credits``: (author id, role) pairs in order."""
    if old_credits == new_credits:
        return
    kept = [credit for credit in old_credits if credit in new_credits]
    for author_id, role in old_credits:
        if (author_id, role) not in new_credits:
            Byline.objects.filter(article=article, author_id=author_id, role=role).delete()
    if kept != [credit for credit in new_credits if credit in kept]:
        # The order changed: move the kept rows, apart from the ones being added.
        for position, (author_id, role) in enumerate(new_credits):
            if (author_id, role) in kept:
                Byline.objects.filter(article=article, author_id=author_id, role=role).update(
                    position=position
                )
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, role=role, position=position)
        for position, (author_id, role) in enumerate(new_credits)
        if (author_id, role) not in old_credits
    )


def _write_tags(article, old_ids, new_ids):
    removed, added = old_ids - new_ids, new_ids - old_ids
    if removed:
        _Tagging.objects.filter(article=article, tag_id__in=removed).delete()
    if added:
        _Tagging.objects.bulk_create(_Tagging(article=article, tag_id=pk) for pk in added)


def _ids(objects):
    return [getattr(item, "pk", item) for item in objects]


def _credits(authors):
    """(author id, role) pairs from authors (writers) or (author, role) pairs."""
    credits = []
    for item in authors:
        author, role = item if isinstance(item, tuple) else (item, Byline.Role.WRITER)
        credits.append((getattr(author, "pk", author), role or Byline.Role.WRITER))
    return credits


@transaction.atomic
def article_save(
    *,
    article,
    user=None,
    authors=None,
    tags=None,
    loaded_version=None,
    transition_note="",
    comment="",
    validated=False,
    locked=None,
):
    """Save ``article`` (new or changed) with its byline and tags; return it.

    ``authors`` (in byline order) and ``tags`` are rows or ids; None leaves them as stored.
    An item of ``authors`` may be an ``(author, role)`` pair (a photographer, say); a bare
    author is credited as a writer.
    ``loaded_version`` is the version the edit started from (checked when given). ``user``
    is recorded as the author of the change, its transition and its revision. ``validated``
    says the caller's ModelForm has already run the model's validation on these values.
    ``locked`` is what ``article_lock`` returned to the caller earlier in the same transaction
    (the admin's form checks the version that way), so the row is not locked and read twice.
    """
    created = article.pk is None
    if created:
        old = _NEW
    elif locked is not None:
        old = locked  # locked by the caller in this transaction, its version already checked
    else:
        old = article_lock(article_id=article.pk, loaded_version=loaded_version)
    credits = list(old["credits"] if authors is None else _credits(authors))
    author_ids = list(dict.fromkeys(author_id for author_id, _ in credits))
    tag_ids = frozenset(old["tag_ids"] if tags is None else _ids(tags))
    if len(set(credits)) != len(credits):
        raise ValidationError("ذُكر الكاتب نفسه مرتين بالدور نفسه في سطر الكتّاب.")
    if user is not None:
        if created:
            article.created_by = user
        article.updated_by = user
    if not validated:
        # An empty slug is derived from the headline by Article.save().
        article.full_clean(exclude=None if article.slug else ["slug"])
    # Inside this function's transaction already: no savepoint of its own.
    with reversion.create_revision(manage_manually=True, atomic=False):
        # Within the admin's own revision block this joins it (with the corrections saved in
        # the same request); alone, it is this save's revision.
        article.save()
        _write_byline(article, list(old["credits"]), credits)
        _write_tags(article, frozenset(old["tag_ids"]), tag_ids)
        article.search_text = refresh_documents(Article.objects.filter(pk=article.pk))[article.pk]
        if user is not None and article.status != old["status"]:
            # A person's move on the desk; an import or a restore of content moves no one's.
            Transition.objects.create(
                article=article,
                from_status=old["status"],
                to_status=article.status,
                note=transition_note,
                created_by=user,
            )
        if user is not None:
            Autosave.objects.filter(user=user, article=None if created else article).delete()
        # Added last, so the stored revision holds the byline and tags just written.
        reversion.add_to_revision(article)
        if user is not None:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
    now = timezone.now()
    announce_article_change(
        ArticleChange(
            article_id=article.pk,
            old_section_id=old["section_id"],
            new_section_id=article.section_id,
            old_tag_ids=frozenset(old["tag_ids"]),
            new_tag_ids=tag_ids,
            old_author_ids=tuple(dict.fromkeys(old["author_ids"])),
            new_author_ids=tuple(author_ids),
            was_public=_is_public(old["status"], old["published_at"], old["expires_at"], now),
            is_public=article.is_published,
            created=created,
            old_lead_image=old["lead_image"] or "",
            new_lead_image=article.lead_image.name or "",
            old_focal_point=(old["lead_image_focal_x"], old["lead_image_focal_y"]),
            new_focal_point=(article.lead_image_focal_x, article.lead_image_focal_y),
        )
    )
    return article


@transaction.atomic
def article_delete(*, article):
    """Delete ``article`` (its byline, tags and workflow records go with it) and announce it."""
    old = article_lock(article_id=article.pk)
    article_id = article.pk
    article.delete()
    now = timezone.now()
    announce_article_change(
        ArticleChange(
            article_id=article_id,
            old_section_id=old["section_id"],
            new_section_id=None,
            old_tag_ids=frozenset(old["tag_ids"]),
            old_author_ids=tuple(dict.fromkeys(old["author_ids"])),
            was_public=_is_public(old["status"], old["published_at"], old["expires_at"], now),
            deleted=True,
            old_lead_image=old["lead_image"] or "",
            old_focal_point=(old["lead_image_focal_x"], old["lead_image_focal_y"]),
        )
    )


def _keep_old_address(article, old_address):
    if not old_address:
        return
    # The old CMS's host is this newspaper's own: only the path (and query) is kept.
    parts = urlsplit(old_address.strip())
    old_path = parts.path + (f"?{parts.query}" if parts.query else "")
    redirect_record(
        site=Site.objects.get_current(), old_path=old_path, new_path=article.get_absolute_url()
    )


@transaction.atomic
def legacy_page_import(*, page, section_name, old_address=""):
    """Publish a parsed legacy page; return (article, created, warnings).

    ``old_address`` (the page's path, or URL, in the old CMS) is recorded as a permanent
    redirect to the article, also for a page imported before.
    """
    key = legacy_key(page)
    existing = Article.objects.filter(legacy_key=key).first()
    if existing is not None:
        _keep_old_address(existing, old_address)
        return existing, False, []

    warnings = []
    for role_title, person_name in page.masthead:
        warning = masthead_term_record(
            role_title=role_title, person_name=person_name, day=page.date
        )
        if warning:
            warnings.append(warning)

    noon = datetime.datetime.combine(page.date, datetime.time(12, 0))
    credits = []
    for names, role in (
        (page.authors, Byline.Role.WRITER),
        (page.photographers, Byline.Role.PHOTOGRAPHER),
    ):
        for name in names:
            credit = (author_get_or_create(name=name), role)
            if credit not in credits:
                credits.append(credit)
    article = article_save(
        article=Article(
            headline=page.headline,
            section=section_get_or_create(name=section_name),
            agency_credit=page.agency_credit,
            body=paragraphs_html(page.paragraphs),
            status=Article.Status.PUBLISHED,
            published_at=timezone.make_aware(noon),
            legacy_key=key,
        ),
        authors=credits,
        comment="استيراد من النظام القديم",
    )
    _keep_old_address(article, old_address)
    return article, True, warnings
