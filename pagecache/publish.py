"""Static publishing: rendered reader pages kept as files that nginx serves without the app.

nginx's micro-cache answers a hit through its proxy machinery (a shared-memory lookup under a
lock, the stored upstream headers parsed again, the cache file read); a plain file goes out
through the static module and ``sendfile``, the fastest thing nginx does. With
``PAGE_PUBLISH_ROOT`` set, an anonymous HTML page that the page cache stores is also written as a
file there, and nginx (``deploy/nginx.conf.template``) serves the file when it exists.

Exact invalidation, as for the page cache (``pagecache.generation``):

- Files live in one folder per content generation, ``g<generation>/<host><path>.html``
  (``/`` -> ``<host>/.html``, ``/news/1/x/`` -> ``<host>/news/1/x/.html``: adding ``.html`` to
  the path never maps two paths to one file). nginx reads only ``current``, a symlink to the
  current generation's folder.
- A page rendered under generation G goes into ``g<G>`` and nowhere else, so a page rendered
  before an edit can never appear in the folder of the generation after it.
- Every bump of the generation points ``current`` at the new (empty) folder before the editing
  request answers (``pagecache.generation.sync_published``): the very next reader request
  misses and reaches the app. The symlink is replaced atomically (rename), under a file lock,
  to the generation read from Redis under that lock, so concurrent bumps always leave it at
  the newest.
- What changes with no edit (a scheduled publication or expiry, a banner's start or end, the
  "most read" block) is handled by the watcher (``manage.py watch_published_pages``), which
  bumps the generation at each scheduled instant and after ``PAGE_CACHE_SECONDS`` without one,
  follows bumps made on other app servers, and removes old folders. Pages are published only
  while the watcher is alive (its heartbeat file is fresh), so a stopped watcher can never
  leave pages behind past their time: nothing new is published and the next bump empties
  ``current``.

A page is published only if every header it carries (apart from the ones nginx makes for a file:
Date, Server, Content-Length, ETag, Last-Modified) is exactly one of those nginx is configured to
add to published pages, as recorded in ``headers.json`` by whoever renders nginx's configuration
(``deploy/serve.py``): a reader gets the same headers from the file as from the app.

Written here because no maintained Django package publishes pages to files with invalidation
tied to a content generation.
"""

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.http.request import split_domain_port

logger = logging.getLogger(__name__)

CURRENT = "current"
HEADERS = "headers.json"
HEARTBEAT = "watcher-alive"
LOCK = ".lock"
# Pages are written only while the watcher touched its heartbeat this recently.
HEARTBEAT_SECONDS = 5
# The longest byte length of one path segment written (ext4 and tmpfs allow 255 per name).
MAX_SEGMENT = 240
# Headers that nginx makes itself for a file, and hop-by-hop ones a server adds.
FILE_HEADERS = frozenset(
    {
        "date",
        "server",
        "content-length",
        "etag",
        "last-modified",
        "accept-ranges",
        "connection",
        "keep-alive",
    }
)


def root():
    value = getattr(settings, "PAGE_PUBLISH_ROOT", "")
    return Path(value) if value else None


def folder(gen):
    return f"g{gen}"


def relative_file(host, path):
    """``<host><path>.html`` for a page that may be published, or None.

    ``path`` is the decoded URL path (as nginx's ``$uri``). Refused: anything nginx would
    normalise differently (empty, ``.`` and ``..`` segments, a missing leading slash), hidden
    names, NUL, and names longer than a filesystem takes.
    """
    host = split_domain_port(host)[0].lower()
    if not host or "/" in host or host.startswith("."):
        return None
    if not path.startswith("/") or "\x00" in path:
        return None
    segments = path[1:].split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "" and not last:
            return None
        if segment.startswith("."):
            return None
        if len(segment.encode()) > MAX_SEGMENT:
            return None
    return f"{host}{path}.html"


def expected_headers():
    """The headers nginx adds to published pages (``headers.json``), as a set, or None."""
    base = root()
    if base is None:
        return None
    path = base / HEADERS
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    cached = _headers_cache.get(path)
    if cached is None or cached[0] != mtime:
        pairs = json.loads(path.read_text())
        cached = _headers_cache[path] = (mtime, header_set(pairs))
    return cached[1]


_headers_cache = {}


def header_set(pairs):
    """The headers of a response as compared with ``headers.json``: names in lower case,
    without the ones nginx makes for a file, a Content-Security-Policy's directives sorted
    (django-csp writes them in an order that changes from one process to the next)."""
    found = set()
    for name, value in pairs:
        name = name.lower()
        if name in FILE_HEADERS:
            continue
        if name in ("content-security-policy", "content-security-policy-report-only"):
            value = "; ".join(sorted(part.strip() for part in value.split(";")))
        found.add((name, value))
    return frozenset(found)


def write_headers(base, pairs):
    """Record the headers nginx adds to published pages (``deploy/serve.py`` calls this)."""
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    kept = [(name, value) for name, value in pairs if name.lower() not in FILE_HEADERS]
    _atomic_write(base / HEADERS, json.dumps(kept, ensure_ascii=False, indent=1).encode())
    return kept


def watcher_alive(base):
    try:
        return time.time() - (base / HEARTBEAT).stat().st_mtime < HEARTBEAT_SECONDS
    except FileNotFoundError:
        return False


def touch_heartbeat(base):
    (base / HEARTBEAT).touch()


def publish(gen, host, path, headers, body):
    """Write one page rendered under generation ``gen``; True if it was written."""
    base = root()
    if base is None or not watcher_alive(base):
        return False
    expected = expected_headers()
    if expected is None or header_set(headers) != expected:
        return False
    relative = relative_file(host, path)
    if relative is None:
        return False
    target = base / folder(gen) / relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, body)
    except OSError:
        # A folder removed meanwhile (its generation is over), a full disk: not published.
        logger.info("page not published: %s", target, exc_info=True)
        return False
    return True


def _atomic_write(target, data):
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # nginx's workers may run as another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(base):
    """Hold the lock on ``.lock`` that orders the switches of ``current`` between processes."""
    base.mkdir(parents=True, exist_ok=True)
    with open(base / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def point_current(base, gen):
    """Point ``current`` at the folder of generation ``gen`` (an empty one for None, the cache
    being down: nothing is served from files until it is back); returns the folder's name.
    Call it under ``locked(base)``."""
    name = folder(gen if gen is not None else "none")
    (base / name).mkdir(exist_ok=True)
    link = base / CURRENT
    try:
        if os.readlink(link) == name:
            return name
    except OSError:
        pass
    temporary = base / f".{CURRENT}-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(name, temporary)
    os.replace(temporary, link)
    return name


def remove_old_folders(base, keep_seconds=5):
    """Remove generation folders other than the current one (a few seconds after they stop
    being current, so a writer finishing a page there does not fail)."""
    try:
        current = os.readlink(base / CURRENT)
    except OSError:
        return 0
    removed = 0
    now = time.time()
    for entry in base.iterdir():
        if not entry.name.startswith("g") or entry.name == current or not entry.is_dir():
            continue
        if entry.is_symlink() or now - entry.stat().st_mtime < keep_seconds:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed
