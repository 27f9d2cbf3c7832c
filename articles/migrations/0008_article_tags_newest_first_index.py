"""An index on the article-tag links by tag, newest article first.

"Related articles" takes the newest few hundred articles carrying the page's tags: with only
the foreign key's index on tag_id PostgreSQL fetched every link of a tag (a heap block each) and
sorted them; this index hands them over in order from the index alone (tag_id, article_id desc).
The link table is Django's automatic many-to-many table, which takes no Meta.indexes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_drop_unused_search_text_trigram_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS article_tags_tag_newest_idx "
            "ON articles_article_tags (tag_id, article_id DESC)",
            "DROP INDEX IF EXISTS article_tags_tag_newest_idx",
        )
    ]
