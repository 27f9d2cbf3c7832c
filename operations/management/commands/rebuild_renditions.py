import posixpath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from articles.models import Article
from frontcache import purge
from photos import renditions
from photos.images import clean_image


class Command(BaseCommand):
    help = (
        "Makes the missing renditions of every article's lead photo and deletes stale ones "
        "(all of them again with --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="re-make every rendition, not only missing ones"
        )
        parser.add_argument(
            "--adopt",
            action="store_true",
            help=(
                "re-encode lead photos stored before renditions existed (names without their "
                "pixel size) under a checked name, so they get renditions too"
            ),
        )

    def handle(self, *, force, adopt, **options):
        articles = (
            Article.objects.exclude(lead_image="")
            .only("pk", "lead_image", "lead_image_focal_x", "lead_image_focal_y")
            .order_by("pk")
        )
        made = deleted = skipped = 0
        adopted = []
        failures = []
        progress = tqdm(articles.iterator(), total=articles.count(), unit="photo", disable=None)
        for article in progress:
            name = article.lead_image.name
            try:
                if not renditions.source_size(name):
                    if not adopt:
                        skipped += 1
                        continue
                    name = self._adopt(article)
                    adopted.append(article.pk)
                focal = (article.lead_image_focal_x, article.lead_image_focal_y)
                new, old = renditions.sync(name, focal, force=force)
            except (OSError, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else error
                failures.append(f"article {article.pk} ({name}): {message}")
                progress.write(f"FAILED {failures[-1]}", file=self.stderr._out)
                continue
            made += new
            deleted += old
        if adopted:
            # Adopted photos changed name behind update(), which sends no signal: the pages
            # showing those articles (their keys) still point at the old files in the front cache.
            purge.purge_now({f"a{pk}" for pk in adopted})
        self.stdout.write(
            f"{made} rendition(s) made, {deleted} stale removed, {len(adopted)} photo(s) adopted, "
            f"{skipped} unsized photo(s) skipped (use --adopt), {len(failures)} failed."
        )
        if failures:
            raise CommandError(f"{len(failures)} photo(s) failed:\n" + "\n".join(failures))

    def _adopt(self, article):
        """Re-encode an unsized original under a checked name; return the new name."""
        old = article.lead_image.name
        with default_storage.open(old, "rb") as file:
            image = clean_image(file.read())
        folder = posixpath.dirname(old)
        new = default_storage.save(
            posixpath.join(folder, image.filename()), ContentFile(image.content)
        )
        with transaction.atomic():
            Article.objects.filter(pk=article.pk).update(lead_image=new)
        # Other rows may still point at the old file (copies); it goes only when none do.
        if not Article.objects.filter(lead_image=old).exists():
            default_storage.delete(old)
        return new
