"""Arabic full-text search: the stored search document, the query, and highlighted snippets.

Document and query go through the same two steps, so a reader finds an article whatever
spelling either of them used:

1. ``arabic.normalize()`` folds spelling variants (hamza forms, alef maksura, teh marbuta,
   tashkeel, tatweel, presentation forms, Arabic-Indic digits, ...).
2. ``stem()`` strips the clitics and inflectional suffixes of a normalised word (و، ب، ل، ف، ك
   and the definite article in front; ات، ون، ين، ه، ي ... behind).

PostgreSQL's own ``arabic`` text-search configuration is not used: it works on the raw
spelling, so it stems ``الدولى`` to ``دولي`` but ``الدولي`` to ``دول`` (measured, see README).
The vector is built with the ``simple`` configuration from words this module has already
normalised, and holds each word twice, as written (normalised) and as its stem: a query word
matches either, and an exact match counts twice, so it ranks above a match on the stem only.

A third tier, for the query only, reaches what stemming cannot: a word listed in
``articles/plurals.py`` (broken plurals, relational adjectives) is also looked for in its other
forms. Those results come after every exact or stem match (``ranked()``), and need no new
search documents, since the forms are looked up as the stored vectors already hold them.
"""

import functools
import itertools
import re
from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import mark_safe

from .arabic import normalize
from .pagination import paginate
from .plurals import other_forms
from .sanitize import escape_text, ltr_spans, plain_text

# Longest query honoured: the rest of a pasted page is ignored rather than refused.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12

# A word in normalised text. ``\w`` keeps Arabic letters and digits together, as PostgreSQL's
# parser does for the ``simple`` configuration.
_WORD = re.compile(r"\w+")
# A word in text as written: letters plus the combining marks (tashkeel, superscript alef,
# Quranic marks) that ``\w`` does not match, so ``الفائدةِ`` stays one word for highlighting.
_WRITTEN_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+")
# Characters PostgreSQL refuses in text (NUL) and halves of surrogate pairs, which cannot be
# encoded as UTF-8; they can arrive in a URL or a pasted query.
_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")

# Light stemming in the manner of Larkey, Ballesteros and Connell's "light10" (2007), adapted
# to text that ``normalize()`` has already folded (teh marbuta is heh, alef maksura is yeh).
# Written by hand after measuring the packages on tests/fixtures/search_eval.json (figures in
# README.md): the Snowball Arabic stemmer (``snowballstemmer``, maintained, and what
# PostgreSQL's ``arabic`` config runs) leaves prefix combinations such as وال/فال in place
# (والدوليه -> والدول) and finds 45 of 58; Tashaphyne's light stemmer finds 55 like this code
# but has had no release since 2022, is about 30 times slower, and collapses unrelated words
# (كلمه and فيلم both -> لم, بنك -> نك), which costs precision.
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")  # longest first
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")  # checked in this order


def stem(word):
    """Return the light stem of a normalised word (the word itself when too short to strip)."""
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


# Light10 leaves a lone ب/ل/ك/ف in front alone: it is as often the word's own first letter
# (بيان، لبنان، كتاب، فريق) as a preposition. So it is not stripped but offered as a second
# stem, on both sides, when at least four letters remain: لعلاج matches علاج, and كمهرجان
# matches مهرجان, while an exact or light-stem match still ranks above it.
_SINGLE_PREFIXES = frozenset("بلكف")
_MIN_AFTER_SINGLE_PREFIX = 4


@functools.lru_cache(maxsize=65536)  # a language's words repeat: indexing 200,000 articles
def stems(word):
    """The light stem of a normalised word, plus the stem without a lone ب/ل/ك/ف prefix."""
    found = {stem(word)}
    core = word[1:] if len(word) > 3 and word[0] == "و" else word
    if (
        core[:1] in _SINGLE_PREFIXES
        and not core.startswith(_PREFIXES)
        and len(core) - 1 >= _MIN_AFTER_SINGLE_PREFIX
    ):
        found.add(stem(core[1:]))
    return frozenset(found)


def words(normalised_text):
    return _WORD.findall(normalised_text)


