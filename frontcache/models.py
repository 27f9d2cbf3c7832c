from django.db import models


class PurgeRequest(models.Model):
    """Surrogate keys still to purge from the front cache, written with the edit that made them
    stale and deleted once every Varnish node has purged them (frontcache/purge.py)."""

    keys = models.TextField("المفاتيح", help_text="مفاتيح الصفحات المطلوب حذفها، بينها مسافات.")
    created_at = models.DateTimeField("أُنشئ في", auto_now_add=True)
    attempts = models.PositiveIntegerField("المحاولات", default=0)
    next_attempt_at = models.DateTimeField("المحاولة التالية", db_index=True)
    last_error = models.TextField("آخر خطأ", blank=True)

    class Meta:
        verbose_name = "طلب حذف من ذاكرة الواجهة"
        verbose_name_plural = "طلبات الحذف من ذاكرة الواجهة"
        ordering = ["id"]

    def __str__(self):
        return self.keys
