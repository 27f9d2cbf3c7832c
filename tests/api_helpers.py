"""Shared helpers of the API tests."""

import datetime
import zoneinfo

CAIRO = zoneinfo.ZoneInfo("Africa/Cairo")


def cairo(*args):
    return datetime.datetime(*args, tzinfo=CAIRO)


def get_json(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def walk(client, url):
    """Every item of a paginated list, following ``next``; also returns the pages' sizes."""
    items, sizes = [], []
    while url:
        data = get_json(client, url)
        items += data["results"]
        sizes.append(len(data["results"]))
        url = data["next"]
    return items, sizes
