"""Form data for the article admin, as a browser would post it (shared by the workflow tests)."""

from django.utils import timezone

INLINE_PREFIXES = ["bylines", "corrections", "editorial_notes", "transitions"]


def split_datetime(name, value):
    if value is None:
        return {f"{name}_0": "", f"{name}_1": ""}
    local = timezone.localtime(value)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def article_data(article=None, *, section=None, **overrides):
    """The change (or add) form of ``article`` as loaded, with ``overrides`` applied."""
    data = {
        f"{prefix}-{key}": "0"
        for prefix in INLINE_PREFIXES
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    if article is None:
        data.update(
            {
                "headline": "خبر جديد من الديسك",
                "slug": "",
                "section": section.pk,
                "body": "<p>نص الخبر.</p>",
                "status": "draft",
                **split_datetime("published_at", None),
                **split_datetime("expires_at", None),
            }
        )
    else:
        bylines = list(article.bylines.all())
        data.update(
            {
                "headline": article.headline,
                "kicker": article.kicker,
                "slug": article.slug,
                "section": article.section_id,
                "agency_credit": article.agency_credit,
                "summary": article.summary,
                "body": article.body,
                "status": article.status,
                "tags": [tag.pk for tag in article.tags.all()],
                "lead_image_alt": article.lead_image_alt,
                "lead_image_caption": article.lead_image_caption,
                "lead_image_credit": article.lead_image_credit,
                "loaded_version": article.version,
                **split_datetime("published_at", article.published_at),
                **split_datetime("expires_at", article.expires_at),
                "bylines-TOTAL_FORMS": str(len(bylines)),
                "bylines-INITIAL_FORMS": str(len(bylines)),
            }
        )
        for number, byline in enumerate(bylines):
            data.update(
                {
                    f"bylines-{number}-id": byline.pk,
                    f"bylines-{number}-article": article.pk,
                    f"bylines-{number}-author": byline.author_id,
                    f"bylines-{number}-position": byline.position,
                }
            )
    data.update(overrides)
    return data


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"
