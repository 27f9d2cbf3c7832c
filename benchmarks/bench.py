"""``make bench``: the production stack on loopback, measured with wrk in one bounded run.

Starts, against ``DATABASE_URL`` (the 200,000-article database for the published figures):

- nginx (``deploy/nginx.conf.template``) on ``BENCH_PORT`` in front of Varnish, as
  ``make serve`` runs them (``deploy/serve.py``);
- Varnish (``deploy/varnish.vcl``, a private varnishd) on ``BENCH_PORT + 3`` in front of
  gunicorn A, which purges it by surrogate key;
- gunicorn A on ``BENCH_PORT + 1``, behind Varnish;
- gunicorn B on ``BENCH_PORT + 2``, measured directly (search's rate limit lifted).

and measures, each for ``BENCH_SECONDS`` after a short warm-up:

1. ceiling: nginx serving a saved copy of the article page (a static file);
2. the article page as a Varnish hit, through nginx (what a reader meets) and from Varnish
   directly (nginx's hop left out);
3. uncached: the article page from gunicorn B (the app keeps no page cache: every request
   renders);
4. home and 5. search from gunicorn B, searches rotating over many words.

The ceiling and the Varnish cases are measured in ``BENCH_ROUNDS`` (3) interleaved rounds and
report their median round. Prints requests/s, p50/p95/p99 latency and each figure as a fraction
of the ceiling. Nothing listens beyond 127.0.0.1; the processes started are stopped by their
pids at the end.
"""

import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

import serve  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8090"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
SLOW_CONNECTIONS = int(os.environ.get("BENCH_SLOW_CONNECTIONS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Only the cases whose names contain one of these words (comma-separated), e.g. "app cache".
ONLY = [word for word in os.environ.get("BENCH_ONLY", "").split(",") if word]
LUA = ROOT / "benchmarks" / "wrk_report.lua"
SEARCH_WORDS = (
    "الموازنة التضخم البورصة الانتخابات البرلمان المناخ الطاقة الكهرباء التعليم الجامعات "
    "المستشفيات القمح السياحة السينما الدوري الاستثمار البنوك الضرائب المترو الأمطار "
    "الحكومة المحافظ الشباب الصادرات الإيجارات الوقود المدارس اللقاحات الآثار المياه"
).split()


def wrk(url, connections, paths=(), seconds=SECONDS):
    env = {**os.environ, "WRK_PATHS": "|".join(paths)}
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(LUA), url]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    found = re.search(r"RESULT (.*)", output)
    return {
        key: float(value) for key, value in (pair.split("=") for pair in found.group(1).split())
    }


def article_path(env):
    code = (
        "from articles.models import Article;"
        "print(Article.objects.published().order_by('-published_at')[10].get_absolute_url())"
    )
    result = subprocess.run(
        [serve.BIN / "python", "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


def main():
    run = ROOT / ".run" / "bench"
    cached_app, plain_app = f"127.0.0.1:{PORT + 1}", f"127.0.0.1:{PORT + 2}"
    varnish = f"127.0.0.1:{PORT + 3}"
    env = serve.production_env(CACHE_KEY_PREFIX=f"newsroom-bench-{uuid.uuid4().hex[:12]}")
    serve.manage(env, "collectstatic", "--noinput", "-v0")
    path = article_path(env)
    processes = [
        serve.start_gunicorn(env, cached_app, FRONT_CACHE_PURGE_URLS=f"http://{varnish}/"),
        # Search's rate limit (30 a minute per address) would answer wrk with 429s.
        serve.start_gunicorn(env, plain_app, RATELIMIT_SEARCH="1000000000/60"),
    ]  # fmt: skip
    try:
        for base in (f"http://{cached_app}", f"http://{plain_app}"):
            serve.wait_for(base + "/robots.txt", timeout=60)
        processes.append(serve.start_varnish(run, PORT + 3, cached_app))
        serve.wait_for(f"http://{varnish}/robots.txt", timeout=60)
        workers = os.environ.get("NGINX_WORKERS", 2)
        processes.append(serve.start_nginx(run, PORT, varnish, cached_app, workers))
        front = f"http://127.0.0.1:{PORT}"
        serve.wait_for(front + "/robots.txt", timeout=60)
        saved = run / "saved"
        saved.mkdir(exist_ok=True)
        with urllib.request.urlopen(f"http://{plain_app}{path}") as page:
            (saved / "article.html").write_bytes(page.read())
        quoted = path  # get_absolute_url() is already percent-encoded
        searches = [f"/search/?q={urllib.parse.quote(word)}" for word in SEARCH_WORDS]
        cases = [
            ("ceiling: nginx, saved copy", f"{front}/saved/article.html", CONNECTIONS, ()),
            ("article, Varnish hit (through nginx)", f"{front}{quoted}", CONNECTIONS, ()),
            ("article, Varnish hit (Varnish alone)", f"http://{varnish}{quoted}", CONNECTIONS, ()),
        ]
        cases += [
            # Fewer connections where each request takes tens of milliseconds: enough to keep
            # every worker busy without wrk's 2-second timeouts.
            ("article, uncached (gunicorn)", f"http://{plain_app}{quoted}", 8, ()),
            ("home, uncached", f"http://{plain_app}/", SLOW_CONNECTIONS, ()),
            ("search, uncached", f"http://{plain_app}/", SLOW_CONNECTIONS, searches),
        ]
        if ONLY:  # the ceiling always, for the fractions
            cases = cases[:1] + [case for case in cases[1:] if any(w in case[0] for w in ONLY)]
        for _name, url, connections, paths in cases:
            wrk(url, connections, paths, seconds=2)  # warm-up: caches, connections, workers
        # The cases nginx or Varnish answer alone run at tens of thousands of requests a second,
        # where a shared machine's noise moves one measurement by 10-20%: they are measured
        # ROUNDS times, one after the other in turn, and each reports its median round.
        fast = [case for case in cases if case[1].startswith((front, f"http://{varnish}"))]
        rounds = {case[0]: [] for case in fast}
        for _ in range(ROUNDS):
            for name, url, connections, paths in fast:
                rounds[name].append(wrk(url, connections, paths))
        results = []
        for name, url, connections, paths in cases:
            if name in rounds:
                ordered = sorted(rounds[name], key=lambda r: r["rps"])
                results.append((name, connections, ordered[len(ordered) // 2]))
            else:
                results.append((name, connections, wrk(url, connections, paths)))
        ceiling = results[0][2]["rps"]
        print(
            f"\nArticle {path}, {SECONDS} s per measurement (nginx's and Varnish's cases: the "
            f"median of {ROUNDS} interleaved rounds), wrk on the same machine\n"
        )
        print("| case | connections | req/s | p50 ms | p95 ms | p99 ms | of ceiling | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, connections, r in results:
            errors = int(r["errors"] + r["non2xx"])
            print(
                f"| {name} | {connections} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p95']:.2f} "
                f"| {r['p99']:.2f} | {r['rps'] / ceiling:.2%} | {errors} |"
            )
    finally:
        serve.stop(processes)


if __name__ == "__main__":
    main()
