"""Revisions of articles with django-reversion: what is kept, how two are compared and restored.

django-reversion stores every admin save as a revision (the article with its bylines and
tags). The comparison is ours: one readable, right-to-left, word-level diff per field, which
no maintained package offers for rich-text Arabic bodies.
"""

import difflib
import html
import re

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from reversion.models import Version

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Section,
    Tag,
)

from .services import article_save

# Workflow fields stay as they are when old content is restored: restoring text must not
# publish, unpublish or reschedule an article behind the state machine's back.
KEPT_ON_RESTORE = ["status", "published_at", "expires_at", "version", "created_by_id"]
# Nor are the row's identity, its stamps (the save sets them) and its import key.
NOT_RESTORED = {*KEPT_ON_RESTORE, "id", "created_at", "updated_at", "updated_by_id", "legacy_key"}
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|div)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def register_models():
    if reversion.is_registered(Article):
        return
    # Derived search columns are rebuilt by workflow.services; they are not content.
    reversion.register(Article, exclude=["search_text", "search_vector"], follow=["bylines"])
    reversion.register(Byline)
    # Corrections are public record: restoring old article text never removes one, so they
    # have their own history instead of following the article.
    reversion.register(Correction)


def versions_of(article):
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def version_for_number(article, number):
    """The stored revision in which the article had version number ``number``, if any."""
    for version in versions_of(article):
        if version.field_dict.get("version") == number:
            return version
    return None


def body_text(body):
    """The body as plain text, one paragraph a line, for comparing."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", body or "")))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def snapshot(version):
    """The comparable fields of one article version, as labelled plain text."""
    fields = version.field_dict
    byline_type = ContentType.objects.get_for_model(Byline)
    bylines = sorted(
        (v.field_dict for v in version.revision.version_set.filter(content_type=byline_type)),
        key=lambda byline: (byline["position"], byline["id"]),
    )
    authors = Author.objects.in_bulk([byline["author_id"] for byline in bylines])
    tags = Tag.objects.in_bulk(fields.get("tags") or [])
    section = Section.objects.filter(pk=fields.get("section_id")).first()
    status = Article.Status(fields["status"]).label if fields.get("status") else ""
    return [
        ("العنوان", fields.get("headline", "")),
        ("العنوان الفرعي", fields.get("kicker", "")),
        ("القسم", str(section or "")),
        ("الكتّاب", "، ".join(str(authors.get(b["author_id"], "")) for b in bylines)),
        ("وكالة الأنباء", fields.get("agency_credit", "")),
        ("الموجز", fields.get("summary", "")),
        ("النص", body_text(fields.get("body", ""))),
        ("الوسوم", "، ".join(sorted(str(tag) for tag in tags.values()))),
        ("الحالة", status),
        ("وقت النشر", str(fields.get("published_at") or "")),
        ("ينتهي عرضه في", str(fields.get("expires_at") or "")),
        ("المعرّف في الرابط", fields.get("slug", "")),
        ("تعليق الصورة", fields.get("lead_image_caption", "")),
        ("النص البديل للصورة", fields.get("lead_image_alt", "")),
    ]


def _words(text):
    return re.findall(r"\n|[^\s]+", text)


def _join(words):
    return " ".join(words).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


def inline_diff(old, new):
    """Words removed in <del>, words added in <ins>, the rest as it was; all escaped.

    Compares word by word (paragraph breaks count as words), so a changed phrase shows as
    one removed and one added run rather than a patchwork of letters.
    """
    a, b = _words(old), _words(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(_join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(_join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(_join(b[j1:j2]))}</ins>")
    html = " ".join(parts).replace(" \n", "\n").replace("\n ", "\n")
    html = re.sub(r"\n(</(?:ins|del)>) ", r"\n\1", html)
    return mark_safe(html)  # every piece above is escaped


def compare(old_version, new_version):
    """Rows (label, diff html, changed) for every field of two versions."""
    rows = []
    for (label, old), (_, new) in zip(snapshot(old_version), snapshot(new_version), strict=True):
        rows.append((label, inline_diff(old, new), old != new))
    return rows


@transaction.atomic
def restore(version, *, user):
    """Bring back an old version's content as a new revision; workflow fields stay current.

    Only the article, its byline and its tags are put back (not whatever else was saved in the
    same revision, such as a correction). Authors and tags deleted since are left out.
    """
    article = Article.objects.select_for_update().get(pk=version.object_id)
    fields = version.field_dict
    for field in Article._meta.concrete_fields:
        if field.attname in fields and field.attname not in NOT_RESTORED:
            setattr(article, field.attname, fields[field.attname])
    byline_type = ContentType.objects.get_for_model(Byline)
    bylines = sorted(
        (v.field_dict for v in version.revision.version_set.filter(content_type=byline_type)),
        key=lambda byline: (byline["position"], byline["id"]),
    )
    existing = set(
        Author.objects.filter(pk__in=[b["author_id"] for b in bylines]).values_list("pk", flat=True)
    )
    return article_save(
        article=article,
        user=user,
        authors=[b["author_id"] for b in bylines if b["author_id"] in existing],
        tags=Tag.objects.filter(pk__in=fields.get("tags") or []),
        comment=f"استُعيدت نسخة {localtime(version.revision.date_created):%Y-%m-%d %H:%M}",
    )
