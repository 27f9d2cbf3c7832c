"""``generate_articles --count N [--seed S]``: a large archive of invented articles to measure on.

Each chunk of articles is written with COPY into a temporary table and moved into the article
table by one ``INSERT … SELECT`` that also builds the weighted search vector, so every row is
written once with its search document; bylines and tags follow with ``bulk_create``. For large
runs the two GIN search indexes are dropped first and built once at the end (far cheaper than
updating them row by row); the time is included in the rate printed.

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

from articles import generated_text as text
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

CHUNK = 2000
YEARS = 15
DEFER_INDEXES_FROM = 20_000
WRITERS = 2  # connections writing chunks at once in large runs
# (name, definition) of the search indexes, as in Article.Meta.indexes.
SEARCH_INDEXES = [
    ("article_search_vector_idx", "USING gin (search_vector)"),
    ("article_search_text_trgm", "USING gin (search_text gin_trgm_ops)"),
]

_COLUMNS = [
    "id", "headline", "kicker", "slug", "agency_credit", "summary", "body", "section_id",
    "status", "published_at", "created_at", "updated_at", "version", "search_text",
    "lead_image", "lead_image_caption", "lead_image_credit", "lead_image_alt", "legacy_key",
]  # fmt: skip
_STAGING = ", ".join(f"{name} text" for name in _COLUMNS[1:])
_INSERT = f"""
INSERT INTO articles_article ({", ".join(_COLUMNS)}, search_vector)
SELECT {", ".join(f"s.{name}" if name != "id" else "s.id" for name in _COLUMNS)},
    setweight(to_tsvector('simple'::regconfig, s.part_a), 'A')
    || setweight(to_tsvector('simple'::regconfig, s.part_b), 'B')
    || setweight(to_tsvector('simple'::regconfig, s.part_c), 'C')
FROM (SELECT id, {
    ", ".join(
        f"{name}::{kind}"
        for name, kind in [
            ("headline", "varchar"),
            ("kicker", "varchar"),
            ("slug", "varchar"),
            ("agency_credit", "varchar"),
            ("summary", "text"),
            ("body", "text"),
            ("section_id", "bigint"),
            ("status", "varchar"),
            ("published_at", "timestamptz"),
            ("created_at", "timestamptz"),
            ("updated_at", "timestamptz"),
            ("version", "integer"),
            ("search_text", "text"),
            ("lead_image", "varchar"),
            ("lead_image_caption", "varchar"),
            ("lead_image_credit", "varchar"),
            ("lead_image_alt", "varchar"),
            ("legacy_key", "varchar"),
        ]
    )
}, part_a, part_b, part_c FROM generated_articles) AS s
"""


@functools.cache
def _folded(phrase):
    """(normalised phrase, its extra stems in word order), as search.with_stems() adds them."""
    folded = normalize(phrase)
    return folded, tuple(s for w in words(folded) for s in sorted(stems(w)) if s != w)


def _part(phrases):
    """(normalised text, text with stems) of phrases joined by spaces: with_stems(normalize())."""
    pieces = [_folded(phrase) for phrase in phrases if phrase]
    folded = " ".join(piece for piece, _ in pieces if piece)
    extra = [s for _, more in pieces for s in more]
    return folded, " ".join([folded, *extra]) if extra else folded


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
        # vectors, the slowest part, on every core) while this thread makes the next ones;
        # small runs (and the tests, inside their transaction) write on this connection.
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
                self.stdout.write("Building the search indexes …")
                self._create_search_indexes()
        from pagecache import generation

        generation.bump()
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
            part_a[1],
            part_b[1],
            part_c[1],
        ]

    def _chunk(self, rng, size, now, sections, authors, tags):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('articles_article', 'id')) "
                "FROM generate_series(1, %s)",
                [size],
            )
            ids = [row[0] for row in cursor.fetchall()]
        buffer = io.StringIO()
        bylines, tagged = [], []
        Tagged = Article.tags.through
        for pk in ids:
            chosen_authors = rng.sample(authors, rng.choice([1, 1, 1, 2, 2, 3]))
            chosen_tags = rng.sample(tags, rng.randint(1, 5))
            names = [name for _, name in chosen_authors] + [name for _, name in chosen_tags]
            row = self._row(rng, pk, now, sections, names)
            buffer.write("\t".join(_copy_value(value) for value in row) + "\n")
            bylines += [
                Byline(article_id=pk, author_id=author, position=position)
                for position, (author, _) in enumerate(chosen_authors)
            ]
            tagged += [Tagged(article_id=pk, tag_id=tag) for tag, _ in chosen_tags]
        buffer.seek(0)
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
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS generated_articles (id bigint, {_STAGING}, "
                "part_a text, part_b text, part_c text) ON COMMIT DELETE ROWS"
            )
            cursor.cursor.copy_expert("COPY generated_articles FROM STDIN", buffer)
            cursor.execute(_INSERT)
            cursor.execute("TRUNCATE generated_articles")
            Byline.objects.bulk_create(bylines)
            Tagged.objects.bulk_create(tagged)

    @staticmethod
    def _drop_search_indexes():
        with connection.cursor() as cursor:
            for name, _ in SEARCH_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    @staticmethod
    def _create_search_indexes():
        # Both at once, one connection each: a GIN build uses one core (PostgreSQL 15 builds
        # only B-tree indexes in parallel), and the two take locks that do not conflict.
        def build(name, definition):
            try:
                with connection.cursor() as cursor:  # this thread's own connection
                    cursor.execute("SET maintenance_work_mem = '512MB'")
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON articles_article {definition}"
                    )
            finally:
                connection.close()

        with ThreadPoolExecutor(len(SEARCH_INDEXES)) as pool:
            list(pool.map(lambda index: build(*index), SEARCH_INDEXES))
