"""Refresh every stored search document: the vector now holds light stems beside the words."""

from django.db import migrations


def rebuild_documents(apps, schema_editor):
    from articles.search import document

    Article = apps.get_model("articles", "Article")
    rows = Article.objects.values_list("pk", "headline", "kicker", "summary", "body")
    for pk, headline, kicker, summary, body in rows.iterator(chunk_size=500):
        search_text, vector = document(headline, kicker, summary, body)
        Article.objects.filter(pk=pk).update(search_text=search_text, search_vector=vector)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editorial_permissions")]

    operations = [migrations.RunPython(rebuild_documents, migrations.RunPython.noop)]
