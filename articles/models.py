import datetime
import functools

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as _reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from .arabic import normalize, strip_marks
from .sanitize import clean_body, plain_text


@functools.lru_cache(maxsize=16384)
def _remembered_reverse(name, kwargs, prefix, urlconf, root_urlconf):
    return _reverse(name, kwargs=dict(kwargs))


def reverse(name, *, kwargs):
    """Django's ``reverse()``, remembered per URL name and arguments (and per script prefix
    and URLconf, which it depends on): a front page links the same sections and articles on
    every render, over a hundred reversals a page, each costing tens of microseconds."""
    return _remembered_reverse(
        name, tuple(kwargs.items()), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
    )


SLUG_MAX_LENGTH = 120


def arabic_slug(text, max_length=SLUG_MAX_LENGTH):
    """Return a Unicode slug for ``text``, cut at a word boundary."""
    slug = slugify(strip_marks(text), allow_unicode=True)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class Section(models.Model):
    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)
    description = models.TextField("الوصف", blank=True)
    position = models.PositiveSmallIntegerField(
        "الترتيب", default=0, help_text="الأقسام ذات الرقم الأصغر تظهر أولًا."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "قسم"
        verbose_name_plural = "الأقسام"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section-detail", kwargs={"slug": self.slug})


class NamedModel(models.Model):
    """A name compared in its Arabic-normalised form and shown under a slug made from it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalized_name = normalize(self.name)
        if not self.slug:
            self.slug = arabic_slug(self.name)
        super().save(*args, **kwargs)


class Author(NamedModel):
    name = models.CharField("الاسم", max_length=150)
    slug = models.SlugField("المعرّف في الرابط", max_length=150, unique=True, allow_unicode=True)
    normalized_name = models.CharField(max_length=150, editable=False, db_index=False)
    bio = models.TextField("نبذة", blank=True)
    photo = models.ImageField("الصورة", upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="حساب الدخول",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="اختياري: حساب الموظف الذي يكتب بهذا الاسم.",
    )
    is_active = models.BooleanField(
        "نشط",
        default=True,
        help_text="ألغِ التفعيل ليختفي الكاتب من اختيار كتّاب المقالات الجديدة؛ تبقى مقالاته كما هي.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "كاتب"
        verbose_name_plural = "الكتّاب"
        indexes = [models.Index(fields=["normalized_name"], name="author_normalized_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author-detail", kwargs={"slug": self.slug})


class Tag(NamedModel):
    name = models.CharField("الاسم", max_length=100)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)
    normalized_name = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "وسم"
        verbose_name_plural = "الوسوم"
        constraints = [
            # Two spellings of one word (الدولى / الدولي) are one tag.
            models.UniqueConstraint(
                fields=["normalized_name"],
                name="tag_unique_normalized_name",
                violation_error_message="يوجد وسم بهذا الاسم بالفعل (بصيغة كتابة أخرى).",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag-detail", kwargs={"slug": self.slug})

    def clean(self):
        self.normalized_name = normalize(self.name)

    def validate_constraints(self, exclude=None):
        # normalized_name is derived, so forms exclude it; its uniqueness is still the rule.
        super().validate_constraints(exclude=set(exclude or ()) - {"normalized_name"})


class MastheadRole(models.Model):
    title = models.CharField(
        "المنصب", max_length=100, unique=True, help_text="كما يُطبع في ترويسة الصحيفة."
    )
    position = models.PositiveSmallIntegerField(
        "الترتيب", default=0, help_text="المناصب ذات الرقم الأصغر تظهر أولًا في الترويسة."
    )

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "منصب في الترويسة"
        verbose_name_plural = "مناصب الترويسة"

    def __str__(self):
        return self.title


class MastheadTermQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Terms that cover ``day``: the masthead as printed that day, in role order."""
        return (
            self.filter(starts_on__lte=day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .select_related("role")
            .order_by("role__position", "role__title")
        )


class MastheadTerm(models.Model):
    role = models.ForeignKey(
        MastheadRole, verbose_name="المنصب", on_delete=models.PROTECT, related_name="terms"
    )
    person_name = models.CharField("الاسم", max_length=150)
    starts_on = models.DateField("من تاريخ")
    ends_on = models.DateField(
        "إلى تاريخ", null=True, blank=True, help_text="اتركه فارغًا إن كان المنصب مستمرًا."
    )

    objects = MastheadTermQuerySet.as_manager()

    class Meta:
        ordering = ["role__position", "-starts_on"]
        verbose_name = "فترة في الترويسة"
        verbose_name_plural = "الترويسة"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="masthead_term_ends_after_start",
                violation_error_message="تاريخ النهاية يسبق تاريخ البداية.",
            ),
            # One holder per role on any day; an open end (NULL) runs to infinity.
            ExclusionConstraint(
                name="masthead_term_no_overlap",
                expressions=[
                    (F("role"), RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on", Value("[]")), RangeOperators.OVERLAPS),
                ],
                violation_error_message="تتداخل هذه الفترة مع فترة أخرى للمنصب نفسه.",
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.person_name}"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see now: published, their time has come and not yet expired.

        Scheduling and expiry are plain comparisons with the clock at query time, so an
        article appears and leaves on time with no cron job or worker.
        """
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def for_readers(self):
        """Without the search document (its text and vector): stored for search only and never
        shown, several kilobytes per article that every reader page would read and decode."""
        return self.defer("search_text", "search_vector")

    def for_listing(self):
        return self.select_related("section").prefetch_related(_bylines_with_authors())

    def for_page(self):
        return self.for_listing().prefetch_related("tags")

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def by_author(self, author):
        return self.filter(authors=author)

    def published_between(self, first_day=None, last_day=None):
        """Published from ``first_day`` to ``last_day``, both included, as days of the
        newspaper's time zone; a missing end, or one beyond ``OPEN_BEFORE``/``OPEN_AFTER``, is
        open. Bounds on ``published_at`` itself, so the index serves the range."""
        articles = self
        if first_day and first_day > OPEN_BEFORE:
            articles = articles.filter(published_at__gte=_local_midnight(first_day))
        if last_day and last_day < OPEN_AFTER:
            after_last = last_day + datetime.timedelta(days=1)
            articles = articles.filter(published_at__lt=_local_midnight(after_last))
        return articles


# Days outside these leave that end of a date range open instead of being refused: nothing was
# published before the first, and the day after the last cannot be turned into an instant.
OPEN_BEFORE = datetime.date(1900, 1, 1)
OPEN_AFTER = datetime.date(9000, 1, 1)


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "مسودة"
        IN_REVIEW = "review", "قيد المراجعة"
        RETURNED = "returned", "أُعيد للتعديل"
        # A published article whose publication time is still ahead is "scheduled".
        PUBLISHED = "published", "منشور"
        UNPUBLISHED = "unpublished", "أُلغي نشره"

    headline = models.CharField("العنوان", max_length=255)
    kicker = models.CharField(
        "العنوان الفرعي", max_length=255, blank=True, help_text="سطر قصير فوق العنوان أو تحته."
    )
    slug = models.SlugField(
        "المعرّف في الرابط",
        max_length=255,
        allow_unicode=True,
        blank=True,
        help_text="يُولَّد من العنوان إن تُرك فارغًا. تغييره بعد النشر لا يكسر الروابط القديمة.",
    )
    section = models.ForeignKey(
        Section, verbose_name="القسم", on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        "Author", through="Byline", verbose_name="الكتّاب", blank=True, related_name="articles"
    )
    agency_credit = models.CharField(
        "وكالة الأنباء",
        max_length=100,
        blank=True,
        help_text="يظهر في سطر الكتّاب بعد الأسماء، مثل: وكالات الأنباء.",
    )
    summary = models.TextField("الموجز", blank=True, help_text="جملة أو جملتان تظهر في القوائم.")
    body = models.TextField("النص", blank=True)
    lead_image = models.ImageField("الصورة الرئيسية", upload_to="lead/%Y/%m/", blank=True)
    lead_image_caption = models.CharField("تعليق الصورة", max_length=300, blank=True)
    lead_image_credit = models.CharField("مصدر الصورة", max_length=150, blank=True)
    lead_image_alt = models.CharField(
        "النص البديل للصورة",
        max_length=300,
        blank=True,
        help_text="وصف قصير للصورة لمن لا يراها. مطلوب إذا أُضيفت صورة.",
    )
    # Where the subject of the photo is, as fractions of width and height (0 = start edge
    # in the image's own coordinates, left/top); crops for cards keep this point in view.
    lead_image_focal_x = models.FloatField(
        "النقطة المحورية أفقيًا",
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="من 0 (يسار الصورة) إلى 1 (يمينها). اتركه فارغًا للمنتصف.",
    )
    lead_image_focal_y = models.FloatField(
        "النقطة المحورية رأسيًا",
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="من 0 (أعلى الصورة) إلى 1 (أسفلها). اتركه فارغًا للمنتصف.",
    )
    tags = models.ManyToManyField(Tag, verbose_name="الوسوم", blank=True, related_name="articles")
    status = models.CharField("الحالة", max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "وقت النشر",
        null=True,
        blank=True,
        help_text="يظهر المقال للقراء عند حلول هذا الوقت إذا كانت حالته «منشور».",
    )
    expires_at = models.DateTimeField(
        "ينتهي عرضه في",
        null=True,
        blank=True,
        help_text="اختياري: يختفي المقال من الموقع تلقائيًا عند حلول هذا الوقت.",
    )
    created_at = models.DateTimeField("أُنشئ في", auto_now_add=True)
    updated_at = models.DateTimeField("عُدّل في", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="أنشأه",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="آخر من عدّله",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField("رقم النسخة", default=0, editable=False)
    search_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    legacy_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "مقال"
        verbose_name_plural = "المقالات"
        # Beyond add/change/delete/view: the editorial powers the roles are built from.
        permissions = [
            ("publish_article", "نشر المقالات وجدولتها وإلغاء نشرها"),
            ("change_others_article", "تعديل مقالات الآخرين"),
        ]
        indexes = [
            # Public lists, newest first; expires_at and updated_at included so counts and
            # the sitemaps need not visit the table (index-only scans; check_query_plans).
            models.Index(
                fields=["status", "-published_at", "-id"],
                include=["expires_at", "updated_at"],
                name="article_published_idx",
            ),
            # The admin's article list (every state, newest first) and its date hierarchy.
            models.Index(fields=["-published_at", "-id"], name="article_published_at_idx"),
            # A section's page, its block on the home page, previous/next in a section.
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="article_section_published_idx",
            ),
            # The front cache's next scheduled change: the soonest expiry still ahead.
            models.Index(
                fields=["expires_at"],
                condition=Q(expires_at__isnull=False),
                name="article_expires_idx",
            ),
            GinIndex(fields=["search_vector"], name="article_search_vector_idx"),
            # No trigram index on search_text: both searches (reader's and admin's) use the
            # vector, and keeping one over every article's whole text made each write (and
            # generate_articles) several times slower for no query (articles/0007).
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="المقال المنشور يحتاج وقت نشر.",
            ),
            models.CheckConstraint(
                condition=Q(lead_image="") | ~Q(lead_image_alt=""),
                name="article_lead_image_has_alt",
                violation_error_message="أضف نصًا بديلًا يصف الصورة الرئيسية.",
            ),
            models.UniqueConstraint(
                fields=["legacy_key"], condition=~Q(legacy_key=""), name="article_unique_legacy_key"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="article_expires_after_publication",
                violation_error_message="وقت انتهاء العرض يجب أن يأتي بعد وقت النشر.",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        if not self.slug:
            self.slug = arabic_slug(self.headline)
        self.version += 1
        # The search document (headline A; kicker, summary, authors and tags B; body C) also
        # depends on the byline and tags, written after this row: workflow.services.article_save
        # rebuilds it once, when all of them are in place.
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    def clean(self):
        # Publishing without a time means "now", as in WordPress and Wagtail.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_published(self):
        """Whether readers can see the article now (the same rule as ``published()``)."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self):
        """Published, with its publication time still ahead."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def publication_date(self):
        """The article's day in the newspaper's time zone (the day it was printed)."""
        return timezone.localdate(self.published_at) if self.published_at else None

    def ordered_authors(self):
        """The writers, in byline order: what feeds, JSON-LD and the API call the authors."""
        return [b.author for b in self.bylines.all() if b.role == Byline.Role.WRITER]

    def ordered_photographers(self):
        return [b.author for b in self.bylines.all() if b.role == Byline.Role.PHOTOGRAPHER]

    def summary_or_lead(self):
        return self.summary or Truncator(plain_text(self.body)).words(40)


def _bylines_with_authors():
    return models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))


class Byline(models.Model):
    """An author's place in an article's byline, as its writer or its photographer."""

    class Role(models.TextChoices):
        WRITER = "writer", "كاتب"
        PHOTOGRAPHER = "photographer", "مصوّر"

    article = models.ForeignKey(
        Article, verbose_name="المقال", on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(
        Author, verbose_name="الكاتب", on_delete=models.PROTECT, related_name="bylines"
    )
    # db_default too: generate_articles COPYs bylines without naming this column. blank=True
    # so that a form which leaves the role out (the desk's scripts, older clients) keeps the
    # byline's role rather than failing; save() reads an empty role as the writer.
    role = models.CharField(
        "الدور",
        max_length=20,
        choices=Role.choices,
        default=Role.WRITER,
        db_default=Role.WRITER,
        blank=True,
        help_text="الكاتب يظهر بعد «كتب»، والمصوّر بعد «تصوير».",
    )
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "كاتب المقال"
        verbose_name_plural = "كتّاب المقال"
        constraints = [
            # One person may both write and photograph a story ("كتب وصوّر").
            models.UniqueConstraint(
                fields=["article", "author", "role"], name="byline_unique_author_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["writer", "photographer"]), name="byline_role_known"
            ),
        ]

    def __str__(self):
        return f"{self.author} — {self.article}"

    def save(self, *args, **kwargs):
        self.role = self.role or self.Role.WRITER
        super().save(*args, **kwargs)


class Correction(models.Model):
    """A dated correction or update note added to an article after publication."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "تصحيح"
        UPDATE = "update", "تحديث"

    article = models.ForeignKey(
        Article, verbose_name="المقال", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField("النوع", max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField("النص")
    created_at = models.DateTimeField("التاريخ", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="أضافه",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "تصحيح أو تحديث"
        verbose_name_plural = "التصحيحات والتحديثات"

    def __str__(self):
        return f"{self.get_kind_display()}: {Truncator(self.text).words(8)}"
