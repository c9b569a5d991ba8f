"""The site's icons, app manifest and robots rules (issue 15, item 8: Lighthouse)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_every_page_names_its_icons_and_manifest(client):
    html = client.get("/").text

    assert 'rel="icon" href="/static/icons/favicon.ico"' in html
    assert 'rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
    assert f'rel="manifest" href="{reverse("web-manifest")}"' in html


def test_the_manifest_lists_icons_that_exist_at_their_sizes(client):
    response = client.get(reverse("web-manifest"))
    manifest = response.json()

    assert response.headers["Content-Type"] == "application/manifest+json"
    assert manifest["name"] == "Pain Relief Coach" and manifest["start_url"] == "/"
    assert {icon.get("purpose", "any") for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert Image.open(path).size == (width, height)


def test_old_browsers_asking_for_favicon_ico_get_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.headers["Location"] == "/static/icons/favicon.ico"
    assert finders.find("icons/favicon.ico")


def test_search_engines_may_read_the_sign_up_page_but_not_the_other_account_pages(client):
    rules = client.get("/robots.txt").text.splitlines()

    assert rules.index("Allow: /accounts/signup/") < rules.index("Disallow: /accounts/")
    assert "Disallow: /admin/" in rules
