"""Every answer of the site is either a public page of the allow-list, given to a visitor with
no personal cookie (`Cache-Control: public`, no cookie set), or `private, no-store`: nothing
is cacheable by accident (issue 16 item 1, issue 11 item 5). The URLs and the objects in
every state come from the access walk."""

import pytest

from tests.test_access_walk import (  # noqa: F401 (site and walk are fixtures)
    ACCESS,
    path_of,
    request,
    rows_of,
    site,
    split_state,
    walk,
)

pytestmark = pytest.mark.django_db

# The views marked with painrelief.pagecache.public_page, by URL name.
PUBLIC = {
    "home",
    "sitemap",
    "sitemap-section",
    "privacy",
    "search",
    "articles:list",
    "articles:feed",
    "articles:feed-atom",
    "articles:category",
    "articles:category-feed",
    "articles:category-feed-atom",
    "articles:tag",
    "articles:detail",
    "questions:list",
    "questions:feed",
    "questions:detail",
    "articles:comments-feed",
    "comments:feed",
}
ROLES = ("visitor", "reader", "coach")


def cache_problem(key: str, method: str, role: str, response) -> str:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    public = {d for d in directives if d == "public" or d.startswith(("max-age", "stale-"))}
    if public == directives and "public" in directives:
        if key not in PUBLIC or role != "visitor" or method != "get":
            return "public, but not a visitor's page of the allow-list"
        if response.cookies:
            return f"public, but sets {', '.join(response.cookies)}"
        return ""
    if {"private", "no-store"} <= directives:
        if key in PUBLIC and role == "visitor" and response.status_code == 200:
            return "a public page that is not public"
        return ""
    return "neither public nor private, no-store"


@pytest.mark.parametrize("key", list(ACCESS))
def test_every_answer_is_public_from_the_allow_list_or_private_no_store(walk, key):  # noqa: F811
    problems = []
    for state in rows_of(key):
        method, object_state = split_state(state)
        path = path_of(walk, key, object_state)
        for role in ROLES:
            response, _ = request(walk, role, method, path)
            if problem := cache_problem(key, method, role, response):
                problems.append(
                    f"{method.upper()} {path} as {role} ({response.status_code}): {problem}: "
                    f"{response.get('Cache-Control', '(no Cache-Control)')}"
                )
    assert not problems, "\n".join(problems)


def test_the_allow_list_names_only_urls_that_exist():
    assert ACCESS.keys() >= PUBLIC
