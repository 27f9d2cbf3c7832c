import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from frontpage.models import HourlyRead, ReadFlush


class Command(BaseCommand):
    help = "Delete hourly read counts older than the longest most-read window needs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=8, help="keep this many days of counts (default 8)"
        )

    def handle(self, *args, days, **options):
        if days < 7:
            raise CommandError("--days must be at least 7: «الأكثر قراءة» covers seven days.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        # One indexed DELETE; no progress bar is needed for a single statement.
        deleted, _ = HourlyRead.objects.filter(hour__lt=cutoff).delete()
        # A batch's token only guards against a retry within minutes of its flush.
        ReadFlush.objects.filter(flushed_at__lt=cutoff).delete()
        self.stdout.write(
            f"Deleted {deleted} hourly read counts older than {cutoff:%Y-%m-%d %H:%M}."
        )
