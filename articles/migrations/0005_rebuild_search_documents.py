"""Refresh every stored search document: the vector now holds light stems beside the words,
and the byline's authors and the tags beside the kicker and summary."""

from django.db import migrations


def rebuild_documents(apps, schema_editor):
    from articles.search import refresh_documents

    refresh_documents(apps.get_model("articles", "Article").objects.all())


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editorial_permissions")]

    operations = [migrations.RunPython(rebuild_documents, migrations.RunPython.noop)]
