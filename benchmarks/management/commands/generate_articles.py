"""``generate_articles --count N [--seed S]``: a large archive of invented articles to measure on.

Each chunk of articles is written with one COPY straight into the article table, the weighted
search vector arriving as a tsvector literal made here (``_vector``), so every row is written
once with its search document and PostgreSQL does not tokenise it again (a temporary table and
an ``INSERT … SELECT`` building the vector with ``to_tsvector`` were slower); bylines and tags
follow by COPY. For large runs the search vector's GIN index is dropped first and built once at
the end (far cheaper than updating it row by row), and chunks are written on two connections
while the next is made; the time of all of it, and of the final ANALYZE, is in the rate printed.

The stored search document is the one ``articles.search.document()`` makes: the prose is
assembled from a few hundred phrases, so each phrase is normalised and stemmed once
(``_folded``) and the article's text and stems are joined from those pieces, word order kept.
"""

import datetime
import functools
import io
import random
import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from articles.arabic import normalize
from articles.models import (
    Article,
    Author,
    Byline,
    MastheadRole,
    MastheadTerm,
    Section,
    Tag,
    arabic_slug,
)
from articles.search import stems, words
from benchmarks import generated_text as text
from frontcache import purge

CHUNK = 2000
YEARS = 15
DEFER_INDEXES_FROM = 20_000
WRITERS = 2  # connections writing chunks at once in large runs
# The search vector's GIN index (as in Article.Meta.indexes): dropped for large runs and built
# once at the end, far cheaper than updating it row by row.
SEARCH_INDEX = ("article_search_vector_idx", "USING gin (search_vector)")

_COLUMNS = [
    "id", "headline", "kicker", "slug", "agency_credit", "summary", "body", "section_id",
    "status", "published_at", "created_at", "updated_at", "version", "search_text",
    "lead_image", "lead_image_caption", "lead_image_credit", "lead_image_alt", "legacy_key",
]  # fmt: skip
_COPY = f"COPY articles_article ({', '.join(_COLUMNS)}, search_vector) FROM STDIN"


@functools.cache
def _folded(phrase):
    """(normalised phrase, its words, its extra stems in word order), as with_stems() has them."""
    folded = normalize(phrase)
    found = tuple(word.lower() for word in words(folded))  # the simple dictionary lowercases
    return folded, found, tuple(s for w in found for s in sorted(stems(w)) if s != w)


# PostgreSQL's limits on a tsvector (tsearch/ts_type.h): positions stop at MAX_POSITION, and a
# lexeme keeps at most MAX_POSITIONS of them (255 from to_tsvector, 256 after a concatenation).
MAX_POSITION = 16383
MAX_POSITIONS = 256


def _part(phrases):
    """(normalised text, its tokens as to_tsvector('simple', with_stems(text)) reads them)."""
    pieces = [_folded(phrase) for phrase in phrases if phrase]
    folded = " ".join(piece[0] for piece in pieces if piece[0])
    tokens = [w for piece in pieces for w in piece[1]] + [s for piece in pieces for s in piece[2]]
    return folded, tokens


# "1A", "2A", ...: a position with its weight, as the literal writes it.
_LABELS = {weight: [f"{i}{weight}" for i in range(MAX_POSITION + 1)] for weight in "ABC"}


def _vector(parts):
    """The tsvector literal of ``setweight(to_tsvector('simple', part), weight) || ...``.

    Written here so PostgreSQL only parses a literal instead of tokenising every article
    (what limited the generator's rate). ``parts`` is ``[(tokens, weight), ...]``; positions
    follow PostgreSQL's rules: one per word from 1, each part shifted by the largest position
    before it. tests/test_scale.py checks the literal against to_tsvector. Tokens are ``\\w+``
    words, so they hold no quote or backslash to escape.
    """
    if sum(len(tokens) for tokens, _ in parts) >= MAX_POSITION:
        return _vector_exact(parts)
    positions = {}
    offset = 0
    for tokens, weight in parts:
        labels = _LABELS[weight]
        for position, token in enumerate(tokens, offset + 1):
            found = positions.get(token)
            if found is None:
                positions[token] = [labels[position]]
            else:
                found.append(labels[position])
        offset += len(tokens)
    if positions and max(map(len, positions.values())) >= MAX_POSITIONS - 1:
        return _vector_exact(parts)  # a lexeme reaches PostgreSQL's cap on positions
    return " ".join(f"'{token}':{','.join(found)}" for token, found in positions.items())


