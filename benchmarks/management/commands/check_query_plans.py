"""``check_query_plans [--no-seqscan]``: EXPLAIN every query of the public pages; fail on any
sequential scan of the article table.

Each page (home, latest and a deep page of it, an article, a section, a tag, an author, the
archives, searches with and without filters, feeds, sitemaps) is rendered through Django's
test client with the page cache off, the SQL it really ran is captured, and each statement is
EXPLAINed (plans only, nothing is executed twice). Run it against a large archive (e.g. after
``generate_articles --count 200000``) for the planner's real choices. ``--no-seqscan`` plans
with ``enable_seqscan = off``, which proves on a small database (the test suite) that an index
exists and can serve each query: a sequential scan that remains then has no index to use.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from articles.models import Article, Author, Section, Tag

TABLE = "articles_article"


def _seq_scans(plan, found=None):
    found = [] if found is None else found
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") == TABLE:
        found.append(plan)
    for child in plan.get("Plans", []):
        _seq_scans(child, found)
    return found


class Command(BaseCommand):
    help = "EXPLAINs the SQL of every public page; fails on a sequential scan of articles."

    def add_arguments(self, parser):
        parser.add_argument("--no-seqscan", action="store_true")

    def urls(self):
        published = Article.objects.published()
        article = published.order_by("-published_at").first()
        old = published.order_by("published_at").first()
        if article is None:
            raise CommandError("No published article: generate some first (generate_articles).")
        section = Section.objects.get(pk=article.section_id)
        tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
        author = Author.objects.annotate(n=Count("articles")).order_by("-n").first()
        day = old.published_at
        word = article.headline.split()[-1]
        urls = [
            "/",
            "/latest/",
            "/latest/?page=400",
            article.get_absolute_url(),
            old.get_absolute_url(),
            section.get_absolute_url(),
            section.get_absolute_url() + "?page=200",
            f"/archive/{day.year}/",
            f"/archive/{day.year}/{day.month}/",
            f"/archive/{day.year}/{day.month}/{day.day}/",
            f"/search/?q={word}",
            f"/search/?q={word}&section={section.slug}&from=2015-01-01&to=2020-12-31",
            f"/search/?q={word}&page=20",
            "/search/?q=كلمة-لا-توجد-في-أي-مقال",
            "/feed/",
            section.get_absolute_url() + "feed/",
            "/sitemap.xml",
            "/sitemap-articles.xml",
            "/sitemap-news.xml",
        ]
        if tag:
            urls += [tag.get_absolute_url(), tag.get_absolute_url() + "feed/"]
        if author:
            urls += [author.get_absolute_url(), author.get_absolute_url() + "?page=20"]
        return urls

    def handle(self, *args, no_seqscan, **options):
        client = Client()
        failures, statements = [], 0
        with override_settings(ALLOWED_HOSTS=["*"]):
            for url in self.urls():
                with CaptureQueriesContext(connection) as queries:
                    started = time.monotonic()
                    response = client.get(url)
                    elapsed = (time.monotonic() - started) * 1000
                if response.status_code not in (200, 404):
                    raise CommandError(f"{url}: status {response.status_code}")
                checked = 0
                for query in queries:
                    sql = query["sql"]
                    if TABLE not in sql or not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    checked += 1
                    scans = self.explain(sql, no_seqscan)
                    if scans:
                        failures.append((url, sql))
                statements += checked
                self.stdout.write(
                    f"{url}: {response.status_code}, {len(queries)} queries, "
                    f"{checked} on {TABLE}, {elapsed:.0f} ms"
                )
        for url, sql in failures:
            self.stderr.write(f"Seq Scan on {TABLE} for {url}:\n  {sql[:400]}")
        mode = "enable_seqscan = off" if no_seqscan else "the planner's own choice"
        summary = f"{statements} statements planned ({mode}), {len(failures)} with a Seq Scan."
        if failures:
            raise CommandError(summary)
        self.stdout.write(summary)

    @staticmethod
    def explain(sql, no_seqscan):
        with connection.cursor() as cursor:
            if no_seqscan:
                cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            if no_seqscan:
                cursor.execute("RESET enable_seqscan")
        if isinstance(plan, str):
            plan = json.loads(plan)
        return _seq_scans(plan[0]["Plan"])
