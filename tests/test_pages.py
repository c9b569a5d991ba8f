import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, coach

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "home",
    "privacy",
    "articles:list",
    "search",
    "questions:list",
    "questions:ask",
    "accounts:login",
    "accounts:signup",
    "accounts:password-reset",
    "admin:login",
]


def test_home_has_the_navigation_search_account_menu_and_privacy_link(client):
    response = client.get(reverse("home"))

    html = response.text
    for label, url in [
        ("Articles", reverse("articles:list")),
        ("Questions", reverse("questions:list")),
        ("Ask the coach", reverse("questions:ask")),
        ("Log in", reverse("accounts:login")),
        ("Sign up", reverse("accounts:signup")),
        ("Privacy", reverse("privacy")),
    ]:
        assert f'href="{url}"' in html and label in html
    assert f'action="{reverse("search")}"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert re.search(r"<header[\s>]", html) and "<main" in html and "<footer" in html


def test_signed_in_staff_see_their_name_an_admin_link_and_a_logout_button(client):
    client.force_login(coach())

    html = client.get(reverse("home")).text

    assert "Coach Elena" in html
    assert f'href="{reverse("admin:index")}"' in html
    assert f'action="{reverse("accounts:logout")}"' in html


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_pages_carry_a_strict_csp_and_need_no_inline_script_or_style(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    html = response.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> found"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler found"


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_pages_load_nothing_from_other_sites(client, url_name):
    html = client.get(reverse(url_name)).text

    assert not re.search(r"<(script|img|iframe|source)[^>]+src(set)?=\"(https?:)?//", html)
    loaded_link = r"<link(?=[^>]*\brel=\"(stylesheet|icon|preload|modulepreload|manifest)\")"
    assert not re.search(loaded_link + r"[^>]*href=\"(https?:)?//", html)


def test_privacy_page_says_what_happens_to_emails_and_questions(client):
    html = client.get(reverse("privacy")).text

    assert "never shown on the site" in html
    assert "A question you send the coach is private" in html
    assert "reCAPTCHA" not in html  # not configured: nothing goes to Google


def test_privacy_page_says_who_reads_a_question_and_how_long_each_trace_is_kept(client, settings):
    settings.TRACE_RETENTION_DAYS = 21
    settings.QUESTIONS_RETENTION_DAYS = 90
    settings.QUESTIONS_LINK_MAX_AGE_DAYS = 14

    html = client.get(reverse("privacy")).text

    assert "a moderator reads it too" in html and "never your name or email address" in html
    assert "The IP address and browser name of a comment or a question: 21 days." in html
    assert "Questions not answered, declined or held: 90 days." in html
    assert "The link works for 14 days" in html
    assert f"is kept {settings.LOGIN_HISTORY_DAYS} days" in html


def test_admin_is_branded_with_the_site_name(client, settings):
    client.force_login(coach())

    html = client.get(reverse("admin:index")).text

    assert f"{settings.SITE_NAME} administration" in html


def test_unknown_page_gives_the_site_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_search_echoes_the_query_escaped(client):
    response = client.get(reverse("search"), {"q": "<script>alert(1)</script>"})

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


@pytest.mark.parametrize("url", ["/", "/articles/feed/", "/sitemap.xml"])
def test_pages_feeds_and_the_sitemap_are_compressed_for_browsers_that_accept_it(client, url):
    ArticleFactory.create_batch(3)

    response = client.get(url, headers={"accept-encoding": "gzip, br"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < len(client.get(url).content)
