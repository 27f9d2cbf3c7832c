"""``make newsroom-day``: a newsroom day in a minute, measured through the front door.

Readers: wrk with ``--connections`` (64) for ``--seconds`` (60) reads the home page,
every section page and ``--articles`` (2,000) distinct published articles (the newest), with a
Zipf-like popularity: the page of rank r is read in proportion to 1 / r ** s (s = 1; home first,
then the sections, then the articles newest first), so a few pages are hot and the archive is a
long tail (benchmarks/newsroom_day.lua draws them).

Editor: meanwhile, every ``--save-every`` (5) seconds, a logged-in admin session saves a random
one of those articles through the admin's change form (the headline and a word of the body
changed), after reading it once as a reader (so a cache holds it). As soon as the save has
answered, an anonymous read of the article's page through the front door must show the new
headline: if not, that is a stale read, and the article is read again every 100 ms to measure
how long it stays stale.

Reported: each response's layer (Varnish, the app's page cache while the app has one, rendered
by Django), the hit ratios, statuses, requests/s and latency, the saves and the stale reads, as
Markdown for docs/scaling.md.

Without ``--front``, it starts the stack the way ``make serve`` does (deploy/serve.py: nginx ->
Varnish -> gunicorn, the app purging Varnish by surrogate key) on free loopback ports, with one
difference: gunicorn runs the application through ``tag_layers`` below, which adds
``X-Newsroom-Layer`` (app cache or rendered) so the layers behind Varnish can be told apart.
With ``--front URL`` it measures whatever already listens there; the database in
``DATABASE_URL`` must then be the one that stack serves, since the editor's login and the list
of articles are prepared there.

Everything listens on 127.0.0.1 only; the run is bounded by ``--seconds`` and stops by itself;
only the processes it started are stopped, by their pids. The saves stay in the database
(use a benchmark database: ``generate_articles``).
"""

import argparse
import html
import http.cookiejar
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT))  # run as a script, benchmarks/ is first on the path, not the root

import serve  # noqa: E402

PYTHON = sys.executable
LUA = ROOT / "benchmarks" / "newsroom_day.lua"
LAYER_HEADER = "X-Newsroom-Layer"
EDITOR = "newsroom-day-editor"
LAYERS = ("varnish", "app-cache", "rendered")
# Layers that answered without gunicorn, and those that answered without rendering.
FRONT_LAYERS = ("varnish",)
CACHED_LAYERS = (*FRONT_LAYERS, "app-cache")

SETUP = """
import json, os
from django.contrib.auth import get_user_model
from articles.models import Article, Section
User = get_user_model()
user, _ = User.objects.get_or_create(username=os.environ["NEWSROOM_DAY_EDITOR"])
user.is_staff = user.is_superuser = user.is_active = True
user.set_password(os.environ["NEWSROOM_DAY_PASSWORD"])
user.save()
count = int(os.environ["NEWSROOM_DAY_ARTICLES"])
articles = Article.objects.published().order_by("-published_at", "-pk")[:count]
print(json.dumps({
    "articles": [[a.pk, a.get_absolute_url()] for a in articles],
    "sections": [s.get_absolute_url() for s in Section.objects.all()],
}))
"""


def tag_layers(worker):
    """gunicorn's ``post_worker_init`` hook (see ``start_tagged_gunicorn``): the worker's
    application then adds ``X-Newsroom-Layer`` to every response, ``app-cache`` when the page
    cache's WSGI shortcut answered (Django's handler never started), else ``rendered`` (Django
    handled it; the page cache middleware could only have answered there in a race with a
    store). Without the app's page cache, every response that reaches gunicorn is ``rendered``.
    """
    from django.core.signals import request_started

    application = worker.wsgi
    state = threading.local()

    def reached_django(**kwargs):
        state.django = True

    request_started.connect(reached_django, weak=False)

    def tagged(environ, start_response):
        state.django = False

        def tagging(status, headers, exc_info=None):
            layer = "rendered" if state.django else "app-cache"
            return start_response(status, [*headers, (LAYER_HEADER, layer)], exc_info)

        return application(environ, tagging)

    worker.wsgi = tagged


