from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from articles.models import Article
from articles.search import document


def rebuild(queryset, *, progress=None):
    """Rewrite the stored search document of every article in ``queryset``; return counts."""
    counts = {"rebuilt": 0, "changed": 0}
    rows = queryset.order_by("pk").values_list(
        "pk", "headline", "kicker", "summary", "body", "search_text"
    )
    for pk, headline, kicker, summary, body, old_text in rows.iterator(chunk_size=500):
        search_text, vector = document(headline, kicker, summary, body)
        # One statement per article, each its own small transaction: a long rebuild never holds
        # a lock on the whole table, and a stop halfway leaves every row consistent.
        with transaction.atomic():
            Article.objects.filter(pk=pk).update(search_text=search_text, search_vector=vector)
        counts["rebuilt"] += 1
        counts["changed"] += search_text != old_text
        if progress is not None:
            progress.update()
    return counts


class Command(BaseCommand):
    help = (
        "Rebuild the stored search document (normalised text and weighted vector) of every "
        "article, after a change to the Arabic normalisation or stemming."
    )

    def handle(self, *args, **options):
        queryset = Article.objects.all()
        with tqdm(
            total=queryset.count(), desc="search index", unit="article", disable=None
        ) as progress:
            counts = rebuild(queryset, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the search document of {counts['rebuilt']} articles "
                f"({counts['changed']} with a changed search text)."
            )
        )
