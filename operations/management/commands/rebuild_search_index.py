from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from articles.search import refresh_documents

CHUNK = 200


class Command(BaseCommand):
    help = (
        "Rebuild the stored search document (normalised text and weighted vector) of every "
        "article, e.g. after a change to the Arabic normalisation or stemming."
    )

    def handle(self, *args, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        old_texts = dict(Article.objects.values_list("pk", "search_text"))
        changed = 0
        # Small chunks, each written as it is read: a long rebuild never holds a lock on the
        # whole table, and a stop halfway leaves every row consistent.
        with tqdm(total=len(ids), desc="search index", unit="article", disable=None) as progress:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                texts = refresh_documents(Article.objects.filter(pk__in=chunk))
                changed += sum(texts[pk] != old_texts.get(pk) for pk in texts)
                progress.update(len(chunk))
        # Rows were written with update(), which sends no signal; nothing cached needs a purge,
        # because only search reads the document and search answers are never cached
        # (rate-limited: frontcache/middleware.py).
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the search document of {len(ids)} articles "
                f"({changed} with a changed search text)."
            )
        )
