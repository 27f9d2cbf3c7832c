"""Keep stored photo files in step with the rows that point at them.

An article's lead image follows ``article_changed``, announced once per save after commit by
the write service: renditions for a new photo or focal point, the old files dropped when the
photo is replaced. Model signals remain for what no service routes:

- ``post_delete`` of articles and authors: rows also go by cascade (a user deleted with their
  author, a bulk delete), which only Django's deletion collector sees.
- an author's replaced photo (``post_init``/``post_save``): authors are written by the admin
  and by the domain services of ``articles``, which cannot call this app.

Storage is only touched after commit: a rolled-back save neither loses the old photo nor makes
renditions of a photo that was never recorded.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from articles.events import article_changed
from articles.models import Article, Author

from . import renditions

logger = logging.getLogger(__name__)

_STATE = "_photos_state"


def _stored_name(instance, field):
    # Read the raw attribute: touching a deferred field here would cost a query per row.
    value = instance.__dict__.get(field)
    return getattr(value, "name", value) or ""


@receiver(article_changed, dispatch_uid="photos-article-changed")
def update_article_renditions(sender, change, **kwargs):
    if change.deleted:
        return  # post_delete below lets go of the file
    old_name, new_name = change.old_lead_image, change.new_lead_image
    if old_name and old_name != new_name:
        _delete_if_unused(old_name)
    if new_name and change.lead_image_changed:
        _sync(new_name, change.new_focal_point)


@receiver(post_init, sender=Author)
def remember_author_photo(sender, instance, **kwargs):
    setattr(instance, _STATE, _stored_name(instance, "photo"))


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
