from django.core.management.base import BaseCommand

from frontpage.reads import flush_reads


class Command(BaseCommand):
    help = (
        "Write the read counts buffered in Redis to PostgreSQL: one statement per batch, one row "
        "write per article and hour. Run it every READS_FLUSH_SECONDS (default 60) from a timer; "
        "beacons and the most-read block also flush lazily at that interval. A Redis restart "
        "without persistence loses at most the reads since the last flush, so the interval is "
        "the bound; an interrupted flush is retried by the next one and never counts twice."
    )

    def handle(self, *args, **options):
        written = flush_reads()
        self.stdout.write(f"Wrote {written} hourly read counts.")
