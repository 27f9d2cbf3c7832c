"""Every model a reader page shows bumps the page-cache generation when it changes.

The read counter (frontpage.HourlyRead) is left out on purpose: it is written by the read
beacon through raw SQL on every article view, and the "most read" block has its own 5-minute
cache. Autosaves, presence, editorial notes and transitions are not shown to readers either
(a transition always comes with a save of the article, which bumps).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import generation

SHOWN_TO_READERS = [
    "articles.Article",
    "articles.Byline",
    "articles.Correction",
    "articles.Section",
    "articles.Tag",
    "articles.Author",
    "articles.MastheadRole",
    "articles.MastheadTerm",
    "frontpage.FrontPageSlot",
    "frontpage.BreakingNews",
]


def content_changed(sender, **kwargs):
    generation.bump()


def tags_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        generation.bump()


for label in SHOWN_TO_READERS:
    model = apps.get_model(label)
    post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
m2m_changed.connect(
    tags_changed,
    sender=apps.get_model("articles.Article").tags.through,
    dispatch_uid="pagecache-tags",
)
