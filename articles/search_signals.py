"""Keep stored search documents current when what they index changes outside Article.save():
the byline (authors), the tags, or an author's or tag's name.

``bulk_create`` sends no signals: code that bulk-creates bylines calls
``articles.search.refresh_documents`` itself (legacy import, demo content).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Article, Author, Byline, Tag
from .search import refresh_documents


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
def byline_changed(sender, instance, origin=None, **kwargs):
    if isinstance(origin, Article):
        return  # the article itself is being deleted
    refresh_documents(Article.objects.filter(pk=instance.article_id))


@receiver(m2m_changed, sender=Article.tags.through)
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            refresh_documents(Article.objects.filter(pk=instance.pk))
        return
    # From the tag's side: pk_set holds article ids, except for clear (collected before).
    if action == "pre_clear":
        instance._search_cleared = list(instance.articles.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        refresh_documents(Article.objects.filter(pk__in=pk_set))
    elif action == "post_clear":
        refresh_documents(Article.objects.filter(pk__in=instance._search_cleared))


@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Tag)
def remember_old_name(sender, instance, **kwargs):
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def name_changed(sender, instance, created, **kwargs):
    if not created and instance._search_old_name not in (None, instance.name):
        relation = "authors" if sender is Author else "tags"
        refresh_documents(Article.objects.filter(**{relation: instance}))