def with_stems(normalised_text):
    """The text followed by the stems that differ from their word: what the vector indexes."""
    extra = [s for w in words(normalised_text) for s in sorted(stems(w)) if s != w]
    return " ".join([normalised_text, *extra]) if extra else normalised_text


def document(headline, kicker, summary, body, names=()):
    """Return ``(search_text, search_vector expression)`` for an article's fields.

    ``search_text`` is the normalised text (trigram index, admin search); the vector weighs
    the headline A; kicker, summary and ``names`` (the byline's authors, the tags) B; body C.
    """
    parts = (
        normalize(headline),
        normalize(" ".join([kicker, summary, *names])),
        normalize(plain_text(body)),
    )
    search_text = " ".join(part for part in parts if part)
    vector = None
    for part, weight in zip(parts, "ABC", strict=True):
        term = SearchVector(Value(with_stems(part)), weight=weight, config="simple")
        vector = term if vector is None else vector + term
    return search_text, vector


def refresh_documents(articles):
    """Rewrite the stored search document of each article in the queryset ``articles``.

    Reads the fields with the author and tag names in one query, then writes each row with
    ``update()``: no ``save()``, so neither the version nor the modification time changes.
    Works on the historical model in migrations too. Returns ``{pk: search_text}``.
    """
    rows = articles.annotate(
        author_names=ArrayAgg("authors__name", distinct=True),
        tag_names=ArrayAgg("tags__name", distinct=True),
    ).values_list("pk", "headline", "kicker", "summary", "body", "author_names", "tag_names")
    texts = {}
    for pk, headline, kicker, summary, body, author_names, tag_names in rows.iterator(
        chunk_size=500
    ):
        names = [name for name in [*(author_names or []), *(tag_names or [])] if name]
        texts[pk], vector = document(headline, kicker, summary, body, names)
        articles.model.objects.filter(pk=pk).update(search_text=texts[pk], search_vector=vector)
    return texts


def clean_query(raw):
    """The reader's query made safe to show and to search: no NUL, no lone surrogates, capped."""
    return _UNENCODABLE.sub("", raw or "").strip()[:MAX_QUERY_CHARS]


def query_words(raw):
    """The normalised words of a query, in order, without repeats, at most MAX_QUERY_WORDS."""
    seen = dict.fromkeys(words(normalize(clean_query(raw))))
    return list(seen)[:MAX_QUERY_WORDS]


# Clitics a listed form may carry in a query or an article: the light stemmer's prefixes
# plus a lone و/ب/ل/ف/ك. A lone letter is taken off only when three letters remain, so بحق
# (rightly) is not read as ب + حق.
_CLITICS = ("وال", "بال", "كال", "فال", "لل", "ال", "وب", "ول", "و", "ب", "ل", "ف", "ك")
_MIN_AFTER_LONE_CLITIC = 3


@functools.lru_cache(maxsize=4096)
def related_forms(word):
    """Tokens that find the other listed forms of the normalised ``word`` (see plurals.py).

    A form is looked for bare (its stored stem, so زوار finds زواره) and, where the stemmer
    would not reduce it to itself, with each clitic (البرلمان is stored as البرلمان and برلم).
    """

    def may_carry(clitic, rest):
        return len(rest) >= (_MIN_AFTER_LONE_CLITIC if len(clitic) == 1 else 2)

    cores = {word} | {
        word[len(clitic) :]
        for clitic in _CLITICS
        if word.startswith(clitic) and may_carry(clitic, word[len(clitic) :])
    }
    found = set()
    for core in cores:
        for form in other_forms(core):
            found.add(form)
            found.update(
                clitic + form
                for clitic in _CLITICS
                if may_carry(clitic, form) and form not in stems(clitic + form)
            )
    return frozenset(found - {word} - stems(word))


def _word_query(word, *, related=True):
    query = SearchQuery(word, config="simple", search_type="plain")
    extra = stems(word) - {word}
    if related:
        extra |= related_forms(word)
    for token in sorted(extra):
        query |= SearchQuery(token, config="simple", search_type="plain")
    return query


