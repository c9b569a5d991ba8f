"""A reader asks the coach privately; the coach answers in the admin; with the reader's
approval of the exact text, the question and answer become public."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from questions import links, services
from questions.models import Question, Snippet
from tests.browser.conftest import admin_log_in, assert_accessible
from tests.factories import ArticleFactory, QuestionFactory, coach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Numb left arm and knots beside the shoulder blade"
PARAGRAPHS = [
    "I am writing for my husband Lars. He has a herniated disc in his neck, seen on the MRI.",
    "His left arm is numb and getting worse every day. He also has hard knots between the "
    "shoulder blade and the spine, on the left.",
    "Two physios disagree: one says the knots come from the disc, the other wants to massage "
    "them hard. What should we do?",
]
CASE = "\n\n".join(PARAGRAPHS)
ASKER = {"name": "Ingrid Holm", "email": "ingrid@example.net"}
AREAS = ["Neck", "Upper back", "Arm and hand"]
ANONYMOUS = "You may publish my question and your answer without my name"
RED_FLAG = "Numbness or weakness getting worse"
URGENT = "Please seek urgent care"

ANSWER = "## See a doctor this week\n\nA numb arm that gets worse needs an examination first."
SNIPPET = {"title": "Heat before stretching", "body": "Ten minutes of heat, then the stretches."}
PUBLIC_TITLE = "A numb arm and knots beside the shoulder blade"
PUBLIC_PARAGRAPHS = [
    "I am writing for my husband. He has a herniated disc in his neck, seen on the MRI.",
    *PARAGRAPHS[1:],
]
PHONE = {"width": 390, "height": 844}


def label(text):
    """A form field's label; crispy forms ends it with "*" when the field is required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


NAME = label("Your name, or the name you would like us to use")


def urgent_notice(page):
    return page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name=URGENT, exact=True)
    )


def fill_ask_form(page, *, case=CASE, email=ASKER["email"]):
    page.get_by_label(label("A short title")).fill(TITLE)
    page.get_by_label(label("Your case")).fill(case)
    for area in AREAS:
        page.get_by_label(area, exact=True).check()
    page.get_by_label("A few weeks", exact=True).check()
    page.get_by_label("I am writing on behalf of someone").check()
    page.get_by_label(NAME).fill(ASKER["name"])
    page.get_by_label(label("Your email address")).fill(email)
    page.get_by_label(ANONYMOUS).check()


def expect_ask_form_kept(page, *, case=CASE, email=ASKER["email"]):
    """Everything typed and ticked is back in the form."""
    expect(page.get_by_role("heading", name="Ask the coach", level=1)).to_be_visible()
    expect(page.get_by_label(label("A short title"))).to_have_value(TITLE)
    expect(page.get_by_label(label("Your case"))).to_have_value(case)
    for area in AREAS:
        expect(page.get_by_label(area, exact=True)).to_be_checked()
    expect(page.get_by_label("Shoulder", exact=True)).not_to_be_checked()
    expect(page.get_by_label("A few weeks", exact=True)).to_be_checked()
    expect(page.get_by_label("I am writing on behalf of someone")).to_be_checked()
    expect(page.get_by_label(NAME)).to_have_value(ASKER["name"])
    expect(page.get_by_label(label("Your email address"))).to_have_value(email)
    expect(page.get_by_label(ANONYMOUS)).to_be_checked()


def expect_preview(page):
    """The preview shows the urgent-care notice and the question exactly as typed."""
    expect(page.get_by_role("heading", name="Check your question before sending")).to_be_visible()
    expect(urgent_notice(page)).to_contain_text(f"We noticed: {RED_FLAG}.")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".question-case p")).to_have_text(PARAGRAPHS)
    details = page.locator("dl")
    expect(details).to_contain_text("Where it hurts" + ", ".join(AREAS))
    expect(details).to_contain_text("Since whenA few weeks")
    expect(details).to_contain_text("Written for someone elseYes")
    expect(details).to_contain_text("Name" + ASKER["name"])
    expect(details).to_contain_text("Email (private)" + ASKER["email"])
    expect(details).to_contain_text("Publication" + ANONYMOUS)


def private_link_in(email):
    link = re.search(r"https?://\S+(/questions/private/[^/\s]+/)", email.body)
    assert link, email.body
    return link.group(1)


def emails_to_asker(mailoutbox):
    return {m.subject.split(" · ")[0]: m for m in mailoutbox if m.to == [ASKER["email"]]}


