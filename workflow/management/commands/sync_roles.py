from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from workflow.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = "Creates or updates the writer, editor and admin groups with their permissions."

    def handle(self, *args, **options):
        apply_roles(Group, Permission)
        for name in ROLES:
            count = Group.objects.get(name=name).permissions.count()
            self.stdout.write(f"{name}: {count} permissions")
