import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg2
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Author, MastheadTerm, Section, Tag
from operations import demo_content

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_load_demo_loads_everything_once(client, db):
    first = run("load_demo")
    assert "12 new articles" in first
    counts = [m.objects.count() for m in (Section, Author, Tag, MastheadTerm, Article)]
    assert counts == [
        len(demo_content.SECTIONS),
        len(demo_content.AUTHORS),
        len(demo_content.TAGS),
        len(demo_content.MASTHEAD),
        len(demo_content.ARTICLES),
    ]
    second = run("load_demo")
    assert "0 new articles" in second
    assert [m.objects.count() for m in (Section, Author, Tag, MastheadTerm, Article)] == counts
    assert Article.objects.published().count() == 12
    home = client.get("/")
    assert home.status_code == 200
    for article in Article.objects.all()[:3]:
        assert client.get(article.get_absolute_url()).status_code == 200


def test_ensure_admin_prints_a_generated_password_only_once(db, client):
    first = run("ensure_admin")
    password = re.search(r"password '([^']+)'", first).group(1)
    assert len(password) >= 12
    assert client.login(username="admin", password=password)
    second = run("ensure_admin")
    assert password not in second and "exists already" in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_two_fresh_admins_get_different_passwords(db):
    passwords = []
    for _ in range(2):
        get_user_model().objects.all().delete()
        passwords.append(re.search(r"password '([^']+)'", run("ensure_admin")).group(1))
    assert passwords[0] != passwords[1]


def drop_database(name):
    """Drop ``name`` if it exists; return whether it existed."""
    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres", host=db["HOST"], port=db["PORT"] or None, user=db["USER"]
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        existed = cursor.fetchone() is not None
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()
    return existed


def test_ensure_database_creates_a_missing_database_once():
    db = settings.DATABASES["default"]
    # Named after this run's test database, so parallel runs on other databases never clash.
    name = f"{db['NAME']}_ensure_database"
    drop_database(name)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}",
        "SECRET_KEY": "test",
    }
    command = [sys.executable, "manage.py", "ensure_database"]
    try:
        first = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        second = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
    finally:
        existed = drop_database(name)
    assert f"Database {name} created." in first.stdout
    assert f"Database {name} exists." in second.stdout
    assert existed


def test_ensure_database_says_clearly_when_postgresql_is_unreachable():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/x", "SECRET_KEY": "t"}
    result = subprocess.run(
        [sys.executable, "manage.py", "ensure_database"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "cannot reach PostgreSQL" in result.stderr and "Traceback" not in result.stderr
