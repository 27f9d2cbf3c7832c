"""Run the production stack on loopback: nginx -> Varnish -> gunicorn.

nginx (``deploy/nginx.conf.template``) serves static files and media itself and sends the
rest to Varnish (``deploy/varnish.vcl``), which caches reader pages by their surrogate keys in
front of gunicorn; the app purges those keys from Varnish directly (``FRONT_CACHE_PURGE_URLS``).
If Varnish is down, nginx sends requests to gunicorn directly. ``make serve`` runs it;
``benchmarks/bench.py`` and ``benchmarks/newsroom_day.py`` start it the same way.

Everything lives in a private run directory (``.run/serve`` by default): nginx's configuration,
pid file and temp paths, the rendered VCL and varnishd's working directory. The system nginx
and Varnish and port 80 are never touched; every process started is stopped by its pid. DEBUG
is off and, unless given, SECRET_KEY is generated for the run.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv running this script (``make`` runs it with .venv's python).
BIN = Path(sys.executable).parent
VARNISHD = "/usr/sbin/varnishd"


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
    # How long a shared cache keeps a page (s-maxage). Varnish is purged by key at every edit,
    # so the lifetime only bounds what no edit announces: scheduled changes are bounded by the
    # app itself, most-read has its own short lifetime.
    env.setdefault("FRONT_CACHE_SECONDS", "300")
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


def render_vcl(run, app):
    """deploy/varnish.vcl with gunicorn's address as its backend, written to ``run``."""
    host, port = app.rsplit(":", 1)
    text = (ROOT / "deploy" / "varnish.vcl").read_text()
    vcl = run / "varnish.vcl"
    vcl.write_text(text.replace("@BACKEND_HOST@", host).replace("@BACKEND_PORT@", port))
    return vcl


def start_varnish(run, port, app, storage="malloc,256m"):
    """A private varnishd on 127.0.0.1:``port`` in front of gunicorn at ``app``.

    Started directly (not through Debian's service), in the foreground (-F) so that it is
    stopped by its own pid, with its own working directory (-n: shared memory log, compiled
    VCL) in ``run`` and no management port (-T none). The system's Varnish is never touched.
    """
    run.mkdir(parents=True, exist_ok=True)
    # varnishd drops to its own user for the cache process, which must reach its workdir.
    run.chmod(0o755)
    vcl = render_vcl(run, app)
    # The child keeps its own copy of the log's descriptor.
    with open(run / "varnishd.log", "wb") as log:
        return subprocess.Popen(
            [VARNISHD, "-F", "-n", str(run / "varnish"), "-a", f"127.0.0.1:{port}", "-f",
             str(vcl), "-s", storage, "-T", "none"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def start_nginx(run, port, varnish, app, workers=1):
    """nginx on 127.0.0.1:``port``: static files and media itself, the rest to Varnish at
    ``varnish``, or to gunicorn at ``app`` while Varnish is down."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "deploy" / "nginx.conf.template").read_text()
    values = {
        "RUN": run, "PORT": port, "VARNISH": varnish, "APP": app, "WORKERS": workers,
        "STATIC_ROOT": f"{static_root()}/", "MEDIA_ROOT": f"{media_root()}/",
    }  # fmt: skip
    for name, value in values.items():
        config = config.replace(f"@{name}@", str(value))
    (run / "nginx.conf").write_text(config)
    return subprocess.Popen([nginx, "-p", str(run), "-c", str(run / "nginx.conf"), "-e",
                             str(run / "nginx-error.log")])  # fmt: skip


def static_root():
    return Path(os.environ.get("STATIC_ROOT", ROOT / "staticfiles")).resolve()


def media_root():
    return Path(os.environ.get("MEDIA_ROOT", ROOT / "media")).resolve()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
            # By pid, only what this script started; SIGINT is a quick stop for gunicorn, nginx
            # and varnishd -F (SIGTERM would make gunicorn wait for kept-alive connections).
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SERVE_PORT", 8080)))
    parser.add_argument("--app-port", type=int, default=int(os.environ.get("APP_PORT", 8081)))
    parser.add_argument(
        "--varnish-port", type=int, default=0,
        help="Varnish's loopback port (default: a free one)",
    )  # fmt: skip
    parser.add_argument("--run-dir", type=Path, default=ROOT / ".run" / "serve")
    args = parser.parse_args()
    # Also when started in the background, where SIGINT may arrive ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if not Path(VARNISHD).exists():
        raise SystemExit(f"{VARNISHD} is missing: run `make tools` (varnish, varnish-modules)")
    varnish = f"127.0.0.1:{args.varnish_port or free_port()}"
    env = production_env(FRONT_CACHE_PURGE_URLS=f"http://{varnish}/")
    manage(env, "ensure_database")  # a fresh machine: `make serve` before `make run`
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    app = f"127.0.0.1:{args.app_port}"
    processes = [start_gunicorn(env, app)]
    try:
        wait_for(f"http://{app}/robots.txt")
        processes.append(start_varnish(args.run_dir, varnish.rsplit(":", 1)[1], app))
        wait_for(f"http://{varnish}/robots.txt")
        processes.append(start_nginx(args.run_dir, args.port, varnish, app))
        wait_for(f"http://127.0.0.1:{args.port}/robots.txt")
        print(
            f"Serving on http://127.0.0.1:{args.port}/ (nginx) -> http://{varnish}/ (Varnish) "
            f"-> http://{app}/ (gunicorn).\nCtrl-C stops everything."
        )
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