def choose_related_article(admin, article):
    """Pick an article in the related-articles autocomplete, as the coach does: type, click."""
    admin.locator(".field-related_articles .select2-selection").click()
    admin.locator(".select2-search__field").fill(article.title.split()[-1])
    admin.get_by_role("option", name=article.title).click()
    expect(admin.locator(".field-related_articles .select2-selection")).to_contain_text(
        article.title
    )


def test_a_question_is_asked_answered_approved_published_and_withdrawn(
    page, new_page, mailoutbox, settings
):
    """A guest's case is answered, published with approval, then withdrawn; nothing identifies."""
    settings.SPAM_MIN_SECONDS = 0
    desk = coach()
    article = ArticleFactory(title="Release the rhomboid knot with a ball")
    older = QuestionFactory(
        public=True, areas=["lower-back"], created_at=timezone.now() - timedelta(days=9)
    )
    Snippet.objects.create(**SNIPPET)

    # The guest asks; the urgent-care notice appears as soon as the case mentions a red flag.
    page.goto("/questions/ask/")
    expect(page.get_by_role("heading", name="Ask the coach", level=1)).to_be_visible()
    case_box = page.get_by_label(label("Your case"))
    case_box.fill(PARAGRAPHS[0] + "\n\n")
    expect(urgent_notice(page)).to_be_hidden()
    case_box.press_sequentially(PARAGRAPHS[1][:60])
    expect(urgent_notice(page)).to_be_visible()
    fill_ask_form(page)
    expect(urgent_notice(page)).to_be_visible()
    page.get_by_role("button", name="Preview my question").click()
    expect_preview(page)

    page.get_by_role("button", name="Change something").click()
    expect_ask_form_kept(page)
    expect(urgent_notice(page)).to_be_visible()

    page.get_by_role("button", name="Preview my question").click()
    expect_preview(page)
    page.get_by_role("button", name="Send my question").click()
    expect(
        page.get_by_role("heading", name="Thank you: your question is on its way")
    ).to_be_visible()
    expect(urgent_notice(page)).to_contain_text(f"We noticed: {RED_FLAG}.")
    received = emails_to_asker(mailoutbox)["We received your question"]
    private = private_link_in(received)
    expect(page.get_by_role("link", name="Open my question's private page")).to_have_attribute(
        "href", private
    )
    for secret in (TITLE, *PARAGRAPHS, "Lars", "herniated"):
        assert secret not in received.body

    # The coach finds it first in the queue, reads it and answers.
    admin = new_page()
    admin_log_in(admin, desk)
    admin.goto("/admin/")
    admin.locator("#moderation-queue").get_by_role("link", name="1 new").click()
    first_row = admin.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(f"⚑ {RED_FLAG} {TITLE}")
    first_row.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(admin.locator(".case-text mark.identifying", has_text="husband Lars")).to_be_visible()
    # The public version starts as a copy of the case: the name is flagged there too.
    expect(
        admin.locator(".public-comparison mark.identifying", has_text="husband Lars")
    ).to_be_visible()
    expect(admin.locator(".field-red_flag_list")).to_contain_text(RED_FLAG)
    expect(admin.locator(".field-red_flag_list")).to_contain_text(
        "The asker was told to seek urgent care."
    )
    expect(admin.locator("#id_public_title")).to_have_value(TITLE)

    admin.fill("#id_answer", ANSWER)
    preview = admin.locator("#markdown-preview-panel")
    expect(preview.get_by_role("heading", name="See a doctor this week")).to_be_visible()
    admin.get_by_label("Insert a snippet").select_option(label=SNIPPET["title"])
    expect(admin.locator("#id_answer")).to_have_value(f"{ANSWER}\n\n{SNIPPET['body']}\n\n")
    expect(preview.get_by_text(SNIPPET["body"])).to_be_visible()
    choose_related_article(admin, article)
    admin.get_by_role("button", name="Save and publish the answer").click()
    expect(
        admin.get_by_text("The answer is published; the asker was emailed a link to it.")
    ).to_be_visible()

    answered = emails_to_asker(mailoutbox)["The coach has answered your question"]
    assert "See a doctor" not in answered.body and SNIPPET["body"] not in answered.body

    # The asker reads the answer on the private page.
    page.goto(private_link_in(answered))
    progress = page.get_by_role("list", name="Where your question stands")
    expect(progress.locator("[aria-current=step]")).to_have_text("Answered")
    expect(page.locator(".question-case p")).to_have_text(PARAGRAPHS)
    answer = page.locator(".question-answer")
    expect(answer.get_by_role("heading", name="See a doctor this week")).to_be_visible()
    expect(answer.get_by_text(SNIPPET["body"])).to_be_visible()
    expect(answer.get_by_text("not medical advice")).to_be_visible()
    expect(page.get_by_role("heading", name="May we publish this?")).to_have_count(0)

    # The coach prepares the public version without the name and asks for approval.
    admin.goto("/admin/questions/question/")
    admin.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    admin.fill("#id_public_title", PUBLIC_TITLE)
    admin.fill("#id_public_body", "\n\n".join(PUBLIC_PARAGRAPHS))
    admin.get_by_role(
        "button", name="Save and send the public version for the asker's approval"
    ).click()
    expect(
        admin.get_by_text("The public version was sent to the asker for approval.")
    ).to_be_visible()
    # Beside the case, the coach sees what the public version cut: the husband's name is gone.
    admin.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
    comparison = admin.locator(".public-comparison")
    expect(comparison.locator("del", has_text="Lars")).to_be_visible()
    expect(comparison.locator("mark.identifying")).to_have_count(0)
    expect(admin.get_by_text("No identifying detail spotted in it.")).to_be_visible()
    consent_email = emails_to_asker(mailoutbox)["Please check the public version of your question"]
    assert "Lars" not in consent_email.body and PUBLIC_TITLE not in consent_email.body

    # The asker reads the exact public text and approves it.
    page.goto(private_link_in(consent_email))
    consent = page.get_by_role("region", name="May we publish this?")
    expect(consent).to_contain_text("without your name")
    public_version = consent.locator("blockquote")
    for paragraph in (PUBLIC_TITLE, *PUBLIC_PARAGRAPHS):
        expect(public_version.get_by_text(paragraph, exact=True)).to_be_visible()
    expect(public_version.get_by_role("heading", name="See a doctor this week")).to_be_visible()
    expect(public_version).not_to_contain_text("Lars")
    consent.get_by_role("button", name="Yes, publish this text").click()
    expect(page.get_by_text("Thank you: the question and answer are published.")).to_be_visible()
    expect(progress.locator("[aria-current=step]")).to_have_text("Published")

    # A visitor finds it in the public Q&A, also under its body area, and reads it.
    visitor = new_page()
    visitor.goto("/questions/")
    expect(visitor.get_by_role("link", name=PUBLIC_TITLE)).to_be_visible()
    expect(visitor.get_by_role("link", name=older.public_title)).to_be_visible()
    visitor.get_by_role("navigation", name="Filter by where it hurts").get_by_role(
        "link", name="Arm and hand"
    ).click()
    expect(visitor.get_by_role("heading", name="Questions answered: Arm and hand")).to_be_visible()
    expect(visitor.get_by_role("link", name=older.public_title)).to_have_count(0)
    visitor.get_by_role("link", name=PUBLIC_TITLE).click()

    expect(visitor.get_by_role("heading", name=PUBLIC_TITLE, level=1)).to_be_visible()
    expect(visitor.get_by_role("region", name="The question").locator("p")).to_have_text(
        PUBLIC_PARAGRAPHS
    )
    public_answer = visitor.locator(".question-answer")
    expect(public_answer.get_by_role("heading", name="See a doctor this week")).to_be_visible()
    expect(public_answer.get_by_text("not medical advice")).to_be_visible()
    expect(
        visitor.get_by_role("region", name="Related articles").get_by_role(
            "link", name=article.title
        )
    ).to_have_attribute("href", article.get_absolute_url())
    for secret in (ASKER["name"], "Ingrid", ASKER["email"], "Lars", TITLE):
        expect(visitor.locator("body")).not_to_contain_text(secret)
        assert secret not in visitor.content()
    public_url = visitor.url

    # The asker withdraws: the page and its entry in the list are gone for the next visitor
    # at once (the site's cache is renewed); a browser that already holds the page keeps its
    # copy up to PUBLIC_MAX_AGE (see "Caching").
    page.get_by_role("button", name="Withdraw my agreement").click()
    expect(page.get_by_text("Understood: nothing is published.")).to_be_visible()
    expect(progress.locator("[aria-current=step]")).to_have_text("Answered")
    visitor = new_page()
    response = visitor.goto(public_url)
    assert response.status == 404
    expect(visitor.get_by_role("heading", name="Page not found")).to_be_visible()
    visitor.goto("/questions/")
    expect(visitor.get_by_role("link", name=older.public_title)).to_be_visible()
    expect(visitor.get_by_role("link", name=PUBLIC_TITLE)).to_have_count(0)


