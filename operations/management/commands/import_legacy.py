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
        parser.add_argument(
            "--addresses",
            type=Path,
            default=None,
            metavar="MAP",
            help="UTF-8 file of 'page file<TAB>old address' lines (the page's path or URL in the "
            "old CMS; file names relative to the map's folder); each old address becomes a "
            "permanent redirect to the imported article.",
        )

    def handle(self, *args, paths, section, addresses, **options):
        section = section or settings.LEGACY_IMPORT_SECTION
        files = self.collect(paths)
        old_addresses = self.read_addresses(addresses) if addresses else {}
        imported = skipped = 0
        failures, warnings = [], []
        progress = tqdm(files, desc="import", unit="file", disable=None)
        for path in progress:
            try:
                page = parse_page(self.read(path))
                article, created, page_warnings = legacy_page_import(
                    page=page,
                    section_name=section,
                    old_address=old_addresses.get(path.resolve(), ""),
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

    def read_addresses(self, map_path):
        """Read the address map, refusing it whole (file:line: reason) before any import."""
        try:
            lines = map_path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{map_path}:0: cannot read the address map ({error})") from None
        found, problems = {}, []
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, tab, address = line.partition("\t")
            page = (map_path.parent / name.strip()).resolve()
            if not tab or not address.strip():
                problems.append(f"{map_path}:{number}: expected 'page file<TAB>old address'")
            elif not page.is_file():
                problems.append(f"{map_path}:{number}: no such page file {name.strip()!r}")
            elif page in found:
                problems.append(f"{map_path}:{number}: {name.strip()!r} is listed twice")
            else:
                found[page] = address.strip()
        if problems:
            raise CommandError("The address map was refused:\n" + "\n".join(problems))
        return found

    def read(self, path):
        data = path.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise LegacyFormatError(line, f"not UTF-8 (byte {error.start})") from None
