"""What changed, announced once per write after it is committed.

Writers of content (``workflow.services`` for articles, admins and small services for the
rest) announce through ``announce_article_change`` and ``announce_content_change``; whatever
must follow a change readers can see (front-cache purges, photo renditions) connects to
``article_changed`` or ``content_changed``. Sent after commit, so a rolled-back write announces
nothing and a receiver always reads the committed rows.

Each also has a "changing" twin (``article_changing``, ``content_changing``), sent at once,
inside the writer's transaction, for what must be recorded durably with the write itself (the
front cache's pending purges): a receiver's row commits or rolls back with the edit, and an
error there fails the write rather than losing the record.
"""

import dataclasses
import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent with ``change``, an ArticleChange.
article_changed = Signal()
# Sent with ``label`` ("articles.Section", "frontpage.BreakingNews", ...) and ``pks``, a
# frozenset: the rows of any other model shown to readers that were written or deleted.
# ``label`` and ``pks`` None: everything may have changed at once (a restored backup).
content_changed = Signal()
# The same arguments, sent inside the writer's transaction (see the module's docstring).
article_changing = Signal()
content_changing = Signal()


@dataclasses.dataclass(frozen=True)
class ArticleChange:
    """One article before and after a write. Ids only: the rows are read by who needs them."""

    article_id: int
    old_section_id: int | None
    new_section_id: int | None
    old_tag_ids: frozenset = frozenset()
    new_tag_ids: frozenset = frozenset()
    old_author_ids: tuple = ()
    new_author_ids: tuple = ()
    was_public: bool = False
    is_public: bool = False
    created: bool = False
    deleted: bool = False
    old_lead_image: str = ""
    new_lead_image: str = ""
    old_focal_point: tuple = (None, None)
    new_focal_point: tuple = (None, None)

    @property
    def lead_image_changed(self):
        return (self.old_lead_image, self.old_focal_point) != (
            self.new_lead_image,
            self.new_focal_point,
        )


def _send(signal, **kwargs):
    # The write is committed by now: a failing receiver is logged, never turned into an
    # error page for a save that succeeded, and never stops the receivers after it.
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            logger.error("%s failed", receiver, exc_info=result)


def announce_article_change(change, *, using=None):
    """Send ``article_changing`` now and ``article_changed`` once the transaction commits."""
    article_changing.send(sender=None, change=change)
    transaction.on_commit(lambda: _send(article_changed, change=change), using=using)


def announce_content_change(label, pks, *, using=None):
    """Send ``content_changing`` now and ``content_changed`` once the transaction commits, for
    rows ``pks`` of model ``label``."""
    pks = None if pks is None else frozenset(pks)
    content_changing.send(sender=None, label=label, pks=pks)
    transaction.on_commit(lambda: _send(content_changed, label=label, pks=pks), using=using)