def test_deleting_a_question_needs_the_confirmation_and_kills_the_private_link(page):
    """Delete my question does nothing until the box is ticked; then the private link is dead."""
    question = QuestionFactory(title=TITLE, body=CASE)
    private = f"/questions/private/{links.private_token(question)}/"
    page.goto(private)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    page.get_by_role("button", name="Delete my question").click()
    confirm = page.get_by_label("I understand this cannot be undone")
    expect(confirm).to_be_focused()  # the browser asks for the tick instead of sending
    expect(page).to_have_url(re.compile(re.escape(private) + "$"))
    assert Question.objects.filter(pk=question.pk).exists()

    confirm.check()
    page.get_by_role("button", name="Delete my question").click()
    expect(
        page.get_by_text("Your question and everything attached to it are deleted.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Questions answered", level=1)).to_be_visible()
    assert not Question.objects.filter(pk=question.pk).exists()

    response = page.goto(private)
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)


def test_a_form_error_keeps_everything_typed(page, settings):
    """A too-long case and a bad email are explained, all fields kept; corrected, it previews."""
    settings.SPAM_MIN_SECONDS = 0
    long_case = CASE + "\n\n" + "He sleeps badly because of the arm. " * 280
    page.goto("/questions/ask/")
    fill_ask_form(page, case=long_case, email="ingrid.example.net")
    expect(page.get_by_text(f"{len(long_case):,} of 10,000 characters")).to_be_visible()
    page.get_by_role("button", name="Preview my question").click()

    errors = page.get_by_role("alert").filter(has_text="Please correct what is marked below.")
    expect(errors).to_contain_text("Everything you typed is kept.")
    too_long = (
        f"Your case has {len(long_case.strip()):,} characters; please shorten it to 10,000. "
        "Everything you wrote is still here."
    )
    # The summary links each error to its field, and the first field with an error has focus.
    expect(errors.get_by_role("link", name=too_long)).to_have_attribute("href", "#id_body")
    expect(page.locator("#id_body")).to_be_focused()
    expect(page.locator(".invalid-feedback", has_text=too_long)).to_be_visible()
    bad_email = page.locator(".invalid-feedback", has_text="Enter a valid email address.")
    expect(bad_email).to_be_visible()
    expect_ask_form_kept(page, case=long_case, email="ingrid.example.net")
    expect(urgent_notice(page)).to_be_visible()

    page.get_by_label(label("Your case")).fill(CASE)
    page.get_by_label(label("Your email address")).fill(ASKER["email"])
    page.get_by_role("button", name="Preview my question").click()
    expect_preview(page)


