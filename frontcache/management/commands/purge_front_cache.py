from django.core.management.base import BaseCommand, CommandError

from frontcache import purge
from frontcache.models import PurgeRequest


class Command(BaseCommand):
    help = (
        "Send the front cache's pending purges to Varnish now (FRONT_CACHE_PURGE_URLS), due or "
        "not; with --all, purge every cached page instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Purge every page the app sent (the key 'site')."
        )

    def handle(self, *args, **options):
        if not purge.enabled():
            raise CommandError("FRONT_CACHE_PURGE_URLS فارغ: لا توجد ذاكرة واجهة لحذف صفحاتها.")
        if options["all"]:
            # Only records written before the full purge are covered by it.
            covered = PurgeRequest.objects.values_list("id", flat=True).order_by("-id").first()
            error = purge.purge_all()
            if error:
                raise CommandError(f"تعذّر حذف كل الصفحات من ذاكرة الواجهة: {error}")
            self.stdout.write("حُذفت كل الصفحات من ذاكرة الواجهة.")
            PurgeRequest.objects.filter(id__lte=covered or 0).delete()
            return
        purged, failed = purge.purge_pending(due_only=False)
        if failed:
            raise CommandError(
                f"أُرسل {purged} طلب حذف، وبقي {failed} معلّقًا لتعذّر الوصول إلى ذاكرة الواجهة."
            )
        self.stdout.write(f"أُرسل {purged} طلب حذف؛ لا شيء معلّق.")
