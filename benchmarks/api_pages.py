"""How the API's keyset pagination holds deep into a 200,000-article archive.

Run: DEBUG=1 .venv/bin/python benchmarks/api_pages.py [--articles 200000]

Inside one transaction that is rolled back at the end (the database is left as it was), it
adds N published articles over five sections (one of them rare), then times API requests
(the whole Django request: view, queries, JSON) for the first page and for a page starting
deep in the archive, and prints the plan PostgreSQL uses for the deep page next to what an
OFFSET query for the same page costs.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from api.pagination import KeysetPagination, when_key  # noqa: E402
from articles.models import Article, Section  # noqa: E402

SECTIONS = ["bench-a", "bench-b", "bench-c", "bench-d", "bench-rare"]


class Rollback(Exception):
    pass


def timed(client, url, runs=7):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return statistics.median(samples), response.json()


def explain(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200_000)
    n = parser.parse_args().articles
    try:
        with transaction.atomic():
            run(n)
            raise Rollback
    except Rollback:
        print("\nRolled back: the database is as it was.")


def run(n):
    ids = [Section.objects.create(name=f"قسم {s}", slug=s, position=90).pk for s in SECTIONS]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Two articles share each minute, so ties on the time are common; 1 in 100 goes to
        # the rare section.
        cursor.execute(
            """
            INSERT INTO articles_article (headline, kicker, slug, agency_credit, summary, body,
                lead_image, lead_image_caption, lead_image_credit, lead_image_alt, status,
                published_at, created_at, updated_at, version, search_text, legacy_key,
                section_id)
            SELECT 'خبر رقم ' || i, '', 'khabar-' || i, '', 'موجز', '<p>نص</p>', '', '', '', '',
                'published', now() - (i / 2) * interval '1 minute', now(), now(), 1, '', '',
                CASE WHEN i %% 100 = 0 THEN %s ELSE (ARRAY[%s, %s, %s, %s])[1 + i %% 4] END
            FROM generate_series(1, %s) AS i
            """,
            [ids[4], *ids[:4], n],
        )
        cursor.execute("ANALYZE articles_article")
    print(f"{n:,} articles added in {time.perf_counter() - started:.1f} s")

    client = Client()
    with override_settings(ALLOWED_HOSTS=["testserver"], API_RATE_LIMIT="1000000/minute"):
        first_ms, first = timed(client, "/api/v1/articles/?limit=20")
        depth = int(n * 0.75)
        deep_row = Article.objects.published().order_by("-published_at", "-id")[depth]
        cursor = KeysetPagination(when_key()).encode(deep_row)
        deep_ms, deep = timed(client, f"/api/v1/articles/?limit=20&cursor={cursor}")
        rare_first_ms, _ = timed(client, "/api/v1/articles/?limit=20&section=bench-rare")
        rare_deep_row = (
            Article.objects.published()
            .filter(section__slug="bench-rare")
            .order_by("-published_at", "-id")[int(n / 100 * 0.75)]
        )
        rare_cursor = KeysetPagination(when_key()).encode(rare_deep_row)
        rare_deep_ms, _ = timed(
            client, f"/api/v1/articles/?limit=20&section=bench-rare&cursor={rare_cursor}"
        )
    assert deep["results"][0]["id"] != first["results"][0]["id"]

    pagination = KeysetPagination(when_key())
    keyset = (
        Article.objects.published()
        .filter(pagination.after([deep_row.published_at, deep_row.pk]))
        .order_by("-published_at", "-id")[:21]
    )
    sql, params = keyset.query.sql_with_params()
    keyset_plan = explain(sql, params)
    offset = Article.objects.published().order_by("-published_at", "-id")[depth : depth + 21]
    sql, params = offset.query.sql_with_params()
    offset_plan = explain(sql, params)

    print(f"\nAPI request, median of 7 (whole Django request, {n:,} articles):")
    print(f"  first page, 20 articles:                      {first_ms:7.1f} ms")
    print(f"  page after row {depth:,} (keyset cursor):      {deep_ms:7.1f} ms")
    print(f"  rare section (1 in 100), first page:          {rare_first_ms:7.1f} ms")
    print(f"  rare section, 75% deep:                       {rare_deep_ms:7.1f} ms")
    print("\nThe deep page's query, as the API runs it (keyset):")
    print("\n".join("  " + line for line in keyset_plan))
    print(f"\nThe same page with OFFSET {depth:,} (what page-number pagination would run):")
    print("\n".join("  " + line for line in offset_plan))


if __name__ == "__main__":
    main()
