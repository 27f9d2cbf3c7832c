"""Query parameters of the API, checked by DRF serializers: a bad value is a 400 naming the
parameter, never a 500. The same classes describe the parameters in the OpenAPI schema."""

from rest_framework import serializers

from articles.search import clean_query, query_words

MAX_LIMIT = 100
DEFAULT_LIMIT = 20

_LIMIT_MESSAGES = {
    "min_value": "أقل عدد في الصفحة 1.",
    "max_value": f"أكبر عدد في الصفحة {MAX_LIMIT}.",
    "invalid": "اكتب عددًا صحيحًا.",
}
_DATE_MESSAGES = {"invalid": "اكتب التاريخ بالصيغة YYYY-MM-DD، مثل 2024-03-28."}
_SLUG_MESSAGES = dict.fromkeys(
    ["invalid", "invalid_unicode"], "المعرّف غير صالح: حروف وأرقام وشرطات فقط."
)


def _slug(help_text, max_length):
    return serializers.SlugField(
        required=False,
        allow_unicode=True,
        max_length=max_length,
        help_text=help_text,
        error_messages=_SLUG_MESSAGES,
    )


class CursorParams(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        error_messages=_LIMIT_MESSAGES,
    )
    cursor = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Opaque: copy it from the `next` URL of the previous page.",
    )


# ``from`` is a Python keyword, so this class is made with type() to name the field "from".
ArticleListParams = type(
    "ArticleListParams",
    (CursorParams,),
    {
        "__doc__": "Filters of the article list; all are optional and combine with AND.",
        "__module__": __name__,
        "section": _slug("A section's slug (see /api/v1/sections/).", 100),
        "tag": _slug("A tag's slug (see /api/v1/tags/).", 100),
        "author": _slug("An author's slug (see /api/v1/authors/).", 150),
        "from": serializers.DateField(
            required=False,
            help_text="First publication day (YYYY-MM-DD, in the newspaper's time zone).",
            error_messages=_DATE_MESSAGES,
        ),
        "to": serializers.DateField(
            required=False,
            help_text="Last publication day, included (YYYY-MM-DD).",
            error_messages=_DATE_MESSAGES,
        ),
        "q": serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=(
                "Search words, matched like the site's search (Arabic spelling variants and "
                "light stemming); every word must match. Results stay newest first."
            ),
        ),
    },
)


def search_words(raw):
    return query_words(clean_query(raw)) if raw else []


class MastheadParams(serializers.Serializer):
    date = serializers.DateField(
        required=False,
        help_text="The day (YYYY-MM-DD); default: today in the newspaper's time zone.",
        error_messages=_DATE_MESSAGES,
    )
