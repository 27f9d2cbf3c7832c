"""The reader's search page: ``/search/?q=…&section=…&from=…&to=…&page=…``.

Whatever arrives in the query string, the answer is a page (200): bad filters are reported in
Arabic beside the form and ignored, an over-long query is cut, characters PostgreSQL cannot
store are dropped, and tsquery syntax is only ever searched for as text.
"""

import difflib
from urllib.parse import urlencode

from django import forms
from django.contrib.postgres.search import TrigramSimilarity
from django.shortcuts import render

from .arabic import normalize, to_western_digits
from .models import Article, Section, Tag
from .pagination import page_number
from .search import Highlighter, clean_query, query_words, run_search

PAGE_SIZE = 20
SUGGESTIONS = 5
# Similarity (0..1) from which a tag or section name is offered as "did you mean".
TAG_SIMILARITY = 0.3
SECTION_SIMILARITY = 0.6


class SearchForm(forms.Form):
    """Filters of the search page; the query itself is cleaned by ``articles.search``."""

    section = forms.ChoiceField(
        label="القسم",
        required=False,
        error_messages={"invalid_choice": "هذا القسم غير موجود؛ عُرضت النتائج من كل الأقسام."},
    )
    date_from = forms.DateField(
        label="من تاريخ",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "تاريخ البداية غير صحيح؛ اكتبه بالصيغة 2024-03-28."},
    )
    date_to = forms.DateField(
        label="إلى تاريخ",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "تاريخ النهاية غير صحيح؛ اكتبه بالصيغة 2024-03-28."},
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "كل الأقسام")] + [
            (section.slug, section.name) for section in sections
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            del cleaned["date_from"], cleaned["date_to"]
            raise forms.ValidationError("تاريخ البداية بعد تاريخ النهاية؛ عُرضت النتائج بلا تحديد.")
        return cleaned


def _param(request, name):
    return to_western_digits(clean_query(request.GET.get(name, "")))


def _page_url(query, filters, page):
    params = {"q": query}
    if filters.get("section"):
        params["section"] = filters["section"]
    if filters.get("date_from"):
        params["from"] = filters["date_from"].isoformat()
    if filters.get("date_to"):
        params["to"] = filters["date_to"].isoformat()
    if page > 1:
        params["page"] = page
    return "?" + urlencode(params)


def _suggestions(sections, words):
    """Tags and sections spelled close to the query's words, and the latest articles."""
    phrase = " ".join(words)
    tags = list(
        Tag.objects.annotate(similarity=TrigramSimilarity("normalized_name", phrase))
        .filter(similarity__gte=TAG_SIMILARITY)
        .order_by("-similarity", "name")[:SUGGESTIONS]
    )
    # The few sections are already loaded for the filter: compare them here, no extra query.
    near_sections = [
        section
        for section in sections
        if any(
            difflib.SequenceMatcher(None, normalize(section.name), word).ratio()
            >= SECTION_SIMILARITY
            for word in words
        )
    ]
    latest = list(Article.objects.published().for_readers().select_related("section")[:SUGGESTIONS])
    return {"tags": tags, "sections": near_sections, "latest": latest}


def search(request):
    sections = list(Section.objects.all())
    query = clean_query(request.GET.get("q", ""))
    form = SearchForm(
        data={
            "section": _param(request, "section"),
            "date_from": _param(request, "from"),
            "date_to": _param(request, "to"),
        },
        sections=sections,
    )
    form.is_valid()  # invalid filters are reported on the page and left out below
    filters = form.cleaned_data
    words = query_words(query)
    page = page_number(_param(request, "page"), forgiving=True)
    context = {
        "query": query,
        "words": words,
        "form": form,
        "sections": sections,
        "selected_section": filters.get("section", ""),
        "date_from": filters.get("date_from"),
        "date_to": filters.get("date_to"),
        "page_number": page,
        "searched": bool(words),
        "results": [],
    }
    if words:
        articles = Article.objects.published().for_readers().for_listing()
        if filters.get("section"):
            # The form only accepts the slug of one of these sections.
            chosen = next(s for s in sections if s.slug == filters["section"])
            articles = articles.in_section(chosen)
        articles = articles.published_between(filters.get("date_from"), filters.get("date_to"))
        found, matched_all = run_search(articles, words, page=page, per_page=PAGE_SIZE)
        results = found.object_list
        highlighter = Highlighter(words)
        for article in results:
            article.headline_html = highlighter.highlight(article.headline)
            article.snippet_html = highlighter.article_snippet(article)
        context.update(
            results=results,
            matched_all=matched_all,
            first_rank=(page - 1) * PAGE_SIZE + 1,
            next_url=_page_url(query, filters, page + 1) if found.has_next() else "",
            previous_url=_page_url(query, filters, page - 1) if found.has_previous() else "",
        )
        if not results:
            context["suggestions"] = _suggestions(sections, words)
    return render(request, "articles/search.html", context)
