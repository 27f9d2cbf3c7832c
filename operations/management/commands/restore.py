"""``manage.py restore FOLDER``: put a backup made by ``backup`` back, database and media."""

import json
import subprocess
import tarfile
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.events import announce_content_change

from .backup import DUMP, MANIFEST, MEDIA, libpq_env, table_counts


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an EMPTY database (create it with ensure_database) and "
        "the media folder, then check the row counts against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder made by the backup command")
        parser.add_argument(
            "--database",
            default=None,
            help="name of the database to restore into (default: the one in DATABASE_URL)",
        )

    def handle(self, *args, folder, database, **options):
        for name in (DUMP, MEDIA, MANIFEST):
            if not (folder / name).is_file():
                raise CommandError(f"{folder / name}: missing; is this a backup folder?")
        manifest = json.loads((folder / MANIFEST).read_text())
        env = libpq_env(database)
        connection = self.connect(env)
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"database {env['PGDATABASE']} is not empty: restore only into a new one"
                )
        self.stdout.write(f"Restoring the database into {env['PGDATABASE']}…")
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", "--dbname", env["PGDATABASE"], str(folder / DUMP)],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            members = archive.getmembers()
            for member in tqdm(members, desc="media", unit="file", disable=None):
                # The "data" filter refuses absolute paths, "..", links out and device files.
                archive.extract(member, media_root, filter="data")
        with connection, connection.cursor() as cursor:
            counts = table_counts(cursor)
        connection.close()
        if counts != manifest["rows"]:
            raise CommandError(f"row counts differ: backup {manifest['rows']}, restored {counts}")
        # pg_restore writes whole tables in one transaction of its own, under no model: no
        # article is saved one by one (nor should be, at 200,000 rows), so the restore is
        # announced once, as a change of everything.
        announce_content_change(None, None)
        self.stdout.write(
            f"Restored {counts['articles_article']} article(s), "
            f"{counts['reversion_version']} revision record(s), {len(members)} media file(s); "
            "row counts match the backup."
        )

    def connect(self, env):
        try:
            return psycopg2.connect(
                dbname=env["PGDATABASE"],
                host=env.get("PGHOST"),
                port=env.get("PGPORT"),
                user=env.get("PGUSER"),
                password=env.get("PGPASSWORD"),
            )
        except psycopg2.OperationalError as error:
            raise CommandError(f"cannot reach the database: {error}".strip()) from None
