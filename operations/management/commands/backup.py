"""``manage.py backup FOLDER``: the database (pg_dump) and the uploaded media, in one folder."""

import datetime
import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
# The rows a restore is checked against (see the restore command).
COUNTED_TABLES = [
    "articles_article", "articles_byline", "articles_author", "articles_section",
    "articles_tag", "articles_mastheadterm", "reversion_revision", "reversion_version",
    "auth_user",
]  # fmt: skip


def libpq_env(database=None):
    """Environment for pg_dump/pg_restore from Django's database settings (no password in
    the command line, where other users of the machine could read it)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, value in {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": database or db.get("NAME"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def table_counts(cursor):
    counts = {}
    for table in COUNTED_TABLES:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # names from the fixed list above
        counts[table] = cursor.fetchone()[0]
    return counts


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the media files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="where to create the backup's folder")

    def handle(self, *args, folder, **options):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        target = folder / f"newsroom-{stamp}"
        target.mkdir(parents=True, exist_ok=False)
        with connection.cursor() as cursor:
            counts = table_counts(cursor)
        self.stdout.write("Dumping the database…")
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target / DUMP)],
            env=libpq_env(), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        media_root = Path(settings.MEDIA_ROOT)
        files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        )
        with tarfile.open(target / MEDIA, "w:gz") as archive:
            for path in tqdm(files, desc="media", unit="file", disable=None):
                archive.add(path, arcname=str(path.relative_to(media_root)))
        manifest = {"created": stamp, "rows": counts, "media_files": len(files)}
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
        self.stdout.write(
            f"Backup in {target}: {counts['articles_article']} article(s), "
            f"{counts['reversion_version']} revision record(s), {len(files)} media file(s)."
        )