def start_tagged_gunicorn(env, bind, run):
    """gunicorn as deploy/serve.py starts it (deploy/gunicorn.conf.py, ``newsroom.wsgi``) with
    ``tag_layers`` as its ``post_worker_init``, through a configuration written to ``run``."""
    run.mkdir(parents=True, exist_ok=True)
    config = run / "gunicorn-tagged.conf.py"
    config.write_text(
        "# Written by benchmarks/newsroom_day.py: deploy/gunicorn.conf.py and the layer tag.\n"
        "import runpy\n"
        f"deployed = runpy.run_path({str(ROOT / 'deploy' / 'gunicorn.conf.py')!r})\n"
        "globals().update((k, v) for k, v in deployed.items() if not k.startswith('_'))\n"
        "from benchmarks.newsroom_day import tag_layers as post_worker_init\n"
    )
    command = [PYTHON, "-m", "gunicorn", "-c", str(config), "newsroom.wsgi"]
    return subprocess.Popen(command, cwd=ROOT, env={**env, "GUNICORN_BIND": bind})


class FormFields(HTMLParser):
    """The fields a browser would submit from the admin's change form (``<form id=...>``)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields, self.select, self.textarea, self.text = [], None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the one newline that follows <textarea>.
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url, data=None, timeout=30):
    body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
    try:
        with opener.open(url, data=body, timeout=timeout) as response:
            return response.status, dict(response.getheaders()), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Editor(threading.Thread):
    """Saves a random article through the admin every ``every`` seconds until stopped."""

    def __init__(self, front, password, articles, every, seed):
        super().__init__(daemon=True)
        self.front, self.password, self.articles, self.every = front, password, articles, every
        self.random = random.Random(seed)
        self.stopping = threading.Event()
        self.saves, self.failures, self.stale, self.save_seconds = [], [], [], []
        self.staff = urllib.request.build_opener(
            NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        # Readers keep no cookies: whatever a page sets, the next read is anonymous again.
        self.reader = urllib.request.build_opener(NoRedirect)

    def login(self):
        status, _, text = fetch(self.staff, self.front + "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not token:
            raise SystemExit(f"the admin login page answered {status}")
        status, headers, _ = fetch(self.staff, self.front + "/admin/login/", {
            "csrfmiddlewaretoken": token.group(1), "username": EDITOR,
            "password": self.password, "next": "/admin/"})  # fmt: skip
        if status != 302:
            raise SystemExit(f"the editor could not log in (status {status})")

    def run(self):
        number = 0
        next_save = time.monotonic() + self.every
        while not self.stopping.wait(max(0.0, next_save - time.monotonic())):
            next_save += self.every
            number += 1
            try:
                self.save_one(number)
            except Exception as error:  # reported, and the day goes on
                self.failures.append(f"save {number}: {error!r}")

    def save_one(self, number):
        pk, path = self.random.choice(self.articles)
        fetch(self.reader, self.front + path)  # a reader first: now a cache may hold it
        change = f"{self.front}/admin/articles/article/{pk}/change/"
        status, _, text = fetch(self.staff, change)
        if status != 200:
            self.failures.append(f"save {number}: the change form answered {status}")
            return
        parser = FormFields("article_form")
        parser.feed(text)
        fields = parser.fields
        names = {name for name, _ in fields}
        if not {"headline", "body", "csrfmiddlewaretoken"} <= names:
            self.failures.append(f"save {number}: no headline/body in the change form")
            return
        mark = f"يوم{number}x{uuid.uuid4().hex[:6]}"
        data = []
        for name, value in fields:
            if name == "headline":
                value = re.sub(r" \[يوم\d+x[0-9a-f]{6}\]$", "", value) + f" [{mark}]"
            elif name == "body":
                value = f"<p>{mark}</p>" + re.sub(r"^<p>يوم\d+x[0-9a-f]{6}</p>", "", value)
            data.append((name, value))
        data.append(("_save", "حفظ"))
        started = time.monotonic()
        status, headers, text = fetch(self.staff, change, data)
        self.save_seconds.append(time.monotonic() - started)
        if status != 302:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
            self.failures.append(f"save {number}: answered {status} {errors[:2]}")
            return
        self.saves.append(pk)
        saved_at = time.monotonic()
        _, _, page = fetch(self.reader, self.front + path)
        if mark in html.unescape(page):
            return
        # Stale: how long until the page shows the save (at most 10 s, then "still stale").
        stale_for = None
        while time.monotonic() - saved_at < 10:
            time.sleep(0.1)
            _, _, page = fetch(self.reader, self.front + path)
            if mark in html.unescape(page):
                stale_for = time.monotonic() - saved_at
                break
        self.stale.append((path, stale_for))


def zipf_lines(paths, exponent):
    return [f"{1 / rank**exponent:.12g} {path}" for rank, path in enumerate(paths, start=1)]


def run_wrk(front, urls_file, seconds, connections, seed):
    env = {**os.environ, "NEWSROOM_DAY_URLS": str(urls_file), "NEWSROOM_DAY_SEED": str(seed)}
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(LUA), front]  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    counts = {}
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind in ("LAYER", "STATUS"):
            name, _, count = rest.rpartition("=")
            counts[f"{kind} {name}"] = int(count)
    found = re.search(r"RESULT (.*)", output)
    result = {key: float(value) for key, value in (p.split("=") for p in found.group(1).split())}
    return counts, result


def prepare(env, articles):
    password = secrets.token_urlsafe(24)
    env = {**env, "NEWSROOM_DAY_EDITOR": EDITOR, "NEWSROOM_DAY_PASSWORD": password,
           "NEWSROOM_DAY_ARTICLES": str(articles)}  # fmt: skip
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise SystemExit(f"cannot prepare the run in DATABASE_URL's database: {last}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if len(found["articles"]) < articles:
        raise SystemExit(
            f"only {len(found['articles'])} published articles: "
            f"fill the database first (manage.py generate_articles --count {articles})"
        )
    return password, found


def start_stack(env, run, port):
    """nginx -> Varnish -> gunicorn as deploy/serve.py starts them, gunicorn with the layer tag
    and purging Varnish by key; returns the processes, gunicorn first."""
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    app = f"127.0.0.1:{serve.free_port()}"
    varnish_port = serve.free_port()
    env = {**env, "FRONT_CACHE_PURGE_URLS": f"http://127.0.0.1:{varnish_port}/"}
    processes = [start_tagged_gunicorn(env, app, run)]
    try:
        serve.wait_for(f"http://{app}/robots.txt", timeout=60)
        processes.append(serve.start_varnish(run, varnish_port, app))
        serve.wait_for(f"http://127.0.0.1:{varnish_port}/robots.txt", timeout=60)
        processes.append(serve.start_nginx(run, port, f"127.0.0.1:{varnish_port}", app, 2))
        serve.wait_for(f"http://127.0.0.1:{port}/robots.txt", timeout=60)
    except BaseException:
        stop_stack(processes)
        raise
    return processes


def stop_stack(processes):
    """nginx and Varnish first, then no new request can reach gunicorn, which is stopped
    gracefully (TERM: its workers finish the pages in hand instead of failing them); by pid,
    as started."""
    serve.stop(processes[1:])
    for process in processes[:1]:
        if process.poll() is None:
            process.terminate()
    for process in processes[:1]:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def report(args, front, found, counts, result, editor, warmup):
    total = sum(count for key, count in counts.items() if key.startswith("LAYER "))
    layers = {key[6:]: count for key, count in counts.items() if key.startswith("LAYER ")}

    def share(names):
        return sum(layers.get(name, 0) for name in names) / total if total else 0.0

    stale = editor.stale
    longest = max((s for _, s in stale if s is not None), default=None)
    never = sum(1 for _, s in stale if s is None)
    saves = editor.save_seconds
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} cores, load "
        f"average {load} (1, 5, 15 min) at the end.",
        "",
        f"Front door {front}; {len(found['articles'])} articles, {len(found['sections'])} "
        f"sections and the home page (Zipf s={args.zipf}); wrk {args.connections} connections "
        f"for {args.seconds} s after {warmup} s of warm-up; a save every {args.save_every} s.",
        "",
        "| layer | responses | share |",
        "| --- | ---: | ---: |",
    ]
    for name in [*LAYERS, *sorted(set(layers) - set(LAYERS))]:
        if name in layers or name in LAYERS:
            count = layers.get(name, 0)
            lines.append(f"| {name} | {count:,} | {count / total if total else 0:.1%} |")
    statuses = {key[7:]: count for key, count in counts.items() if key.startswith("STATUS ")}
    lines += [
        f"| **total** | **{total:,}** | |",
        "",
        f"- hit ratio, front cache (answered without gunicorn): **{share(FRONT_LAYERS):.1%}**",
        f"- hit ratio, any cache (answered without rendering): **{share(CACHED_LAYERS):.1%}**",
        f"- {result['rps']:,.0f} requests/s; latency p50 {result['p50']:.1f} ms, p95 "
        f"{result['p95']:.1f} ms, p99 {result['p99']:.1f} ms; statuses "
        f"{dict(sorted(statuses.items()))}; socket errors {int(result['errors'])}",
        f"- saves through the admin: {len(editor.saves)} (each answered in "
        + (f"{min(saves):.2f}-{max(saves):.2f} s" if saves else "-")
        + f"); failures: {len(editor.failures)}",
    ]
    if stale:
        details = [f"longest {longest:.1f} s until the page showed the save"] if longest else []
        details += [f"{never} still stale after 10 s"] if never else []
        lines.append(f"- **stale reads: {len(stale)}** of {len(editor.saves)} saves "
                     f"({'; '.join(details)})")  # fmt: skip
    else:
        lines.append(f"- **stale reads: 0** of {len(editor.saves)} saves")
    for failure in editor.failures[:5]:
        lines.append(f"  - {failure}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--front", help="measure the stack at this URL instead of starting "
                        "nginx, Varnish, gunicorn (http://127.0.0.1:PORT)")  # fmt: skip
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--save-every", type=float, default=5.0)
    parser.add_argument("--zipf", type=float, default=1.0, help="the exponent s")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--port", type=int, default=0, help="nginx's port (default: a free one)")
    args = parser.parse_args()
    signal_stop()

    env = serve.production_env(CACHE_KEY_PREFIX=f"newsroom-day-{uuid.uuid4().hex[:12]}")
    print("Preparing the editor and the pages …", flush=True)
    password, found = prepare(env, args.articles)
    urls = Path(tempfile.mkdtemp(prefix="newsroom-day-")) / "urls.txt"
    paths = ["/", *found["sections"], *(path for _, path in found["articles"])]
    urls.write_text("\n".join(zipf_lines(paths, args.zipf)) + "\n")

    processes = []
    try:
        if args.front:
            front = args.front.rstrip("/")
        else:
            port = args.port or serve.free_port()
            print("Starting the stack (nginx, Varnish, gunicorn) …", flush=True)
            processes = start_stack(env, ROOT / ".run" / "newsroom-day", port)
            front = f"http://127.0.0.1:{port}"
        editor = Editor(front, password, found["articles"], args.save_every, args.seed)
        editor.login()
        if args.warmup:
            run_wrk(front, urls, args.warmup, args.connections, args.seed + 1)
        print(f"Reading for {args.seconds} s while the editor saves …", flush=True)
        editor.start()
        counts, result = run_wrk(front, urls, args.seconds, args.connections, args.seed)
        editor.stopping.set()
        editor.join(timeout=60)
    finally:
        stop_stack(processes)
    print()
    print(report(args, front, found, counts, result, editor, args.warmup))


def signal_stop():
    """Ctrl-C or a TERM stops the run and, through ``finally``, what it started."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


if __name__ == "__main__":
    main()
