"""Contract tests: schemathesis generates requests from /api/v1/openapi.json and checks every
answer against the same description (no 5xx, status codes, content types, headers and bodies
as documented, invalid input refused, valid input accepted).

The API runs in-process through its WSGI application (schemathesis's WSGI transport, on the
test database), bounded by Hypothesis settings: a few dozen examples per operation, a few
seconds each. Nothing is written, so every example sees the same data.
"""

import collections
import datetime
import time
import types
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.models import Byline, Correction
from tests.api_helpers import cairo

MAX_EXAMPLES = 100
TALLY = collections.Counter()
STATUSES = collections.defaultdict(collections.Counter)


def _load_schema():
    """The description /api/v1/openapi.json serves, made by the same generator (loading it
    over WSGI at import time would need ALLOWED_HOSTS before pytest-django sets them)."""
    from drf_spectacular.generators import SchemaGenerator

    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


schema = _load_schema()


def test_the_served_description_is_the_one_tested(client, db):
    from drf_spectacular.generators import SchemaGenerator

    served = client.get("/api/v1/openapi.json").json()
    assert served == SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    """Prints what schemathesis tried: requests and statuses per operation, and time."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not STATUSES:
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line("schemathesis: requests per operation (status: count), seconds")
        for label, statuses in sorted(STATUSES.items()):
            counts = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
            seconds = TALLY["seconds " + label]
            reporter.write_line(f"  {label}: {TALLY[label]} ({counts}), {seconds:.1f} s")


@pytest.fixture
def api_data(
    db, settings, make_article, make_author, make_tag, make_section, roles, make_term, make_user
):
    # The requests share the test's database connection and transaction, as Django's own
    # test client arranges: Django must not close the connection after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_RATE_LIMIT = "100000/minute"
    section = make_section(name="أخبار", slug="أخبار")
    tag = make_tag("الانتخابات")
    author = make_author(name="منى الشريف", slug="منى-الشريف", photo="authors/mona.jpg")
    for day in range(1, 6):
        article = make_article(
            section=section,
            tags=[tag],
            published_at=cairo(2024, 3, day, 12, 0),
            lead_image=f"lead/2024/03/p{day}_1600x900.jpg",
            lead_image_alt="صورة",
            agency_credit="ووكالات الأنباء",
        )
        Byline.objects.create(article=article, author=author)
        Correction.objects.create(article=article, text="تصحيح")
    Byline.objects.create(article=article, author=make_author(name="أحمد علي"), position=1)
    make_article(status="draft", published_at=None)
    make_term(roles["editor"], "رئيس التحرير", datetime.date(2020, 1, 1))
    yield types.SimpleNamespace(app=get_wsgi_application(), article=article)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_matches_its_openapi_description(case, api_data):
    started = time.monotonic()
    # A cursor is opaque: the description can only say "a string", and one that the API did
    # not make is refused with a 400. So for cases with a cursor, "valid per the description
    # is accepted" does not apply; every other check does (real cursors: test_api_http.py).
    excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    response = case.call_and_validate(app=api_data.app, excluded_checks=excluded)  # WSGI
    TALLY[case.operation.label] += 1
    TALLY["seconds " + case.operation.label] += time.monotonic() - started
    STATUSES[case.operation.label][response.status_code] += 1
    assert response.status_code < 500


def test_answers_full_of_data_match_the_description(api_data):
    """Generated requests rarely name real things; these do, through the same checks: an
    article with a photo, corrections and two authors, filtered lists and a next page."""
    article = api_data.article

    def check(path, method="GET", **kwargs):
        case = schema[path][method].Case(**kwargs)
        response = case.call_and_validate(app=api_data.app)
        assert response.status_code == 200, path
        return response.json()

    detail = check("/api/v1/articles/{id}/", path_parameters={"id": article.pk})
    assert detail["lead_image"]["share"] and len(detail["byline"]["authors"]) == 2
    assert detail["corrections"]
    query = {"section": "أخبار", "tag": "الانتخابات", "author": "منى-الشريف", "limit": 2}
    page = check("/api/v1/articles/", query={**query, "from": "2024-03-01", "to": "2024-03-31"})
    assert len(page["results"]) == 2 and page["next"]
    following = dict(parse_qsl(urlsplit(page["next"]).query))
    assert check("/api/v1/articles/", query=following)["results"]
    assert check("/api/v1/articles/", query={"q": "عنوان خبر"})["results"]
    authors = check("/api/v1/authors/", query={"limit": 1})
    assert authors["next"] and any(a["photo"] for a in check("/api/v1/authors/")["results"])
    assert check("/api/v1/tags/")["results"]
    assert check("/api/v1/sections/")["results"]
    assert check("/api/v1/masthead/", query={"date": "2024-03-28"})["masthead"]
    assert check("/api/v1/")["links"]
