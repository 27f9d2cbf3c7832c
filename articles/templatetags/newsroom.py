import datetime
import json
import math

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from hijridate import Gregorian

from articles.sanitize import plain_text

register = template.Library()

# Silent reading speed of adult readers of Arabic: 138 words a minute, the Arabic figure of
# the IReST study (Trauzettel-Klosinski et al., 2012). Lower than English (228) because
# Arabic words carry more letters and clitics.
ARABIC_WORDS_PER_MINUTE = 138

# Characters that could end the <script> element or open a comment inside it; JSON allows
# the \uXXXX forms in strings, so the data reads back unchanged.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.filter
def hijri(value):
    """Hijri (Umm al-Qura) date of a date or datetime, in Arabic: ``18 رمضان 1445 هـ``."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    try:
        day = Gregorian(value.year, value.month, value.day).to_hijri()
    except OverflowError:  # outside the Umm al-Qura tables (1924-2077)
        return ""
    return f"{day.day} {day.month_name('ar')} {day.year} {day.notation('ar')}"


def reading_minutes(html):
    words = len(plain_text(html).split())
    return max(1, math.ceil(words / ARABIC_WORDS_PER_MINUTE))


@register.filter
def reading_time(html):
    """Estimated reading time of an article body, in Arabic words (``3 دقائق``)."""
    minutes = reading_minutes(html)
    if minutes == 1:
        return "دقيقة واحدة"
    if minutes == 2:
        return "دقيقتان"
    if minutes <= 10:
        return f"{minutes} دقائق"
    return f"{minutes} دقيقة"


def json_ld(data):
    """Serialise ``data`` for a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))


def news_article(article, request, image=None):
    """The schema.org NewsArticle of ``article``, as a dict ready for json.dumps."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline,
        "description": article.summary_or_lead(),
        "inLanguage": "ar",
        "datePublished": article.published_at.isoformat(),
        # Never earlier than publication: an article written ahead and scheduled was last
        # saved before it appeared.
        "dateModified": max(article.updated_at, article.published_at).isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.ordered_authors()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSPAPER_NAME,
            "url": request.build_absolute_uri("/"),
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
                "width": 512,
                "height": 512,
            },
        },
    }
    if article.agency_credit:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.agency_credit}
    if image:
        picture = {"@type": "ImageObject", "url": image.url}
        if image.width:
            picture.update(width=image.width, height=image.height)
        data["image"] = [picture]
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": note.text,
            "datePublished": note.created_at.isoformat(),
        }
        for note in article.corrections.all()
        if note.kind == note.Kind.CORRECTION
    ]
    if corrections:
        data["correction"] = corrections
    return data


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article, image=None):
    """The article's JSON-LD, ready for its ``<script>``; ``image`` is its sharing image."""
    return json_ld(news_article(article, context["request"], image))
