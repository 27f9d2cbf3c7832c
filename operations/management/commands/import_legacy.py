from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.legacy import LegacyFormatError, parse_page
from workflow.services import legacy_page_import


class Command(BaseCommand):
    help = "Import article pages exported from the old system (files, or folders of .txt files)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--section",
            default=None,
            help="Section for the imported articles (default: the LEGACY_IMPORT_SECTION setting).",
        )

    def handle(self, *args, paths, section, **options):
        section = section or settings.LEGACY_IMPORT_SECTION
        files = self.collect(paths)
        imported = skipped = 0
        failures, warnings = [], []
        progress = tqdm(files, desc="import", unit="file", disable=None)
        for path in progress:
            try:
                page = parse_page(self.read(path))
                article, created, page_warnings = legacy_page_import(
                    page=page, section_name=section
                )
            except LegacyFormatError as error:
                failures.append(f"{path}:{error.line}: {error.reason}")
                progress.write(f"FAILED {failures[-1]}", file=self.stderr._out)
                continue
            except ValidationError as error:
                failures.append(f"{path}:0: {'; '.join(error.messages)}")
                progress.write(f"FAILED {failures[-1]}", file=self.stderr._out)
                continue
            warnings.extend(f"{path}: {warning}" for warning in page_warnings)
            if created:
                imported += 1
            else:
                skipped += 1
        progress.close()
        for warning in warnings:
            self.stderr.write(f"WARNING {warning}")
        self.stdout.write(
            f"{len(files)} file(s): {imported} imported, {skipped} already imported, "
            f"{len(failures)} failed, {len(warnings)} warning(s)."
        )
        if failures:
            raise CommandError(f"{len(failures)} file(s) failed to import:\n" + "\n".join(failures))

    def collect(self, paths):
        files = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        return files

    def read(self, path):
        data = path.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise LegacyFormatError(line, f"not UTF-8 (byte {error.start})") from None
