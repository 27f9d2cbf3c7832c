import posixpath
import re
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone
from reversion.models import Version
from tqdm import tqdm

from articles.models import Article, Author
from photos import renditions
from workflow.models import Autosave

_IMG_SRC = re.compile(r'<img[^>]*\ssrc="([^"]+)"')


def walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for file in files:
        yield posixpath.join(folder, file)
    for sub in folders:
        yield from walk(storage, posixpath.join(folder, sub))


def _names_in_body(body, media_url):
    return {
        src.removeprefix(media_url)
        for src in _IMG_SRC.findall(body or "")
        if src.startswith(media_url)
    }


def referenced_names():
    """Every stored name something may still show: the lead photos, author photos and body
    photos of the articles, of their saved revisions (an editor may restore one) and of the
    editors' autosaved forms."""
    media_url = settings.MEDIA_URL
    names = set(Article.objects.exclude(lead_image="").values_list("lead_image", flat=True))
    names |= set(Author.objects.exclude(photo="").values_list("photo", flat=True))
    for body in Article.objects.values_list("body", flat=True).iterator():
        names |= _names_in_body(body, media_url)
    for version in Version.objects.get_for_model(Article).iterator():
        fields = version.field_dict
        if fields.get("lead_image"):
            names.add(str(fields["lead_image"]))
        names |= _names_in_body(fields.get("body"), media_url)
    for data in Autosave.objects.values_list("data", flat=True).iterator():
        # The autosave keeps each posted field as a list of values.
        body = data.get("body", []) if isinstance(data, dict) else []
        names |= _names_in_body(" ".join(map(str, body)), media_url)
    return names


class Command(BaseCommand):
    help = (
        "Deletes photo files no article or author uses any more (uploads left out of a body, "
        "files of a save that was rolled back, renditions of deleted photos)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=24,
            help="keep files younger than this, which an editor may be about to use (24)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *, older_than_hours, dry_run, **options):
        storage = default_storage
        cutoff = timezone.now() - timedelta(hours=older_than_hours)
        used = referenced_names()
        used_folders = {renditions.folder(name) for name in used}
        # The folders this project writes photos into (the models, photos.views, renditions).
        folders = ("lead", "authors", settings.CKEDITOR_UPLOAD_PATH.strip("/"), renditions.ROOT)
        files = [name for folder in folders for name in walk(storage, folder)]
        removed = kept_young = 0
        for name in tqdm(files, unit="file", disable=None):
            if name.startswith(f"{renditions.ROOT}/"):
                if posixpath.dirname(name) in used_folders:
                    continue
            elif name in used:
                continue
            if storage.get_modified_time(name) > cutoff:
                kept_young += 1
                continue
            if dry_run:
                self.stdout.write(f"would delete {name}")
            else:
                storage.delete(name)
            removed += 1
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            f"{len(files)} file(s) checked, {removed} unused {verb}, "
            f"{kept_young} unused but younger than {older_than_hours} h kept."
        )
