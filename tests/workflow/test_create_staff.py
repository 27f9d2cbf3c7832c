import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from articles.models import Author
from workflow.roles import EDITOR, WRITER


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


def password_in(output):
    return output.split("password ")[1].split("'")[1]


def test_creates_a_staff_login_in_its_role_linked_to_its_byline(make_author):
    author = make_author(name="منى الشريف")
    output = run("mona", "--role", "writer", "--name", "منى", "--author", "منى الشريف")
    user = authenticate(username="mona", password=password_in(output))
    assert user is not None and user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [WRITER]
    author.refresh_from_db()
    assert author.user == user


def test_a_missing_author_is_created_and_a_second_run_changes_nothing(db):
    run("hala", "--role", "editor", "--author", "هالة يوسف")
    assert Author.objects.get(name="هالة يوسف").user.username == "hala"
    output = run("hala", "--role", "writer")
    assert "exists already" in output
    user = get_user_model().objects.get(username="hala")
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]


def test_an_author_linked_to_someone_else_is_refused_and_nothing_is_created(make_author, db):
    other = get_user_model().objects.create_user("other")
    make_author(name="سامح عادل", user=other)
    with pytest.raises(CommandError, match="already linked"):
        run("sameh", "--role", "writer", "--author", "سامح عادل")
    assert not get_user_model().objects.filter(username="sameh").exists()