def _vector_exact(parts):
    """``_vector()`` with PostgreSQL's caps applied: for text long or repetitive enough."""
    positions = {}
    offset = 0
    for tokens, weight in parts:
        own = {}
        for position, token in enumerate(tokens, 1):
            found = own.get(token)
            position = min(position, MAX_POSITION)
            if found is None:
                own[token] = [position]
            elif len(found) < MAX_POSITIONS - 1 and found[-1] != position:
                found.append(position)
        top = offset
        for token, found in own.items():
            merged = positions.setdefault(token, [])
            for position in found:
                if len(merged) >= MAX_POSITIONS or (merged and merged[-1][0] == MAX_POSITION):
                    break
                merged.append((min(position + offset, MAX_POSITION), weight))
            top = max(top, merged[-1][0]) if merged else top
        offset = top
    return " ".join(
        "'{}':{}".format(
            token.replace("\\", "\\\\").replace("'", "''"),
            ",".join(f"{position}{weight}" for position, weight in found),
        )
        for token, found in positions.items()
    )


def _copy_value(value):
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class Command(BaseCommand):
    help = "Creates N invented, published Arabic articles (with authors, tags, masthead) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        rng = random.Random(seed)
        started = time.monotonic()
        now = timezone.now()
        sections = self._sections()
        authors = self._authors()
        tags = self._tags()
        terms = self._masthead(now.date())
        defer = count >= DEFER_INDEXES_FROM
        if defer:
            self._drop_search_indexes()
        created = 0
        # Large runs write chunks on WRITERS connections at once (PostgreSQL builds the search
        # rows, their TOAST and B-tree entries, on the other core) while this thread makes
        # the next ones; small runs (and the tests, inside their transaction) write on this one.
        writers = ThreadPoolExecutor(WRITERS) if defer else None
        pending = []
        try:
            with tqdm(total=count, unit="article", disable=None) as progress:
                while created < count:
                    size = min(CHUNK, count - created)
                    chunk = self._chunk(rng, size, now, sections, authors, tags)
                    if writers is None:
                        self._write(*chunk)
                    else:
                        pending.append(writers.submit(self._write, *chunk, own_connection=True))
                        while len(pending) > WRITERS:
                            pending.pop(0).result()
                    created += size
                    progress.update(size)
                for future in pending:
                    future.result()
        finally:
            if writers is not None:
                writers.shutdown(wait=True)
            if defer:
                written = time.monotonic() - started
                self.stdout.write(f"Rows written in {written:.1f} s; building the search index …")
                self._create_search_indexes()
        self._analyze()
        purge.purge_now({purge.surrogate.ALL})
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Created {created} articles ({len(sections)} sections, {len(authors)} authors, "
            f"{len(tags)} tags, {terms} new masthead terms) in {elapsed:.1f} s: "
            f"{created / elapsed:.0f} articles/s."
        )

    # Reference data, created once and reused on later runs.

    def _sections(self):
        for position, (name, slug) in enumerate(text.SECTIONS):
            Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
        return list(Section.objects.values_list("pk", flat=True))

    def _authors(self):
        names = sorted(
            {
                f"{first} {last.replace('_', ' ')}"
                for first in text.FIRST_NAMES
                for last in text.LAST_NAMES
            }
        )
        existing = set(Author.objects.values_list("slug", flat=True))
        Author.objects.bulk_create(
            [
                Author(name=name, slug=arabic_slug(name), normalized_name=normalize(name))
                for name in random.Random(0).sample(names, 300)
                if arabic_slug(name) not in existing
            ]
        )
        return list(Author.objects.values_list("pk", "name"))

    def _tags(self):
        new, seen = [], set(Tag.objects.values_list("normalized_name", flat=True))
        for word in text.TAG_WORDS:
            for qualifier in text.TAG_QUALIFIERS:
                name = f"{word.replace('_', ' ')} {qualifier}".strip()
                key = normalize(name)
                if key not in seen:
                    seen.add(key)
                    new.append(Tag(name=name, slug=arabic_slug(name), normalized_name=key))
        Tag.objects.bulk_create(new, ignore_conflicts=True)
        return list(Tag.objects.values_list("pk", "name"))

    def _masthead(self, today):
        """Terms of three to five years over the archive's span, for roles that have none."""
        created = 0
        for role in MastheadRole.objects.all():
            if role.terms.exists():
                continue
            start = today.replace(year=today.year - YEARS, month=1, day=1)
            number = 0
            while start <= today:
                number += 1
                end = start.replace(year=start.year + 3 + number % 3) - datetime.timedelta(days=1)
                first = text.FIRST_NAMES[(number * 7 + role.pk) % len(text.FIRST_NAMES)]
                last = text.LAST_NAMES[(number * 5 + role.pk) % len(text.LAST_NAMES)]
                MastheadTerm.objects.create(
                    role=role,
                    person_name=f"{first} {last.replace('_', ' ')}",
                    starts_on=start,
                    ends_on=None if end >= today else end,
                )
                created += 1
                start = end + datetime.timedelta(days=1)
        return created

    # Articles.

    @staticmethod
    def _sentence(rng):
        """A sentence as its phrases; the last carries the full stop."""
        phrases = [
            rng.choice(text.CONNECTORS),
            rng.choice(text.SUBJECTS),
            rng.choice(text.VERBS),
            rng.choice(text.OBJECTS),
            rng.choice(text.COMPLEMENTS) + ".",
        ]
        return [phrase for phrase in phrases if phrase]

    def _row(self, rng, pk, now, sections, names):
        headline = [rng.choice(text.SUBJECTS), rng.choice(text.VERBS), rng.choice(text.OBJECTS)]
        summary = self._sentence(rng)
        kicker = rng.choice(text.KICKERS)
        paragraphs = [
            [phrase for _ in range(rng.randint(1, 4)) for phrase in self._sentence(rng)]
            for _ in range(rng.choice([2, 3, 4, 6, 8, 12, 20]))
        ]
        part_a = _part(headline)
        part_b = _part([kicker, *summary, *names])
        part_c = _part([phrase for paragraph in paragraphs for phrase in paragraph])
        vector = _vector([(part_a[1], "A"), (part_b[1], "B"), (part_c[1], "C")])
        headline_text = " ".join(headline)
        published_at = now - datetime.timedelta(seconds=rng.randint(60, YEARS * 365 * 86400))
        return [
            pk,
            headline_text,
            kicker,
            arabic_slug(headline_text),
            rng.choice(text.AGENCIES),
            " ".join(summary),
            "".join(f"<p>{' '.join(paragraph)}</p>" for paragraph in paragraphs),
            rng.choice(sections),
            Article.Status.PUBLISHED,
            published_at.isoformat(),
            published_at.isoformat(),
            published_at.isoformat(),
            1,
            " ".join(part for part in (part_a[0], part_b[0], part_c[0]) if part),
            "",
            "",
            "",
            "",
            "",
            vector,
        ]

    def _chunk(self, rng, size, now, sections, authors, tags):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('articles_article', 'id')) "
                "FROM generate_series(1, %s)",
                [size],
            )
            ids = [row[0] for row in cursor.fetchall()]
        buffer, bylines, tagged = io.StringIO(), io.StringIO(), io.StringIO()
        for pk in ids:
            chosen_authors = rng.sample(authors, rng.choice([1, 1, 1, 2, 2, 3]))
            chosen_tags = rng.sample(tags, rng.randint(1, 5))
            names = [name for _, name in chosen_authors] + [name for _, name in chosen_tags]
            row = self._row(rng, pk, now, sections, names)
            buffer.write("\t".join(_copy_value(value) for value in row) + "\n")
            for position, (author, _) in enumerate(chosen_authors):
                bylines.write(f"{pk}\t{author}\t{position}\n")
            for tag, _ in chosen_tags:
                tagged.write(f"{pk}\t{tag}\n")
        for written in (buffer, bylines, tagged):
            written.seek(0)
        return buffer, bylines, tagged

    @staticmethod
    def _write(buffer, bylines, tagged, own_connection=False):
        Tagged = Article.tags.through
        try:
            Command._write_chunk(buffer, bylines, tagged, Tagged)
        finally:
            if own_connection:
                connection.close()  # this writer thread's connection

    @staticmethod
    def _write_chunk(buffer, bylines, tagged, Tagged):
        with transaction.atomic(), connection.cursor() as cursor:
            # Generated test data: no need to wait for each chunk's WAL flush.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # lz4 compresses the long texts several times faster than the default pglz
            # (measured: a chunk's COPY into a staging table and INSERT 0.76 s -> 0.49 s);
            # reading either is transparent.
            cursor.execute("SET LOCAL default_toast_compression = lz4")
            cursor.cursor.copy_expert(_COPY, buffer)
            # Bylines and tags by COPY too: building ORM objects for them held the GIL.
            cursor.cursor.copy_expert(
                f"COPY {Byline._meta.db_table} (article_id, author_id, position) FROM STDIN",
                bylines,
            )
            cursor.cursor.copy_expert(
                f"COPY {Tagged._meta.db_table} (article_id, tag_id) FROM STDIN", tagged
            )

    @staticmethod
    def _analyze():
        # Without statistics the planner misjudges a freshly filled table (sequential scans,
        # wrong joins) until autovacuum gets to it: the benchmarks would measure that.
        tables = [
            Article._meta.db_table,
            Byline._meta.db_table,
            Article.tags.through._meta.db_table,
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")

    @staticmethod
    def _drop_search_indexes():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX[0]}")

    @staticmethod
    def _create_search_indexes():
        name, definition = SEARCH_INDEX
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON articles_article {definition}")
