import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Author, arabic_slug
from articles.services import author_save
from workflow.roles import ADMIN, EDITOR, WRITER

ROLE_NAMES = {"writer": WRITER, "editor": EDITOR, "admin": ADMIN}


class Command(BaseCommand):
    help = (
        "Create a staff login in one role (writer, editor or admin), printing its generated "
        "password once; with --author, link it to the byline name it writes under."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLE_NAMES), required=True)
        parser.add_argument("--name", default="", help="the person's full name, shown in the admin")
        parser.add_argument(
            "--author",
            default="",
            help="byline name: links the login to this author (created if missing)",
        )

    @transaction.atomic
    def handle(self, *args, username, role, name, author, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Login {username!r} exists already; nothing changed.")
            return
        try:
            group = Group.objects.get(name=ROLE_NAMES[role])
        except Group.DoesNotExist as error:
            raise CommandError("The roles are missing: run `manage.py migrate` first.") from error
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username, password=password, is_staff=True, first_name=name
        )
        user.groups.add(group)
        if author:
            byline = Author.objects.filter(name=author).first() or Author(
                name=author, slug=arabic_slug(author) or username
            )
            if byline.user_id and byline.user_id != user.pk:
                raise CommandError(f"The author {author!r} is already linked to another login.")
            byline.user = user
            author_save(author=byline)
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff login created: user {username!r} ({group.name}), password {password!r}. "
                "It is shown only this once."
            )
        )
