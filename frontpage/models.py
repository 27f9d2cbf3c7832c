from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Now
from django.utils import timezone

from articles.models import Article


class FrontPageSlot(models.Model):
    """An editor's choice for the top of the home page; the smallest position is the lead."""

    article = models.ForeignKey(
        Article,
        verbose_name="المقال",
        on_delete=models.CASCADE,
        related_name="front_page_slots",
        help_text="إن لم يكن المقال ظاهرًا للقراء يُتخطّى ويحل محله أحدث خبر منشور.",
    )
    position = models.PositiveSmallIntegerField(
        "الترتيب", default=1, help_text="1 هو الخبر الرئيسي، ثم 2 و3 … بالترتيب."
    )

    class Meta:
        # Positions may tie (the older slot wins), so reordering in the list never trips a
        # uniqueness check halfway through a save.
        ordering = ["position", "id"]
        verbose_name = "موضع في الصفحة الأولى"
        verbose_name_plural = "ترتيب الصفحة الأولى"
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                name="front_page_slot_unique_article",
                violation_error_message="هذا المقال موجود في الصفحة الأولى بالفعل.",
            ),
        ]

    def __str__(self):
        return f"{self.position}: {self.article}"


class BreakingNewsQuerySet(models.QuerySet):
    def live(self):
        """Banners to show now: switched on, started and not yet expired (no cron needed)."""
        now = timezone.now()
        return self.filter(is_active=True, starts_at__lte=now, expires_at__gt=now).order_by(
            "-starts_at", "-id"
        )


class BreakingNews(models.Model):
    text = models.CharField("نص الخبر العاجل", max_length=200)
    article = models.ForeignKey(
        Article,
        verbose_name="المقال المرتبط",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="اختياري: يصبح الشريط رابطًا إلى هذا المقال.",
    )
    is_active = models.BooleanField("مفعّل", default=True)
    starts_at = models.DateTimeField("يبدأ في", default=timezone.now)
    expires_at = models.DateTimeField(
        "ينتهي في", help_text="يختفي الشريط من كل الصفحات تلقائيًا عند حلول هذا الوقت."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="أضافه",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "خبر عاجل"
        verbose_name_plural = "الأخبار العاجلة"
        indexes = [models.Index(fields=["is_active", "expires_at"], name="breaking_live_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("starts_at")),
                name="breaking_news_expires_after_start",
                violation_error_message="وقت الانتهاء يجب أن يأتي بعد وقت البدء.",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_live(self):
        """Whether the banner shows now (the same rule as ``live()``)."""
        now = timezone.now()
        return self.is_active and self.starts_at <= now < self.expires_at


class HourlyReadQuerySet(models.QuerySet):
    def most_read(self, *, since, limit=5):
        """Published articles with the most reads since ``since``, most read first."""
        return (
            Article.objects.published()
            .filter(hourly_reads__hour__gte=since)
            .annotate(reads=Sum("hourly_reads__count"))
            .order_by("-reads", "-published_at", "-id")
            .only("id", "slug", "headline", "published_at")[:limit]
        )


class HourlyRead(models.Model):
    """How many times an article was read in one hour (UTC). Nothing about the reader."""

    article = models.ForeignKey(
        Article, verbose_name="المقال", on_delete=models.CASCADE, related_name="hourly_reads"
    )
    hour = models.DateTimeField("الساعة")
    count = models.PositiveIntegerField("مرات القراءة", default=0)

    objects = HourlyReadQuerySet.as_manager()

    class Meta:
        ordering = ["-hour"]
        verbose_name = "قراءات ساعة"
        verbose_name_plural = "القراءات بالساعة"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="hourly_read_unique_hour"),
        ]
        # "Most read" sums one time window; the index covers the whole aggregate.
        indexes = [
            models.Index(fields=["hour"], include=["article", "count"], name="hourly_read_hour_idx")
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.count}"


class ReadFlush(models.Model):
    """A batch of buffered reads already added to HourlyRead (frontpage/reads.py).

    A flush retried after a crash finds its batch's token here and adds nothing twice.
    """

    token = models.CharField("رمز الدفعة", max_length=32)
    flushed_at = models.DateTimeField("وقت الكتابة", db_default=Now())

    class Meta:
        ordering = ["-flushed_at"]
        verbose_name = "دفعة قراءات مكتوبة"
        verbose_name_plural = "دفعات القراءات المكتوبة"
        constraints = [models.UniqueConstraint(fields=["token"], name="read_flush_unique_token")]
        indexes = [models.Index(fields=["flushed_at"], name="read_flush_flushed_at_idx")]

    def __str__(self):
        return self.token
