"""gunicorn for Newsroom, chosen by measurement (docs/scaling.md, `make bench`).

Sync workers, two per core: a reader page is CPU-bound Python (template rendering) plus a few
short queries on a local PostgreSQL, so threads add GIL contention without hiding much I/O;
on the 2-core machine measured, gthread (2 workers x 4 threads) served fewer uncached pages
per second than 4 sync workers and no more cached ones. Override with GUNICORN_WORKERS,
GUNICORN_WORKER_CLASS, GUNICORN_THREADS, GUNICORN_BIND.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# nginx keeps upstream connections open; sync workers close theirs after each request anyway.
keepalive = 5
backlog = 2048
# Recycle workers now and then (memory growth), staggered so they never restart together.
max_requests = 20000
max_requests_jitter = 2000
timeout = 30
graceful_timeout = 20
preload_app = True
# gunicorn 24+ opens a control socket at one fixed path per user by default: several servers
# on one machine (`make bench` starts two) would fight over it, and nothing here uses it.
control_socket_disable = True
# Workers signal they are alive by touching a temporary file on every request: on a tmpfs
# that never waits for a disk (gunicorn's own advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
