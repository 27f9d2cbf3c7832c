from django.db import migrations

ROLES = [("رئيس مجلس الإدارة", 10), ("رئيس التحرير", 20)]


def create_roles(apps, schema_editor):
    MastheadRole = apps.get_model("articles", "MastheadRole")
    for title, position in ROLES:
        MastheadRole.objects.get_or_create(title=title, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
