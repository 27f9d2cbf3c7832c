"""Bounded load run: 64 concurrent readers for 60 s (wrk) on the front page, article pages and
search, while an editor saves articles through the admin; then count 5xx and lost saves.

    make load            # or: .venv/bin/python loadtest/run.py --duration 60 --connections 64

It serves the project with gunicorn in production mode (DEBUG off, collected static files) on
a free loopback port, against the database named by LOAD_DATABASE_URL (default: DATABASE_URL
with "_load" appended to its name), which it creates, migrates and fills with the demo content.
The search rate limit is lifted for the run: wrk sends everything from one address.
"""

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url, data=None):
    body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


SETUP = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article
User = get_user_model()
if not User.objects.filter(username="load-editor").exists():
    User.objects.create_superuser("load-editor", password="load-editor-password")
articles = list(Article.objects.published().order_by("-published_at")[:6])
out = []
for a in articles:
    local = timezone.localtime(a.published_at)
    out.append({"pk": a.pk, "url": a.get_absolute_url(), "slug": a.slug,
                "section": a.section_id, "version": a.version,
                "tags": [t.pk for t in a.tags.all()],
                "bylines": [(b.pk, b.author_id, b.position) for b in a.bylines.all()],
                "date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M:%S")})
print(json.dumps(out))
"""

VERIFY = """
import json, sys
from articles.models import Article
expected = json.loads(sys.stdin.read())
lost = []
for pk, (version, headline) in expected.items():
    article = Article.objects.get(pk=int(pk))
    if article.version != version or article.headline != headline:
        lost.append((pk, version, article.version, headline, article.headline))
print(json.dumps(lost))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
    database_url = os.environ.get("LOAD_DATABASE_URL", base_url.rstrip("/") + "_load")
    static_root = tempfile.mkdtemp(prefix="newsroom-load-static-")
    log = Path(tempfile.mkdtemp(prefix="newsroom-load-")) / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-secret-key-not-for-production"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": static_root,
        "RATELIMIT_SEARCH": "1000000/60",
        "LOG_LEVEL": "WARNING",
    }

    def manage(*command, **kwargs):
        return subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, text=True,
            capture_output=True, **kwargs,
        )  # fmt: skip

    print(f"Preparing {database_url} …", flush=True)
    manage("ensure_database")
    manage("migrate", "--noinput")
    manage("load_demo")
    manage("collectstatic", "--noinput")
    import json

    articles = json.loads(manage("shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    paths = ["/", "/search/?q=" + urllib.parse.quote("الحكومة"),
             "/search/?q=" + urllib.parse.quote("مباراة")]  # fmt: skip
    paths += [a["url"] for a in articles]
    paths_file = log.parent / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")

    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--threads", str(args.threads), "--timeout", "30", "--access-logfile", str(log),
         "--access-logformat", "%(s)s %(M)s %(U)s", "newsroom.wsgi"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        saves, stop = Counter(), threading.Event()
        expected = {}

        def editor():
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(
                NoRedirect, urllib.request.HTTPCookieProcessor(jar)
            )
            status, text = fetch(opener, base + "/admin/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
            fetch(opener, base + "/admin/login/", {
                "csrfmiddlewaretoken": token, "username": "load-editor",
                "password": "load-editor-password", "next": "/admin/"})  # fmt: skip
            number = 0
            while not stop.is_set():
                article = articles[number % len(articles)]
                number += 1
                change = f"{base}/admin/articles/article/{article['pk']}/change/"
                status, text = fetch(opener, change)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
                version = re.search(r'name="loaded_version" value="(\d+)"', text)
                headline = re.search(r'name="headline"[^>]*value="([^"]*)"', text)
                if status != 200 or not (token and version and headline):
                    saves[f"form {status}"] += 1
                    continue
                new_headline = re.sub(r" \(\d+\)$", "", headline.group(1)) + f" ({number})"
                data = {
                    **{f"{p}-{k}": "0" for p in ("corrections", "editorial_notes", "transitions")
                       for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
                    "bylines-TOTAL_FORMS": len(article["bylines"]),
                    "bylines-INITIAL_FORMS": len(article["bylines"]),
                    "csrfmiddlewaretoken": token.group(1), "headline": new_headline,
                    "slug": article["slug"], "section": article["section"],
                    "body": f"<p>نسخة رقم {number} من نص الخبر.</p>", "status": "published",
                    "tags": article["tags"], "loaded_version": version.group(1),
                    "published_at_0": article["date"], "published_at_1": article["time"],
                    "expires_at_0": "", "expires_at_1": "",
                }  # fmt: skip
                for i, (byline, author, position) in enumerate(article["bylines"]):
                    data[f"bylines-{i}-id"] = byline
                    data[f"bylines-{i}-article"] = article["pk"]
                    data[f"bylines-{i}-author"] = author
                    data[f"bylines-{i}-position"] = position
                status, _ = fetch(opener, change, data)
                saves[status] += 1
                if status == 302:
                    expected[str(article["pk"])] = (int(version.group(1)) + 1, new_headline)

        saver = threading.Thread(target=editor)
        saver.start()
        print(f"wrk: {args.connections} connections for {args.duration}s on {len(paths)} paths")
        wrk = subprocess.run(
            ["wrk", "-t4", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
             "--timeout", "10s", "-s", str(ROOT / "loadtest" / "paths.lua"), base],
            env={**env, "LOAD_PATHS": str(paths_file)}, text=True, capture_output=True,
        )  # fmt: skip
        stop.set()
        saver.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(wrk.stdout)
    statuses = Counter(line.split()[0] for line in log.read_text().splitlines() if line.strip())
    server_errors = sum(count for status, count in statuses.items() if status.startswith("5"))
    lost = json.loads(
        manage("shell", "-c", VERIFY, input=json.dumps(expected)).stdout.strip().splitlines()[-1]
    )
    print(f"responses by status (access log): {dict(sorted(statuses.items()))}")
    print(f"editor saves: {dict(saves)}; articles checked: {len(expected)}; lost: {lost}")
    print(f"5xx: {server_errors}")
    if server_errors or lost or not saves.get(302):
        sys.exit(1)


if __name__ == "__main__":
    main()
