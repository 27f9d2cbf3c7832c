"""``watch_published_pages``: keeps the statically published pages (pagecache/publish.py) exact.

Runs beside the app servers of each host that publishes pages (``deploy/serve.py`` starts it).
Every ``--interval`` seconds it:

- touches its heartbeat file: pages are published only while it runs;
- bumps the content generation when a scheduled change falls due (a publication time, an
  expiry, a breaking-news banner's start or end: ``pagecache.schedule``) and when the current
  generation is ``PAGE_CACHE_SECONDS`` old (what changes with no edit, such as "most read",
  is never older on a published page than on a cached one);
- points ``current`` at the generation's folder (bumps made by app servers on other hosts
  reach this host's files this way; on the host where the edit is made the app does it
  before answering);
- removes the folders of past generations.

``--once`` does one round and exits (tests, cron). Stops on Ctrl-C or SIGTERM with a summary.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from pagecache import generation, publish, schedule

logger = logging.getLogger(__name__)


def _interrupt(*_):
    raise KeyboardInterrupt


class Watcher:
    def __init__(self, base, lifetime):
        self.base = base
        self.lifetime = lifetime
        self.seen = None  # (generation, monotonic time it was first seen)
        self.next_change = None
        self.bumps = self.removed = self.errors = 0

    def step(self):
        publish.touch_heartbeat(self.base)
        gen = generation.current()
        now = time.monotonic()
        if gen is not None and (self.seen is None or self.seen[0] != gen):
            self.seen = (gen, now)
            self.next_change = schedule._next_instant(timezone.now())
        due = self.next_change is not None and self.next_change <= timezone.now()
        if gen is not None and (due or now - self.seen[1] >= self.lifetime):
            generation._bump()  # also switches `current`
            self.bumps += 1
            self.seen = None
        else:
            generation.sync_published(self.base)
        self.removed += publish.remove_old_folders(self.base)


class Command(BaseCommand):
    help = (
        "Keeps statically published pages exact: bumps the content generation at scheduled "
        "changes, follows bumps from other hosts, removes old folders (PAGE_PUBLISH_ROOT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.25)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        base = publish.root()
        if base is None:
            raise CommandError("PAGE_PUBLISH_ROOT is not set: nothing is published.")
        base.mkdir(parents=True, exist_ok=True)
        watcher = Watcher(base, settings.PAGE_CACHE_SECONDS)
        if once:
            watcher.step()
            return
        signal.signal(signal.SIGTERM, _interrupt)
        started = time.monotonic()
        self.stdout.write(f"Watching {base} every {interval:g} s (Ctrl-C stops).")
        try:
            while True:
                try:
                    watcher.step()
                except Exception:  # the database or Redis away for a moment: try again
                    logger.error("published pages: watcher step failed", exc_info=True)
                    connection.close()
                    watcher.errors += 1
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
        self.stdout.write(
            f"Stopped after {time.monotonic() - started:.0f} s: {watcher.bumps} scheduled or "
            f"periodic bumps, {watcher.removed} old folders removed, {watcher.errors} errors."
        )