def build_query(query_word_list, *, match_all=True, related=True):
    """A tsquery: each word as written or as its stem; all words (or any word) must match.

    With ``related``, a word also matches the other forms plurals.py lists for it. Every word
    goes to PostgreSQL as a bound parameter through ``plainto_tsquery``, so tsquery syntax in
    the reader's input (``'&|!:*()``) is only ever text.
    """
    query = None
    for word in query_word_list:
        term = _word_query(word, related=related)
        if query is None:
            query = term
        else:
            query = query & term if match_all else query | term
    return query


# Ranking reads every matching vector, so a common word on a large archive (tens of thousands
# of matches) would cost seconds. Only the newest matches are ranked: found newest first by an
# index walk that stops after this many (or from the GIN index when matches are few). Measured
# in-process on 200,000 articles over 30 words: 1,000 ranked gave p50 652 ms / p95 1,378 ms,
# 300 gave 137 / 290, 200 gave 63 / 93. A reader looking for a common word wants recent
# articles (ten pages of them); older ones are reached with the date and section filters,
# which narrow the candidates before the cut.
MAX_RANKED = 200


# Most searches find their MAX_RANKED newest matches among recent articles. The walk above
# checks every row's stored vector newest first (6,000 rows for a word in 3% of articles);
# within a recent window the GIN index finds the matches instead, and the walk over older
# articles runs only when the window holds fewer than MAX_RANKED (PostgreSQL skips a LIMIT 0
# branch without reading it). The candidates are the same either way: the newest matches.
# Measured on 200,000 articles (36 a day) over the 30 benchmark words: the candidate query took
# 29-51 ms for words in 2-3% of articles with the walk alone, 3-4 ms with a 180-day window.
RECENT_WINDOW = timedelta(days=180)


def _newest_matches(queryset, query):
    """SQL for the pks of the MAX_RANKED newest articles of ``queryset`` matching ``query``.

    One statement (a CTE and a UNION ALL), so the page still costs one query; written as SQL
    because the ORM cannot make the older branch's LIMIT depend on the recent branch's count.
    """
    matches = queryset.filter(search_vector=query).order_by("-published_at", "-id").values("pk")
    cutoff = timezone.now() - RECENT_WINDOW
    recent_sql, recent_params = matches.filter(published_at__gte=cutoff)[
        :MAX_RANKED
    ].query.sql_with_params()
    older_sql, older_params = matches.filter(published_at__lt=cutoff).query.sql_with_params()
    sql = (
        f"WITH recent AS ({recent_sql}) SELECT * FROM recent UNION ALL "
        f"({older_sql} LIMIT (%s - (SELECT count(*) FROM recent)))"
    )
    return RawSQL(sql, (*recent_params, *older_params, MAX_RANKED))


def ranked(queryset, query, *, primary=None):
    """``queryset`` filtered by ``query`` and ordered by weighted rank, then newest first.

    ``primary`` is the same query without the related forms: its matches are candidates and
    rank exactly as they would without the list, and the related forms only add articles after
    them, never displacing one from the MAX_RANKED cut.
    """
    if primary is None:
        return (
            queryset.filter(pk__in=_newest_matches(queryset, query))
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    return (
        queryset.filter(
            Q(pk__in=_newest_matches(queryset, primary))
            | Q(pk__in=_newest_matches(queryset, query))
        )
        .annotate(
            is_primary=ExpressionWrapper(Q(search_vector=primary), output_field=BooleanField()),
            rank=SearchRank(F("search_vector"), query),
        )
        .order_by("-is_primary", "-rank", "-published_at", "-id")
    )


class Highlighter:
    """Marks the words of a text, as written, that match the query's words or stems.

    PostgreSQL's ``ts_headline`` only sees the stored (normalised) document, so it would show
    the reader our folded spelling; this works on the original text and escapes it.
    """

    def __init__(self, query_word_list):
        related = set().union(*(related_forms(w) for w in query_word_list))
        self.words = set(query_word_list) | related
        # A related form is matched as PostgreSQL matches it: as a word or as a word's stem.
        self.stems = set().union(related, *(stems(w) for w in query_word_list))
        # Written word -> whether it matches: a results page has thousands of words but far
        # fewer distinct ones, and folding each was half the time of a search page.
        self._decided = {}

    def matches(self, written_word):
        decided = self._decided.get(written_word)
        if decided is None:
            word = normalize(written_word)
            decided = word in self.words or not stems(word).isdisjoint(self.stems)
            self._decided[written_word] = decided
        return decided

    def _pieces(self, text):
        """``[(text, is_word_match), ...]`` covering ``text`` exactly."""
        pieces, position = [], 0
        for found in _WRITTEN_WORD.finditer(text):
            if found.start() > position:
                pieces.append((text[position : found.start()], False))
            pieces.append((found.group(), self.matches(found.group())))
            position = found.end()
        if position < len(text):
            pieces.append((text[position:], False))
        return pieces

    @staticmethod
    def _render(pieces):
        """The pieces as HTML, matches in <mark>, left-to-right runs isolated in <bdi>.

        A run (an address, say) may hold a match, so the runs are found on the whole passage
        and a piece is cut where a run starts or ends; a <mark> never straddles a <bdi>.
        """
        text = "".join(piece for piece, _ in pieces)
        spans = ltr_spans(text)
        starts = {start for start, _ in spans}
        edges = starts | {end for _, end in spans}
        out, position = [], 0
        for piece, hit in pieces:
            end = position + len(piece)
            cuts = [position, *sorted(edge for edge in edges if position < edge < end), end]
            for start, stop in itertools.pairwise(cuts):
                if start in edges:
                    out.append("<bdi>" if start in starts else "</bdi>")
                part = escape_text(piece[start - position : stop - position])
                out.append(f"<mark>{part}</mark>" if hit else part)
            position = end
        if position in edges:
            out.append("</bdi>")
        return "".join(out)

    def highlight(self, text):
        """All of ``text``, HTML-escaped, matching words in ``<mark>``."""
        return mark_safe(self._render(self._pieces(text or "")))

    def snippet(self, text, *, before=12, length=40):
        """About ``length`` words of ``text`` around the first match, escaped and marked.

        Reads the words only as far as the passage needs (one more, to know whether the text
        goes on): a body is read to its end only when nothing in it matches.
        """
        text = text or ""
        found = []  # (start, end, is_match) of each word read
        first = None
        for word in _WRITTEN_WORD.finditer(text):
            hit = self.matches(word.group())
            found.append((word.start(), word.end(), hit))
            if first is None and hit:
                first = len(found) - 1
            if first is not None and len(found) > max(0, first - before) + length:
                break
        if not found:
            return mark_safe("")
        start_word = max(0, (first or 0) - before)
        more = len(found) > start_word + length  # words after the passage
        end_word = start_word + length if more else len(found)
        # Whole text at either end keeps its punctuation; a cut is made at a word.
        pieces, position = [], found[start_word][0] if start_word > 0 else 0
        for word_start, word_end, hit in found[start_word:end_word]:
            if word_start > position:
                pieces.append((text[position:word_start], False))
            pieces.append((text[word_start:word_end], hit))
            position = word_end
        if not more and position < len(text):
            pieces.append((text[position:], False))
        prefix = "… " if start_word > 0 else ""
        suffix = " …" if more else ""
        return mark_safe(f"{prefix}{self._render(pieces)}{suffix}")

    def article_snippet(self, article):
        """The best passage of the article: summary if it matches, otherwise the body."""
        summary = article.summary or ""
        if any(hit for _, hit in self._pieces(summary)):
            return self.snippet(summary)
        return self.snippet(plain_text(article.body) or summary)


def run_search(queryset, query_word_list, *, page=1, per_page=20):
    """One page of ranked results: ``(CheapPage, matched_all_words)``.

    All words must match; when that finds nothing on the first page, any word may match (a
    reader who typed one word too many still gets the closest articles).
    """

    def tiered(match_all):
        query = build_query(query_word_list, match_all=match_all)
        primary = build_query(query_word_list, match_all=match_all, related=False)
        has_related = any(related_forms(word) for word in query_word_list)
        return ranked(queryset, query, primary=primary if has_related else None)

    found = paginate(tiered(True), page, per_page)
    if not found and page == 1 and len(query_word_list) > 1:
        return paginate(tiered(False), page, per_page), False
    return found, True
