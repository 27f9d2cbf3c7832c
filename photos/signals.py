"""Keep stored photo files in step with the rows that point at them.

Article and Author belong to the articles app; their files are this app's business, so the
work hangs on model signals rather than on their save() methods. Everything touching storage
runs in ``transaction.on_commit``: a rolled-back save neither loses the old photo nor makes
renditions of a photo that was never recorded.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from articles.models import Article, Author

from . import renditions

logger = logging.getLogger(__name__)

_STATE = "_photos_state"


def _stored_name(instance, field):
    # Read the raw attribute: touching a deferred field here would cost a query per row.
    value = instance.__dict__.get(field)
    return getattr(value, "name", value) or ""


def _article_state(article):
    return (
        _stored_name(article, "lead_image"),
        article.__dict__.get("lead_image_focal_x"),
        article.__dict__.get("lead_image_focal_y"),
    )


@receiver(post_init, sender=Article)
def remember_article_photo(sender, instance, **kwargs):
    setattr(instance, _STATE, _article_state(instance))


@receiver(post_init, sender=Author)
def remember_author_photo(sender, instance, **kwargs):
    setattr(instance, _STATE, _stored_name(instance, "photo"))


@receiver(post_save, sender=Article)
def update_article_renditions(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    # A new row may have been built with its photo already set: it still needs renditions.
    before = ("", None, None) if created else getattr(instance, _STATE, ("", None, None))
    old_name = before[0]
    after = _article_state(instance)
    setattr(instance, _STATE, after)
    new_name, focal_x, focal_y = after
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: _delete_if_unused(old_name))
    if new_name and before != after:
        transaction.on_commit(lambda: _sync(new_name, (focal_x, focal_y)))


@receiver(post_save, sender=Author)
def drop_replaced_author_photo(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old_name = getattr(instance, _STATE, "")
    new_name = _stored_name(instance, "photo")
    setattr(instance, _STATE, new_name)
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: _delete_if_unused(old_name))


@receiver(post_delete, sender=Article)
def drop_article_photo(sender, instance, **kwargs):
    name = _stored_name(instance, "lead_image")
    if name:
        transaction.on_commit(lambda: _delete_if_unused(name))


@receiver(post_delete, sender=Author)
def drop_author_photo(sender, instance, **kwargs):
    name = _stored_name(instance, "photo")
    if name:
        transaction.on_commit(lambda: _delete_if_unused(name))


def _sync(name, focal):
    try:
        renditions.sync(name, focal)
    except Exception:
        # The article is saved and its original kept; `manage.py rebuild_renditions`
        # makes whatever is missing once the cause (storage down, say) is fixed.
        logger.exception("Could not make the renditions of %s", name)


def _delete_if_unused(name):
    # A copied row may share the file: only the last one to let go deletes it.
    if Article.objects.filter(lead_image=name).exists():
        return
    if Author.objects.filter(photo=name).exists():
        return
    renditions.delete_all(name)
