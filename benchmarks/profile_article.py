"""Where an uncached article page spends its time: cProfile over repeated renders.

    DATABASE_URL=... DEBUG=0 SECRET_KEY=x .venv/bin/python benchmarks/profile_article.py [N]

Renders the article page N times (default 200) through Django's full request handler with the
page cache off, after one warm-up, and prints the total time per request split into SQL
(time inside the database cursor) and the rest, then the functions with the most cumulative
time.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from articles.models import Article  # noqa: E402


def main(count):
    url = Article.objects.published().order_by("-published_at")[10].get_absolute_url()
    client = Client()
    sql_time = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    with override_settings(ALLOWED_HOSTS=["*"]):
        assert client.get(url).status_code == 200
        profile = cProfile.Profile()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            profile.enable()
            for _ in range(count):
                client.get(url)
            profile.disable()
            total = time.perf_counter() - started
    per = total / count * 1000
    sql = sql_time[0] / count * 1000
    print(f"{url}: {per:.2f} ms per request under cProfile, SQL {sql:.2f} ms ({sql / per:.0%})")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)
    print(out.getvalue())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
