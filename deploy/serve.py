"""Run the production stack on loopback: nginx (micro-cache) in front of gunicorn.

``make serve`` runs it; ``benchmarks/bench.py`` starts it the same way. Everything lives in a
private run directory (``.run/`` by default): nginx's configuration rendered from
``deploy/nginx.conf.template``, its pid file, temp paths and cache. The system nginx and port
80 are never touched. DEBUG is off and, unless given, SECRET_KEY is generated for the run.
"""

import argparse
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def production_env(**overrides):
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("CACHE_KEY_PREFIX", "newsroom-serve")
    # Plain HTTP on loopback: the admin login needs cookies that are not HTTPS-only.
    env.setdefault("SESSION_COOKIE_SECURE", "0")
    env.setdefault("CSRF_COOKIE_SECURE", "0")
    # ... and no redirect to HTTPS (nothing listens for it on loopback).
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    env.setdefault("LOG_LEVEL", "WARNING")
    env["DEBUG"] = "0"
    env.update(overrides)
    return env


def manage(env, *args):
    subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env, bind, **settings):
    env = {**env, "GUNICORN_BIND": bind, **settings}
    return subprocess.Popen(
        [BIN / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
    )


def scratch_folder(run, name):
    """A folder for files rewritten all the time: on a tmpfs when the machine has one."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / f"newsroom-{name}-{hashlib.sha256(str(run).encode()).hexdigest()[:12]}"
    return run / name


def publish_root(run):
    """Where the app publishes pages for nginx (PAGE_PUBLISH_ROOT), emptied for this run."""
    folder = scratch_folder(run, "pages")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def start_watcher(env):
    """``watch_published_pages``: without it nothing is published (pagecache/publish.py)."""
    return subprocess.Popen(
        [BIN / "python", "manage.py", "watch_published_pages"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def record_published_headers(root, app):
    """Take the headers of the app's home page as those nginx adds to published pages.

    The app publishes a page only if its headers are exactly these (headers.json), so a file
    served by nginx carries what the app would have sent. Returns the add_header lines.
    """
    sys.path.insert(0, str(ROOT))
    from pagecache import publish

    try:
        with urllib.request.urlopen(f"http://{app}/", timeout=30) as response:
            pairs = list(response.getheaders())
    except OSError as error:  # HTTPError and URLError included
        message = f"cannot read the home page's headers from http://{app}/: {error}"
        raise SystemExit(message) from None
    return header_lines(publish.write_headers(root, pairs))


def header_lines(pairs):
    """nginx's add_header lines for the recorded headers (Content-Type is the location's)."""
    lines = []
    for name, value in pairs:
        if name.lower() == "content-type":
            if value != "text/html; charset=utf-8":  # what nginx's location sends
                raise SystemExit(f"unexpected Content-Type of the home page: {value}")
            continue
        if '"' in value or "$" in value or "\\" in value:
            raise SystemExit(f"cannot pass this header through nginx: {name}: {value}")
        lines.append(f'            add_header {name} "{value}";')
    return "\n".join(lines)


def start_nginx(run, port, app, workers=1, publish_root=None, published_headers=""):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "deploy" / "nginx.conf.template").read_text()
    # The micro-cache on a tmpfs when the machine has one (its files change every second).
    cache = scratch_folder(run, "nginx-cache")
    values = {
        "RUN": run, "PORT": port, "APP": app, "WORKERS": workers, "CACHE": cache,
        # Without publishing, a folder with nothing in it: every request goes to the app.
        "PUBLISHING": "1" if publish_root else "",
        "PUBLISH_ROOT": publish_root or run / "no-pages",
        "PUBLISHED_HEADERS": published_headers,
    }  # fmt: skip
    for name, value in values.items():
        config = config.replace(f"@{name}@", str(value))
    (run / "nginx.conf").write_text(config)
    return subprocess.Popen([nginx, "-p", str(run), "-c", str(run / "nginx.conf"), "-e",
                             str(run / "nginx-error.log")])  # fmt: skip


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(processes):
    for process in processes:
        if process.poll() is None:
            # By pid, only what this script started; SIGINT is a quick stop for both gunicorn
            # and nginx (SIGTERM would make gunicorn wait for nginx's kept-alive connections).
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("SERVE_PORT", 8080)))
    parser.add_argument("--app-port", type=int, default=int(os.environ.get("APP_PORT", 8081)))
    parser.add_argument("--run-dir", type=Path, default=ROOT / ".run" / "serve")
    parser.add_argument(
        "--no-publish", dest="publish", action="store_false",
        help="no static publishing: nginx's micro-cache in front of gunicorn only",
    )  # fmt: skip
    args = parser.parse_args()
    # Also when started in the background, where SIGINT may arrive ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    pages = publish_root(args.run_dir) if args.publish else None
    env = production_env(**({"PAGE_PUBLISH_ROOT": str(pages)} if pages else {}))
    manage(env, "ensure_database")  # a fresh machine: `make serve` before `make run`
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    app = f"127.0.0.1:{args.app_port}"
    processes = [start_gunicorn(env, app)]
    try:
        headers = ""
        if pages:
            processes.append(start_watcher(env))
            wait_for(f"http://{app}/robots.txt")
            headers = record_published_headers(pages, app)
        processes.append(start_nginx(args.run_dir, args.port, app, 1, pages, headers))
        wait_for(f"http://127.0.0.1:{args.port}/robots.txt")
        print(f"Serving on http://127.0.0.1:{args.port}/ (nginx) -> http://{app}/ (gunicorn).")
        if pages:
            print(f"Published pages in {pages} (watch_published_pages running).")
        print("Ctrl-C stops everything.")
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
