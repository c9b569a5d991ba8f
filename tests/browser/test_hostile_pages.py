"""The pages that show hostile input, opened in Chromium: no dialog opens, no script runs, and
the Content-Security-Policy reports no violation (issue 12, item 6).

The strings are the sweep's (tests/hostile/payloads.py), stored as the forms store them.
"""

import logging
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from painrelief.comments.models import Comment
from painrelief.text import clean_line, clean_text
from questions import links as question_links
from questions.models import Question
from questions.services import public_text_of
from tests.browser.conftest import admin_log_in
from tests.factories import ArticleFactory, CommentFactory, QuestionFactory, coach
from tests.hostile.payloads import HOSTILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Those the forms store (the others are refused with a message: too long, NUL, only spaces).
STORED = [text for _id, text in HOSTILE if "\x00" not in text and 0 < len(clean_line(text)) <= 60]
WATCH_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
    window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


def watch(page) -> dict:
    """Dialogs opened and CSP violations fired on `page` and the pages it goes to."""
    seen = {"dialogs": [], "violations": [], "policy warnings": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: (
            "Permissions-Policy" in message.text and seen["policy warnings"].append(message.text)
        ),
    )
    page.context.expose_function("reportViolation", lambda text: seen["violations"].append(text))
    page.context.add_init_script(WATCH_VIOLATIONS)
    return seen


def make_public(question):
    question.public_title, question.public_body = question.title, question.body
    question.consent_text = public_text_of(question)
    question.save()


def test_pages_showing_hostile_input_open_no_dialog_and_violate_no_policy(page, caplog):
    the_coach = coach()
    article = ArticleFactory(author=the_coach, title="Knots between the shoulder blades")
    for text in STORED:
        CommentFactory(target=article, name=clean_line(text), body=clean_text(text).strip())
    question = QuestionFactory(
        public=True,
        title=clean_line(STORED[0]),
        body=clean_text("\n\n".join(STORED)),
        name=clean_line(STORED[1]),
        publication=Question.Publication.NAMED,
        published_at=timezone.now(),
    )
    make_public(question)
    private = QuestionFactory(title=clean_line(STORED[2]), body=clean_text("\n".join(STORED)))
    seen = watch(page)

    # The author's own held comment, posted through the form.
    page.goto(article.get_absolute_url())
    page.locator("#id_body").fill(STORED[3] + "\n" + STORED[4])
    page.locator("#id_name").fill(STORED[5])
    page.locator("#id_email").fill("maria@example.net")
    time.sleep(3)  # a person's pace: the form stamp holds faster posts
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("awaiting moderation").first).to_be_visible()
    held = Comment.objects.get(email="maria@example.net")
    assert held.status != Comment.Status.APPROVED and held.body == STORED[3] + "\n" + STORED[4]

    paths = [
        question.get_absolute_url(),
        reverse("questions:list"),
        question_links.private_path(private),
        f"{reverse('search')}?q=zygapophyseal",
        *(f"{reverse('search')}?q={text}" for text in STORED[:12]),
    ]
    for path in paths:
        page.goto(path)
    admin_log_in(page, the_coach)
    for path in [
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_change", args=[held.pk]),
        reverse("admin:comments_comment_change", args=[Comment.objects.first().pk]),
        reverse("admin:questions_question_changelist"),
        reverse("admin:questions_question_change", args=[private.pk]),
        reverse("admin:questions_question_change", args=[question.pk]),
    ]:
        page.goto(path)
    page.goto(article.get_absolute_url())
    expect(page.locator(".comment").first).to_be_visible()

    assert not seen["dialogs"], seen["dialogs"]
    assert not seen["violations"], seen["violations"]
    assert not [r for r in caplog.records if r.name == "painrelief.security"]
    assert page.evaluate("() => typeof window.hostileRan") == "undefined"
    # Chromium warns in the console of a feature of our Permissions-Policy it does not know.
    assert not seen["policy warnings"], seen["policy warnings"]


def test_a_violation_fires_the_watch_and_reaches_our_endpoint(browser, live_server, caplog):
    """The watch above can fail: a script the policy blocks is seen at once, and Chromium's
    report arrives at /csp-report/ and is logged."""
    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        # A context of its own: the `page` fixture fails a test on any CSP violation.
        context = browser.new_context(base_url=live_server.url)
        try:
            page = context.new_page()
            seen = watch(page)
            page.goto("/")
            page.evaluate(
                "() => { const s = document.createElement('script');"
                " s.textContent = 'window.hostileRan = 1'; document.body.append(s); }"
            )
            page.wait_for_timeout(200)
            assert seen["violations"] == ["script-src-elem blocked inline"]
            assert page.evaluate("() => typeof window.hostileRan") == "undefined"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not _logged(caplog):
                page.wait_for_timeout(100)
        finally:
            context.close()
    assert _logged(caplog) == ["CSP violation: script-src-elem blocked inline on / (enforce)"]


def _logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "painrelief.security"]