def a_question_awaiting_approval():
    """An answered question whose public version the coach has sent to the asker."""
    question = QuestionFactory(
        title=TITLE,
        body=CASE,
        areas=["neck", "arm-and-hand"],
        status=Question.Status.ANSWERED,
        answer=ANSWER,
        answer_published_at=timezone.now(),
        publication=Question.Publication.ANONYMOUS,
        public_title=PUBLIC_TITLE,
        public_body="\n\n".join(PUBLIC_PARAGRAPHS),
    )
    services.request_consent(question=question)
    return question


def test_the_question_pages_are_accessible(page, settings):
    """axe-core finds no WCAG A/AA violation on the ask, preview, sent, private and public pages."""
    settings.SPAM_MIN_SECONDS = 0
    pending = a_question_awaiting_approval()
    public = QuestionFactory(public=True, areas=["neck"])
    ArticleFactory(title="Release the rhomboid knot with a ball").questions.add(public)

    page.goto("/questions/ask/")
    fill_ask_form(page)
    expect(urgent_notice(page)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Preview my question").click()
    expect_preview(page)
    assert_accessible(page)
    page.get_by_role("button", name="Send my question").click()
    expect(urgent_notice(page)).to_be_visible()
    assert_accessible(page)

    page.goto(f"/questions/private/{links.private_token(pending)}/")
    expect(page.get_by_role("heading", name="May we publish this?")).to_be_visible()
    assert_accessible(page)

    page.goto("/questions/")
    expect(page.get_by_role("link", name=public.public_title)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=public.public_title).click()
    expect(page.get_by_role("heading", name=public.public_title, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Release the rhomboid knot with a ball")).to_be_visible()
    assert_accessible(page)


def test_the_ask_form_fits_a_phone(page):
    """At 390 px wide, the filled ask form with its urgent notice needs no horizontal scroll."""
    page.set_viewport_size(PHONE)
    page.goto("/questions/ask/")
    fill_ask_form(page)
    expect(urgent_notice(page)).to_be_visible()
    button = page.get_by_role("button", name="Preview my question")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for field in ("#id_title", "#id_body", "#id_email"):
        box = page.locator(field).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (field, box)
