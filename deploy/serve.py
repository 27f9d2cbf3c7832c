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


def start_nginx(run, port, app, workers=1):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "deploy" / "nginx.conf.template").read_text()
    # The micro-cache on a tmpfs when the machine has one (its files change every second).
    shm = Path("/dev/shm")
    cache = run / "cache"
    if shm.is_dir() and os.access(shm, os.W_OK):
        cache = shm / f"newsroom-nginx-cache-{hashlib.sha256(str(run).encode()).hexdigest()[:12]}"
    values = {"RUN": run, "PORT": port, "APP": app, "WORKERS": workers, "CACHE": cache}
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
    args = parser.parse_args()
    # Also when started in the background, where SIGINT may arrive ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    app = f"127.0.0.1:{args.app_port}"
    processes = [start_gunicorn(env, app)]
    processes.append(start_nginx(args.run_dir, args.port, app))
    try:
        wait_for(f"http://127.0.0.1:{args.port}/robots.txt")
        print(f"Serving on http://127.0.0.1:{args.port}/ (nginx) -> http://{app}/ (gunicorn).")
        print("Ctrl-C stops both.")
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
