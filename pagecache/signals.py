"""A change readers can see drops the cached pages: one bump per announced write.

The writes announce themselves through ``articles.events`` once committed (an article with its
byline, tags and corrections as one ``article_changed``; sections, tags, authors, the
masthead, front-page slots and the breaking banner as ``content_changed``), so no model
signal is needed here. The read counter (frontpage.HourlyRead) announces nothing on purpose:
the read beacon writes it on every article view, and the "most read" block has its own
5-minute cache. Autosaves, presence and editorial notes are not shown to readers.
"""

from django.dispatch import receiver

from articles.events import article_changed, content_changed

from . import generation


@receiver(article_changed, dispatch_uid="pagecache-article-changed")
@receiver(content_changed, dispatch_uid="pagecache-content-changed")
def drop_cached_pages(sender, **kwargs):
    # After commit: a request that read the old rows has keyed its page on the old
    # generation, so one bump is enough (generation.bump() adds one for inside transactions).
    generation._bump()
