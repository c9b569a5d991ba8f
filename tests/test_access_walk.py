"""The access walk (issue 12, item 7): every URL pattern of the resolver, the admin's included,
requested with real objects in every state as a visitor, a reader, another reader, a moderator
and the coach, against one table of who may see what (ACCESS); every answer is also searched
for the secrets that person may not read (askers' emails, private cases, held comments, drafts).

A new URL pattern without a row in ACCESS fails `test_every_url_pattern_has_a_row_in_access`.
A known access bug keeps its correct row and is listed in BUGS: that role's case is a strict
xfail, which fails loudly the day the bug is fixed (then delete its BUGS line).

The objects are built once for the module, inside a transaction that is rolled back at the
end; every request runs in a savepoint that is rolled back too, so a POST, an unsubscribe
link or a logout changes nothing for the next request.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from unittest import mock
from urllib.parse import unquote_plus, urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from articles.models import ArticleRedirect, Picture, Revision
from painrelief.accounts.emails import confirmation_tokens, email_change_tokens
from painrelief.accounts.models import EmailChange
from painrelief.comments import links as comment_links
from painrelief.comments.models import Comment
from painrelief.downloads import emails as download_emails
from painrelief.downloads.models import DownloadRequest, Resource
from painrelief.spam.models import Decision, DisallowedTerm
from painrelief.subscriptions.models import Subscription
from questions import links as question_links
from questions.models import BodyArea, Question, RedFlag, Snippet
from questions.services import public_text_of
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
    coach,
    moderator,
)

# Each test runs in its own savepoint, inside the module's transaction (see `site`).
pytestmark = pytest.mark.django_db

# --- Outcomes and roles ------------------------------------------------------------------

OK = 200
BAD = 400
FORBIDDEN = 403
MISSING = 404
NOT_ALLOWED = 405
GONE = 410
UNSUPPORTED = 415
LOGIN = "login"  # a redirect to the site's log-in page, ?next= back here
ADMIN_LOGIN = "admin login"  # a redirect to the admin's log-in page, ?next= back here
REDIRECT = "redirect"  # any other redirect (301 or 302)

# "reader" wrote the reader's comments and asked the reader's questions; "other" is a
# reader who did not.
ROLES = ("visitor", "reader", "other", "moderator", "coach")


def everyone(outcome):
    return (outcome,) * len(ROLES)


def signed_in(outcome):
    """Log-in needed; then the same for every account."""
    return (LOGIN, outcome, outcome, outcome, outcome)


def staff(moderator, coach):
    """An admin page: readers are sent to the admin's log-in; staff as given."""
    return (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, moderator, coach)


# The admin's old change addresses (<id>/) redirect staff to <id>/change/ before any check:
# they tell nothing that the id did not.
OLD_ADDRESS = staff(REDIRECT, REDIRECT)


def each(states, row, prefix=""):
    """The same row for every state of a kind."""
    return {f"{prefix}{state}": row for state in states}


# --- The objects' states -----------------------------------------------------------------

ARTICLE_STATES = ("draft", "scheduled", "published")
# The reader's comments on the public article (and one on the draft); a guest's comment on
# the withdrawn question; and a guest's comments on the public article, each with the
# guest's emailed manage link.
COMMENT_STATES = (
    "pending",
    "approved",
    "spam",
    "removed",
    "on-draft",
    "on-withdrawn",
    "guest-pending",
    "guest-approved",
    "guest-spam",
    "guest-removed",
)
QUESTION_STATES = (
    "held",
    "new",
    "answered-privately",
    "pending-consent",
    "public",
    "withdrawn",
    "declined",
    "spam",
)
NOT_PUBLIC_QUESTION_STATES = tuple(s for s in QUESTION_STATES if s != "public")
RESOURCE_STATES = ("free", "email")
# Every other model the admin registers has one object, in the state "".
KIND_STATES = {
    "articles.article": ARTICLE_STATES,
    "comments.comment": COMMENT_STATES,
    "questions.question": QUESTION_STATES,
    "downloads.resource": RESOURCE_STATES,
}
APP_LABELS = (
    "auth",
    "axes",
    "accounts",
    "comments",
    "spam",
    "downloads",
    "articles",
    "questions",
    "mail",
    "django_tasks_database",
)

# --- Who may see what --------------------------------------------------------------------
#
# Keyed by URL name (the route, for the admin's few unnamed patterns); a row is one outcome
# per role, in the order of ROLES, or a dict of such rows by the state of the objects in the
# URL (see ARGS). A state starting with "POST" is a POST with no payload (the test client does
# not check CSRF); every other row is a GET.

# fmt: off
ACCESS = {
    # --- Public pages: the same for everyone; the secrets check does the work ------------
    "home":                              everyone(OK),
    "sitemap":                           everyone(OK),
    "sitemap-section": {
        "articles":                      everyone(OK),  # drafts: the secrets check
        "questions":                     everyone(OK),
        "no such section":               everyone(MISSING),
    },
    "robots":                            everyone(OK),
    "healthz":                           everyone(OK),  # ok/failing per part, nothing more
    # Browsers post CSP violation reports; an empty form is no report.
    "csp-report":                        {"": everyone(NOT_ALLOWED), "POST": everyone(UNSUPPORTED)},
    "favicon":                           everyone(REDIRECT),  # to the static file
    "web-manifest":                      everyone(OK),
    "privacy":                           everyone(OK),
    "search": {
        "no query":                      everyone(OK),
        "draft words":                   everyone(OK),
        "scheduled words":               everyone(OK),
        "private case words":            everyone(OK),
        "withdrawn words":               everyone(OK),
    },

    # --- Accounts --------------------------------------------------------------------------
    #                                    visitor      reader    other     moderator  coach
    # Signed in already: on to the profile, or to the home page.
    "accounts:signup":                   (OK,         REDIRECT, REDIRECT, REDIRECT,  REDIRECT),
    "accounts:login":                    (OK,         REDIRECT, REDIRECT, REDIRECT,  REDIRECT),
    "accounts:logout": {
        "":                              everyone(NOT_ALLOWED),  # Django logs out on POST only
        "POST":                          everyone(REDIRECT),
    },
    "accounts:profile":                  signed_in(OK),
    "accounts:password-change":          signed_in(OK),
    "accounts:password-change-done":     signed_in(OK),
    "accounts:password-reset":           everyone(OK),
    "accounts:password-reset-done":      everyone(OK),
    "accounts:password-reset-confirm": {
        # The emailed link is the key, whoever opens it: it moves on to the new-password form.
        "valid link":                    everyone(REDIRECT),
        "forged link":                   everyone(OK),  # a page that says the link is invalid
    },
    "accounts:password-reset-complete":  everyone(OK),
    "accounts:signup-sent":              everyone(OK),  # the same for every address
    "accounts:confirm-email": {
        # The emailed link is the key, whoever opens it: a button confirms the address.
        "valid link":                    everyone(OK),
        "forged link":                   everyone(GONE),
    },
    "accounts:email-change":             signed_in(OK),
    "accounts:email-change-confirm": {
        # The link sent to the new address is the key: a button confirms it.
        "valid link":                    everyone(OK),
        "forged link":                   everyone(GONE),
    },
    # Staff accounts are deleted by an administrator: their page says so, their POST is refused.
    # A reader's empty POST is a form with errors (no password): nothing is deleted.
    "accounts:delete": {
        "":                              signed_in(OK),
        "POST":                          (LOGIN,      OK,       OK,       FORBIDDEN, FORBIDDEN),
    },
    "accounts:deleted":                  everyone(OK),

    # --- Articles: drafts and scheduled articles are the coach's previews ----------------
    #                                    visitor      reader    other     moderator  coach
    "articles:list":                     everyone(OK),
    "articles:feed":                     everyone(OK),
    "articles:feed-atom":                everyone(OK),
    "articles:category":                 {"": everyone(OK), "missing": everyone(MISSING)},
    "articles:category-feed":            {"": everyone(OK), "missing": everyone(MISSING)},
    "articles:category-feed-atom":       {"": everyone(OK), "missing": everyone(MISSING)},
    "articles:tag":                      {"": everyone(OK), "missing": everyone(MISSING)},
    "articles:detail": {
        # Moderators judge comments, not articles: no preview for them.
        "draft":                         (MISSING,    MISSING,  MISSING,  MISSING,   OK),
        "scheduled":                     (MISSING,    MISSING,  MISSING,  MISSING,   OK),
        "published":                     everyone(OK),
        "old slug":                      everyone(REDIRECT),  # 301 to the new address
    },
    "articles:comments-feed": {
        "draft":                         everyone(MISSING),  # the coach's preview has no feed
        "scheduled":                     everyone(MISSING),
        "published":                     everyone(OK),
    },

    # --- Downloads -------------------------------------------------------------------------
    "downloads:resource": {
        "free":                          everyone(OK),  # the file itself
        "email":                         everyone(OK),  # the form asking for an address, no file
        "missing":                       everyone(MISSING),
    },
    "downloads:download": {
        "valid link":                    everyone(OK),  # the emailed link is the key to the file
        "expired link":                  everyone(GONE),
        "forged link":                   everyone(GONE),
        "signed, not a mapping":         everyone(GONE),
    },
    "downloads:forget-email": {
        "valid link":                    everyone(OK),  # asks to confirm, naming the address
        "forged link":                   everyone(MISSING),
    },

    # --- Subscriptions: the emailed key is the holder's key --------------------------------
    "subscriptions:subscribe": {
        "":                              everyone(OK),
        "POST":                          everyone(BAD),  # the empty form comes back
    },
    "subscriptions:confirm": {
        "valid key":                     everyone(OK),  # asks for the click, naming the address
        "wrong key":                     everyone(MISSING),
    },
    "subscriptions:manage": {
        "valid key":                     everyone(OK),
        "wrong key":                     everyone(MISSING),
    },
    "subscriptions:unsubscribe": {
        "valid key":                     everyone(OK),  # asks first; names no address
        "wrong key":                     everyone(OK),  # "no more emails": tells nothing
    },

    # --- Questions: public Q&A for all; a case is read through its private link -----------
    #                                    visitor      reader    other     moderator  coach
    "questions:list":                    {"": everyone(OK), "area": everyone(OK)},
    "questions:ask":                     everyone(OK),
    "questions:feed":                    everyone(OK),
    "questions:mine":                    signed_in(OK),
    "questions:sent": {
        "no link":                       everyone(OK),  # after a spam verdict: no link, no hint
        "forged link":                   everyone(OK),  # the same page, without a link
        "signed, not a mapping":         everyone(OK),
        # The thank-you page carries the private link: whoever holds its address holds the key.
        **each(QUESTION_STATES,          everyone(OK)),
    },
    "questions:private": {
        # The signed link is the key, emailed to the asker, no account needed: anyone holding
        # it reads the case (even a moderator or the coach opening it is "the asker" here).
        **each(QUESTION_STATES,          everyone(OK)),
        "expired link":                  everyone(GONE),
        "forged link":                   everyone(MISSING),
        "signed, not a mapping":         everyone(MISSING),
        "deleted question":              everyone(MISSING),
    },
    "questions:detail": {
        # Only answered, agreed and approved questions have a public page, for the coach too.
        **each(NOT_PUBLIC_QUESTION_STATES, everyone(MISSING)),
        "public":                        everyone(OK),
        "public, old slug":              everyone(REDIRECT),  # 301 to the current title's slug
    },

    # --- Comments --------------------------------------------------------------------------
    #                                    visitor      reader    other     moderator  coach
    "comments:feed":                     everyone(OK),  # approved comments on public pages only
    "comments:post": {
        "published article":             everyone(OK),  # the form on a page of its own (no JS)
        "draft article":                 everyone(MISSING),
        "POST published article":        everyone(BAD),  # the empty form comes back with errors
        "POST draft article":            everyone(MISSING),
        "POST public question":          everyone(BAD),
        "POST withdrawn question":       everyone(MISSING),
        "POST unknown kind":             everyone(MISSING),
    },
    # The cached page's per-visitor parts: CSRF token, stamp, the guest's own held comments
    # (their cookie, which no role here has, lists them).
    "comments:form-state-only":          everyone(OK),  # the token and a stamp, nothing else
    "comments:form-state": {
        "published article":             everyone(OK),
        "draft article":                 everyone(MISSING),
        "public question":               everyone(OK),
        "withdrawn question":            everyone(MISSING),
        "unknown kind":                  everyone(MISSING),
    },
    "comments:permalink": {
        # A held comment is found by its author alone (spam looks held to its author); staff
        # read it in the admin, not on the site.
        "pending":                       (MISSING,    REDIRECT, MISSING,  MISSING,   MISSING),
        "approved":                      everyone(REDIRECT),
        "spam":                          (MISSING,    REDIRECT, MISSING,  MISSING,   MISSING),
        "removed":                       everyone(MISSING),
        "on-draft":                      everyone(MISSING),  # its page is not public
        "on-withdrawn":                  everyone(MISSING),
        # A guest proves authorship with a cookie of their browser, which no role here has.
        "guest-pending":                 everyone(MISSING),
        "guest-approved":                everyone(REDIRECT),
        "guest-spam":                    everyone(MISSING),
        "guest-removed":                 everyone(MISSING),
    },
    # A signed-in author's own comment, from the site's Edit link: nobody else's, staff
    # included (they work in the admin). Spam, removed comments and those whose page is gone
    # are not their author's to change either.
    "comments:edit": {
        "pending":                       (LOGIN,      OK,       MISSING,  MISSING,   MISSING),
        "approved":                      (LOGIN,      OK,       MISSING,  MISSING,   MISSING),
        **each(COMMENT_STATES[2:],       signed_in(MISSING)),
    },
    "comments:delete": {
        "pending":                       (LOGIN,      NOT_ALLOWED, MISSING, MISSING, MISSING),
        "approved":                      (LOGIN,      NOT_ALLOWED, MISSING, MISSING, MISSING),
        **each(COMMENT_STATES[2:],       signed_in(MISSING)),
        "POST pending":                  (LOGIN,      REDIRECT, MISSING,  MISSING,   MISSING),
        "POST approved":                 (LOGIN,      REDIRECT, MISSING,  MISSING,   MISSING),
        **each(COMMENT_STATES[2:],       signed_in(MISSING), "POST "),
    },
    # The Report link's page: published comments on public pages, by anyone but their author.
    # An empty POST comes back with its errors.
    "comments:report": {
        "approved":                      (OK,         FORBIDDEN, OK,      OK,        OK),
        "guest-approved":                everyone(OK),
        **each([s for s in COMMENT_STATES if "approved" not in s], everyone(MISSING)),
        "POST approved":                 (BAD,        FORBIDDEN, BAD,     BAD,       BAD),
        "POST guest-approved":           everyone(BAD),
        **each([s for s in COMMENT_STATES if "approved" not in s], everyone(MISSING), "POST "),
    },
    "comments:manage": {
        # The guest's emailed link is the key to their comment; accounts use the site instead.
        **each(COMMENT_STATES[:5],       everyone(MISSING)),
        "on-withdrawn":                  everyone(OK),
        "guest-pending":                 everyone(OK),
        "guest-approved":                everyone(OK),
        "guest-spam":                    everyone(OK),
        "guest-removed":                 everyone(MISSING),
        "forged link":                   everyone(MISSING),
        "signed, not a mapping":         everyone(MISSING),
    },
    "comments:unsubscribe": {
        # One click from the email (RFC 8058): the signed id is the key.
        **each(COMMENT_STATES,           everyone(OK)),
        "forged link":                   everyone(MISSING),
        "signed, not a mapping":         everyone(MISSING),
    },

    # --- The admin's own pages -------------------------------------------------------------
    #                                    visitor      reader    other     moderator  coach
    "admin:index":                       staff(OK, OK),
    # A reader is shown the form with "you are not authorised"; staff go on to the index.
    "admin:login":                       (OK,         OK,       OK,       REDIRECT,  REDIRECT),
    "admin:logout": {
        # Not signed in to the admin: back to its index (and so to its log-in).
        "":                              (REDIRECT,   REDIRECT, REDIRECT, NOT_ALLOWED, NOT_ALLOWED),
        "POST":                          everyone(REDIRECT),
    },
    "admin:password_change":             staff(OK, OK),
    "admin:password_change_done":        staff(OK, OK),
    "admin:jsi18n":                      staff(OK, OK),
    "admin:autocomplete": {
        # Answered by the permission to view the model searched (articles, categories...).
        "no parameters":                 staff(FORBIDDEN, FORBIDDEN),
        "question related articles":     staff(FORBIDDEN, OK),
        "article tags":                  staff(FORBIDDEN, OK),
        "article category":              staff(FORBIDDEN, OK),
        "article resource":              staff(FORBIDDEN, OK),
        "category parent":               staff(FORBIDDEN, OK),
    },
    "admin:view_on_site": {
        # Only to an address the person may open (issue 16): no draft's slug for moderators,
        # and no non-public question's key for anyone (its public page is a 404 for all).
        "article draft":                 staff(MISSING, REDIRECT),
        "article scheduled":             staff(MISSING, REDIRECT),
        "article published":             staff(REDIRECT, REDIRECT),
        **each(NOT_PUBLIC_QUESTION_STATES, staff(MISSING, MISSING), "question "),
        "question public":               staff(REDIRECT, REDIRECT),
        "comment pending":               staff(REDIRECT, REDIRECT),  # /comments/<id>/: no secret
        "comment approved":              staff(REDIRECT, REDIRECT),
        "resource email":                staff(REDIRECT, REDIRECT),
        "category":                      staff(REDIRECT, REDIRECT),
        "tag":                           staff(REDIRECT, REDIRECT),
        "user":                          staff(MISSING, MISSING),  # no page on the site
        "missing object":                staff(MISSING, MISSING),
    },
    "admin:app_list": {
        # An app's page exists for those who may view one of its models.
        "auth":                          staff(MISSING, MISSING),
        "axes":                          staff(MISSING, MISSING),
        "accounts":                      staff(MISSING, OK),
        "comments":                      staff(OK, OK),
        "spam":                          staff(OK, OK),
        "downloads":                     staff(MISSING, OK),
        "articles":                      staff(MISSING, OK),
        "questions":                     staff(OK, OK),
        "mail":                          staff(MISSING, MISSING),
        "django_tasks_database":         staff(MISSING, MISSING),
    },
    # Any other admin address: readers are sent to log in rather than told what exists.
    "admin/(?P<url>.*)$":                {"unknown page": staff(MISSING, MISSING)},

    # --- Admin: groups and django-axes' records (superusers only) -------------------------
    "admin:auth_group_changelist":                  staff(FORBIDDEN, FORBIDDEN),
    "admin:auth_group_add":                         staff(FORBIDDEN, FORBIDDEN),
    "admin:auth_group_change":                      staff(FORBIDDEN, FORBIDDEN),
    "admin:auth_group_delete":                      staff(FORBIDDEN, FORBIDDEN),
    "admin:auth_group_history":                     staff(FORBIDDEN, FORBIDDEN),
    "admin/auth/group/<path:object_id>/":           OLD_ADDRESS,
    "admin:axes_accessattempt_changelist":          staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessattempt_add":                 staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessattempt_change":              staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessattempt_delete":              staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessattempt_history":             staff(FORBIDDEN, FORBIDDEN),
    "admin/axes/accessattempt/<path:object_id>/":   OLD_ADDRESS,
    "admin:axes_accesslog_changelist":              staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accesslog_add":                     staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accesslog_change":                  staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accesslog_delete":                  staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accesslog_history":                 staff(FORBIDDEN, FORBIDDEN),
    "admin/axes/accesslog/<path:object_id>/":       OLD_ADDRESS,
    "admin:axes_accessfailurelog_changelist":       staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessfailurelog_add":              staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessfailurelog_change":           staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessfailurelog_delete":           staff(FORBIDDEN, FORBIDDEN),
    "admin:axes_accessfailurelog_history":          staff(FORBIDDEN, FORBIDDEN),
    "admin/axes/accessfailurelog/<path:object_id>/": OLD_ADDRESS,

    # --- Admin: the outbox, the task queue and its schedule (superusers only: emails carry
    # private links) ---------------------------------------------------------------------
    "admin:mail_outgoingemail_changelist":          staff(FORBIDDEN, FORBIDDEN),
    "admin:mail_outgoingemail_add":                 staff(FORBIDDEN, FORBIDDEN),
    "admin:mail_outgoingemail_change":              staff(FORBIDDEN, FORBIDDEN),
    "admin:mail_outgoingemail_delete":              staff(FORBIDDEN, FORBIDDEN),
    "admin:mail_outgoingemail_history":             staff(FORBIDDEN, FORBIDDEN),
    "admin/mail/outgoingemail/<path:object_id>/":   OLD_ADDRESS,
    "admin:django_tasks_database_dbtaskresult_changelist": staff(FORBIDDEN, FORBIDDEN),
    "admin:django_tasks_database_dbtaskresult_add":        staff(FORBIDDEN, FORBIDDEN),
    "admin:django_tasks_database_dbtaskresult_change":     staff(FORBIDDEN, FORBIDDEN),
    "admin:django_tasks_database_dbtaskresult_delete":     staff(FORBIDDEN, FORBIDDEN),
    "admin:django_tasks_database_dbtaskresult_history":    staff(FORBIDDEN, FORBIDDEN),
    "admin/django_tasks_database/dbtaskresult/<path:object_id>/": OLD_ADDRESS,
    "admin:worker_periodicjob_changelist":          staff(FORBIDDEN, FORBIDDEN),
    "admin:worker_periodicjob_add":                 staff(FORBIDDEN, FORBIDDEN),
    "admin:worker_periodicjob_change":              staff(FORBIDDEN, FORBIDDEN),
    "admin:worker_periodicjob_delete":              staff(FORBIDDEN, FORBIDDEN),
    "admin:worker_periodicjob_history":             staff(FORBIDDEN, FORBIDDEN),
    "admin/worker/periodicjob/<path:object_id>/":   OLD_ADDRESS,

    # --- Admin: accounts (the coach views them; roles are given by superusers) -----------
    #                                               moderator  coach
    "admin:accounts_user_changelist":               staff(FORBIDDEN, OK),
    "admin:accounts_user_add":                      staff(FORBIDDEN, FORBIDDEN),
    "admin:accounts_user_change":                   staff(FORBIDDEN, OK),  # read only
    "admin:accounts_user_delete":                   staff(FORBIDDEN, FORBIDDEN),
    "admin:accounts_user_history":                  staff(FORBIDDEN, OK),
    "admin:auth_user_password_change":              staff(FORBIDDEN, FORBIDDEN),
    "admin/accounts/user/<path:object_id>/":        OLD_ADDRESS,

    # --- Admin: the comment queue (moderators and the coach alike) ------------------------
    #                                               moderator  coach
    "admin:comments_comment_changelist":            staff(OK, OK),
    # Comments are written on the site (the coach answers from a comment's change page).
    "admin:comments_comment_add":                   staff(FORBIDDEN, FORBIDDEN),
    "admin:comments_comment_change":                each(COMMENT_STATES, staff(OK, OK)),
    "admin:comments_comment_delete":                each(COMMENT_STATES, staff(OK, OK)),
    "admin:comments_comment_history":               each(COMMENT_STATES, staff(OK, OK)),
    "admin/comments/comment/<path:object_id>/":     each(COMMENT_STATES, OLD_ADDRESS),
    "admin:comments_comment_decide": {
        "ham":                                      staff(NOT_ALLOWED, NOT_ALLOWED),  # buttons POST
        "POST ham":                                 staff(REDIRECT, REDIRECT),
        "POST spam":                                staff(REDIRECT, REDIRECT),
        "POST unknown verdict":                     staff(MISSING, MISSING),
    },

    # --- Admin: the spam defence's terms and decisions -----------------------------------
    "admin:spam_disallowedterm_changelist":         staff(OK, OK),
    "admin:spam_disallowedterm_add":                staff(OK, OK),
    "admin:spam_disallowedterm_change":             staff(OK, OK),
    "admin:spam_disallowedterm_delete":             staff(OK, OK),
    "admin:spam_disallowedterm_history":            staff(OK, OK),
    "admin/spam/disallowedterm/<path:object_id>/":  OLD_ADDRESS,
    "admin:spam_decision_changelist":               staff(OK, OK),
    # The record of decisions is read only.
    "admin:spam_decision_add":                      staff(FORBIDDEN, FORBIDDEN),
    "admin:spam_decision_change":                   staff(OK, OK),
    "admin:spam_decision_delete":                   staff(FORBIDDEN, FORBIDDEN),
    "admin:spam_decision_history":                  staff(OK, OK),
    "admin/spam/decision/<path:object_id>/":        OLD_ADDRESS,

    # --- Admin: downloads (the coach's; the requests hold readers' addresses) -------------
    "admin:downloads_resource_changelist":          staff(FORBIDDEN, OK),
    "admin:downloads_resource_add":                 staff(FORBIDDEN, OK),
    "admin:downloads_resource_change":              each(RESOURCE_STATES, staff(FORBIDDEN, OK)),
    "admin:downloads_resource_delete":              each(RESOURCE_STATES, staff(FORBIDDEN, OK)),
    "admin:downloads_resource_history":             each(RESOURCE_STATES, staff(FORBIDDEN, OK)),
    "admin/downloads/resource/<path:object_id>/":   each(RESOURCE_STATES, OLD_ADDRESS),
    "admin:downloads_downloadrequest_changelist": {
        "":                                         staff(FORBIDDEN, OK),
        "POST export as CSV":                       staff(FORBIDDEN, OK),  # every address asked
    },
    # Readers ask on the site; the coach reads, exports and deletes requests.
    "admin:downloads_downloadrequest_add":          staff(FORBIDDEN, FORBIDDEN),
    "admin:downloads_downloadrequest_change":       staff(FORBIDDEN, OK),  # read only
    "admin:downloads_downloadrequest_delete":       staff(FORBIDDEN, OK),
    "admin:downloads_downloadrequest_history":      staff(FORBIDDEN, OK),
    "admin/downloads/downloadrequest/<path:object_id>/": OLD_ADDRESS,
    # Readers subscribe on the site; the coach sees and removes subscriptions.
    "admin:subscriptions_subscription_changelist":  staff(FORBIDDEN, OK),
    "admin:subscriptions_subscription_add":         staff(FORBIDDEN, FORBIDDEN),
    "admin:subscriptions_subscription_change":      staff(FORBIDDEN, OK),  # read only
    "admin:subscriptions_subscription_delete":      staff(FORBIDDEN, OK),
    "admin:subscriptions_subscription_history":     staff(FORBIDDEN, OK),
    "admin/subscriptions/subscription/<path:object_id>/": OLD_ADDRESS,

    # --- Admin: the coach's writing desk ---------------------------------------------------
    # Moderators get 403 on every article page, a published one's included: the README gives
    # them the comment queue and held questions, and "they cannot edit articles or answers".
    "admin:articles_article_changelist":            staff(FORBIDDEN, OK),
    "admin:articles_article_add":                   staff(FORBIDDEN, OK),
    "admin:articles_article_change":                each(ARTICLE_STATES, staff(FORBIDDEN, OK)),
    "admin:articles_article_delete":                each(ARTICLE_STATES, staff(FORBIDDEN, OK)),
    "admin:articles_article_history":               each(ARTICLE_STATES, staff(FORBIDDEN, OK)),
    "admin/articles/article/<path:object_id>/":     each(ARTICLE_STATES, OLD_ADDRESS),
    # The editor's live preview POSTs the Markdown.
    "admin:articles_article_preview": {
        "":                                         staff(FORBIDDEN, NOT_ALLOWED),
        "POST":                                     staff(FORBIDDEN, OK),
    },
    # Revisions: the coach's history of each article; the autosave POSTs what the editor holds.
    "admin:articles_article_revisions":             each(ARTICLE_STATES, staff(FORBIDDEN, OK)),
    "admin:articles_article_compare": {
        **each(ARTICLE_STATES, staff(FORBIDDEN, MISSING)),  # no revision chosen
        "a revision":                               staff(FORBIDDEN, OK),
    },
    "admin:articles_article_restore": {
        "a revision":                               staff(FORBIDDEN, REDIRECT),  # GET: the list
        "POST a revision":                          staff(FORBIDDEN, REDIRECT),
    },
    "admin:articles_article_autosave": {
        "":                                         staff(FORBIDDEN, NOT_ALLOWED),
        "POST":                                     staff(FORBIDDEN, OK),
    },
    "admin:articles_picture_changelist":            staff(FORBIDDEN, OK),
    "admin:articles_picture_add":                   staff(FORBIDDEN, OK),
    "admin:articles_picture_change":                staff(FORBIDDEN, OK),
    "admin:articles_picture_delete":                staff(FORBIDDEN, OK),
    "admin:articles_picture_history":               staff(FORBIDDEN, OK),
    "admin/articles/picture/<path:object_id>/":     OLD_ADDRESS,
    "admin:articles_category_changelist":           staff(FORBIDDEN, OK),
    "admin:articles_category_add":                  staff(FORBIDDEN, OK),
    "admin:articles_category_change":               staff(FORBIDDEN, OK),
    "admin:articles_category_delete":               staff(FORBIDDEN, OK),
    "admin:articles_category_history":              staff(FORBIDDEN, OK),
    "admin/articles/category/<path:object_id>/":    OLD_ADDRESS,
    "admin:articles_tag_changelist":                staff(FORBIDDEN, OK),
    "admin:articles_tag_add":                       staff(FORBIDDEN, OK),
    "admin:articles_tag_change":                    staff(FORBIDDEN, OK),
    "admin:articles_tag_delete":                    staff(FORBIDDEN, OK),
    "admin:articles_tag_history":                   staff(FORBIDDEN, OK),
    "admin/articles/tag/<path:object_id>/":         OLD_ADDRESS,

    # --- Admin: the coach's question desk, and the moderators' held questions --------------
    "admin:questions_question_changelist": {
        "":                                         staff(OK, OK),  # moderators: held and spam only
        # Lookups on fields the admin does not offer as filters would let a moderator confirm
        # an asker's hidden email, name, IP or browser (issue 16): refused for them; for
        # everyone, as these fields are encrypted (a lookup could only compare ciphertext).
        "email lookup":                             staff(BAD, BAD),
        "name lookup":                              staff(BAD, BAD),
        "ip lookup":                                staff(BAD, BAD),
        "browser lookup":                           staff(BAD, BAD),
    },
    # Questions come from readers.
    "admin:questions_question_add":                 staff(FORBIDDEN, FORBIDDEN),
    "admin:questions_question_change": {
        # A moderator judges spam, so reads the held and spam cases (without the asker's
        # email or name); any other question does not exist for them: the admin's redirect
        # to its index with "Perhaps it was deleted?".
        **each(QUESTION_STATES,                     staff(REDIRECT, OK)),
        "held":                                     staff(OK, OK),
        "spam":                                     staff(OK, OK),
    },
    "admin:questions_question_delete":              each(QUESTION_STATES, staff(FORBIDDEN, OK)),
    "admin:questions_question_history": {
        **each(QUESTION_STATES,                     staff(REDIRECT, OK)),
        "held":                                     staff(OK, OK),
        "spam":                                     staff(OK, OK),
    },
    "admin/questions/question/<path:object_id>/":   each(QUESTION_STATES, OLD_ADDRESS),
    "admin:questions_question_preview": {
        "":                                         staff(FORBIDDEN, NOT_ALLOWED),
        "POST":                                     staff(FORBIDDEN, OK),
    },
    # Export and erase everything about an email address: the Coach group only.
    "admin:questions_privacy": {
        "":                                         staff(FORBIDDEN, OK),
        "POST":                                     staff(FORBIDDEN, OK),
        "POST export":                              staff(FORBIDDEN, OK),  # the held asker's JSON
    },
    "admin:questions_snippet_changelist":           staff(FORBIDDEN, OK),
    "admin:questions_snippet_add":                  staff(FORBIDDEN, OK),
    "admin:questions_snippet_change":               staff(FORBIDDEN, OK),
    "admin:questions_snippet_delete":               staff(FORBIDDEN, OK),
    "admin:questions_snippet_history":              staff(FORBIDDEN, OK),
    "admin/questions/snippet/<path:object_id>/":    OLD_ADDRESS,
    "admin:questions_redflag_changelist":           staff(FORBIDDEN, OK),
    "admin:questions_redflag_add":                  staff(FORBIDDEN, OK),
    "admin:questions_redflag_change":               staff(FORBIDDEN, OK),
    "admin:questions_redflag_delete":               staff(FORBIDDEN, OK),
    "admin:questions_redflag_history":              staff(FORBIDDEN, OK),
    "admin/questions/redflag/<path:object_id>/":    OLD_ADDRESS,
    "admin:questions_bodyarea_changelist":          staff(FORBIDDEN, OK),
    "admin:questions_bodyarea_add":                 staff(FORBIDDEN, OK),
    "admin:questions_bodyarea_change":              staff(FORBIDDEN, OK),
    "admin:questions_bodyarea_delete":              staff(FORBIDDEN, OK),
    "admin:questions_bodyarea_history":             staff(FORBIDDEN, OK),
    "admin/questions/bodyarea/<path:object_id>/":   OLD_ADDRESS,
}
# fmt: on

# Known bugs: (URL key, state, role) -> why. Each is a strict xfail of that role's case (of
# every role's, for EVERYONE), which fails the day the bug is fixed: then delete its line here.
EVERYONE = "*"
BUGS = {}


# --- The URL patterns, and how to fill their arguments ------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the namespaced name, or the route for an unnamed pattern
    route: str  # as ResolverMatch.route gives it
    callback: Callable


def url_patterns(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the resolver, included ones (the admin's) walked recursively."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern).removeprefix("^") if prefix else str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from url_patterns(entry.url_patterns, route, inner)
        else:
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else route
            yield Pattern(name, route, entry.callback)


PATTERNS = list(url_patterns())


@dataclass(frozen=True)
class Args:
    """How a pattern's arguments are filled: from the object of `kind` in the row's state
    (`kwargs(obj)`), or, for `extra` states, by a function of the site giving the path."""

    kind: str = ""
    kwargs: Callable = lambda obj: {}
    extra: dict = field(default_factory=dict)

    def states(self) -> set[str]:
        return set(KIND_STATES.get(self.kind, ("",))) | set(self.extra)


def _path(name, query="", **kwargs):
    return lambda site: reverse(name, kwargs=kwargs) + query


def _view_on_site(kind, state=""):
    def path(site):
        obj = site.objects[kind][state]
        content_type = ContentType.objects.get_for_model(obj)
        return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])

    return path


def _autocomplete(app_label, model_name, field_name):
    query = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
    return _path("admin:autocomplete", "?" + urlencode(query))


def _changelist_lookup(field_name, value_of):
    def path(site):
        held = site.objects["questions.question"]["held"]
        query = urlencode({field_name: value_of(held)})
        return reverse("admin:questions_question_changelist") + "?" + query

    return path


def _comment_target(label, kind, state, name="comments:post"):
    return lambda site: reverse(name, kwargs={"label": label, "pk": site.objects[kind][state].pk})


def _decide(verdict):
    return lambda site: reverse(
        "admin:comments_comment_decide",
        kwargs={"pk": site.objects["comments.comment"]["guest-pending"].pk, "verdict": verdict},
    )


def _revision_url(name, site):
    revision = site.objects["articles.revision"][""]
    if name == "admin:articles_article_compare":
        return reverse(name, kwargs={"pk": revision.article_id}) + f"?from={revision.pk}"
    return reverse(name, kwargs={"pk": revision.article_id, "revision": revision.pk})


def _token(name, token_of):
    return lambda site: reverse(name, kwargs={"token": token_of(site)})


FORGED = "eyJmb3JnZWQiOnRydWV9:1tforged:forgedsignature"


def not_a_mapping(salt):
    """A token signed with the site's key and the link's salt, holding a list, not a dict."""
    return signing.dumps([1, 2], salt=salt)


ARTICLE = "articles.article"
CATEGORY = "articles.category"
COMMENT = "comments.comment"
QUESTION = "questions.question"

ARGS = {
    "sitemap-section": Args(
        extra={
            "articles": _path("sitemap-section", section="articles"),
            "questions": _path("sitemap-section", section="questions"),
            "no such section": _path("sitemap-section", section="nope"),
        }
    ),
    "search": Args(
        extra={
            "no query": _path("search"),
            "draft words": _path("search", "?q=zephyr"),
            "scheduled words": _path("search", "?q=quokka"),
            "private case words": _path("search", "?q=case+text"),
            "withdrawn words": _path("search", "?q=withdrawn"),
        }
    ),
    "accounts:password-reset-confirm": Args(
        extra={
            "valid link": lambda site: reverse(
                "accounts:password-reset-confirm", kwargs=site.password_reset
            ),
            "forged link": lambda site: reverse(
                "accounts:password-reset-confirm",
                kwargs={**site.password_reset, "token": "abc123-forged0token"},
            ),
        }
    ),
    "accounts:confirm-email": Args(
        extra={
            "valid link": lambda site: reverse(
                "accounts:confirm-email", kwargs=site.email_confirmation
            ),
            "forged link": lambda site: reverse(
                "accounts:confirm-email",
                kwargs={**site.email_confirmation, "token": "abc123-forged0token"},
            ),
        }
    ),
    "accounts:email-change-confirm": Args(
        extra={
            "valid link": lambda site: reverse(
                "accounts:email-change-confirm", kwargs=site.email_change
            ),
            "forged link": lambda site: reverse(
                "accounts:email-change-confirm",
                kwargs={**site.email_change, "token": "abc123-forged0token"},
            ),
        }
    ),
    "articles:category": Args(
        kind=CATEGORY,
        kwargs=lambda category: {"path": category.path},
        extra={"missing": _path("articles:category", path="no-such-category")},
    ),
    "articles:category-feed": Args(
        kind=CATEGORY,
        kwargs=lambda category: {"path": category.path},
        extra={"missing": _path("articles:category-feed", path="no-such-category")},
    ),
    "articles:category-feed-atom": Args(
        kind=CATEGORY,
        kwargs=lambda category: {"path": category.path},
        extra={"missing": _path("articles:category-feed-atom", path="no-such-category")},
    ),
    "articles:tag": Args(
        kind="articles.tag",
        kwargs=lambda tag: {"slug": tag.slug},
        extra={"missing": _path("articles:tag", slug="no-such-tag")},
    ),
    "articles:detail": Args(
        kind=ARTICLE,
        kwargs=lambda article: {"slug": article.slug},
        extra={"old slug": _path("articles:detail", slug="knots-old-address")},
    ),
    "articles:comments-feed": Args(kind=ARTICLE, kwargs=lambda article: {"slug": article.slug}),
    "downloads:resource": Args(
        kind="downloads.resource",
        kwargs=lambda resource: {"pk": resource.pk},
        extra={"missing": _path("downloads:resource", pk=999_999)},
    ),
    "downloads:download": Args(
        extra={
            "valid link": _token("downloads:download", lambda s: s.tokens["download"]),
            "expired link": _token("downloads:download", lambda s: s.tokens["download expired"]),
            "forged link": _token("downloads:download", lambda s: FORGED),
            "signed, not a mapping": _token(
                "downloads:download", lambda s: not_a_mapping(download_emails.DOWNLOAD_SALT)
            ),
        }
    ),
    "downloads:forget-email": Args(
        extra={
            "valid link": _token("downloads:forget-email", lambda s: s.tokens["forget"]),
            "forged link": _token("downloads:forget-email", lambda s: FORGED),
        }
    ),
    **{
        name: Args(
            extra={
                "valid key": lambda site, name=name: reverse(
                    name, kwargs={"key": site.objects["subscriptions.subscription"][""].key}
                ),
                "wrong key": lambda site, name=name: reverse(name, kwargs={"key": "wrong-key"}),
            }
        )
        for name in ("subscriptions:confirm", "subscriptions:manage", "subscriptions:unsubscribe")
    },
    "questions:list": Args(extra={"area": _path("questions:list", "?area=neck")}),
    "questions:sent": Args(
        kind=QUESTION,
        kwargs=lambda question: {"token": question_links.private_token(question)},
        extra={
            "no link": _path("questions:sent"),
            "forged link": _token("questions:sent", lambda s: FORGED),
            "signed, not a mapping": _token(
                "questions:sent", lambda s: not_a_mapping(question_links.PRIVATE_SALT)
            ),
        },
    ),
    "questions:private": Args(
        kind=QUESTION,
        kwargs=lambda question: {"token": question_links.private_token(question)},
        extra={
            "expired link": _token("questions:private", lambda s: s.tokens["private expired"]),
            "forged link": _token("questions:private", lambda s: FORGED),
            "signed, not a mapping": _token(
                "questions:private", lambda s: not_a_mapping(question_links.PRIVATE_SALT)
            ),
            "deleted question": _token("questions:private", lambda s: s.tokens["private deleted"]),
        },
    ),
    "questions:detail": Args(
        kind=QUESTION,
        kwargs=lambda question: {"slug": question.public_slug},
        extra={
            "public, old slug": lambda site: reverse(
                "questions:detail",
                kwargs={"slug": f"an-old-title-{site.objects[QUESTION]['public'].public_key}"},
            )
        },
    ),
    "comments:post": Args(
        extra={
            "published article": _comment_target("articles.article", ARTICLE, "published"),
            "draft article": _comment_target("articles.article", ARTICLE, "draft"),
            "public question": _comment_target("questions.question", QUESTION, "public"),
            "withdrawn question": _comment_target("questions.question", QUESTION, "withdrawn"),
            "unknown kind": _comment_target("accounts.user", "accounts.user", ""),
        }
    ),
    "comments:form-state": Args(
        extra={
            "published article": _comment_target(
                "articles.article", ARTICLE, "published", "comments:form-state"
            ),
            "draft article": _comment_target(
                "articles.article", ARTICLE, "draft", "comments:form-state"
            ),
            "public question": _comment_target(
                "questions.question", QUESTION, "public", "comments:form-state"
            ),
            "withdrawn question": _comment_target(
                "questions.question", QUESTION, "withdrawn", "comments:form-state"
            ),
            "unknown kind": _comment_target(
                "accounts.user", "accounts.user", "", "comments:form-state"
            ),
        }
    ),
    "comments:permalink": Args(kind=COMMENT, kwargs=lambda comment: {"pk": comment.pk}),
    "comments:edit": Args(kind=COMMENT, kwargs=lambda comment: {"pk": comment.pk}),
    "comments:delete": Args(kind=COMMENT, kwargs=lambda comment: {"pk": comment.pk}),
    "comments:report": Args(kind=COMMENT, kwargs=lambda comment: {"pk": comment.pk}),
    "comments:manage": Args(
        kind=COMMENT,
        kwargs=lambda comment: {"token": comment_links.manage_token(comment)},
        extra={
            "forged link": _token("comments:manage", lambda s: FORGED),
            "signed, not a mapping": _token(
                "comments:manage", lambda s: not_a_mapping(comment_links.MANAGE_SALT)
            ),
        },
    ),
    "comments:unsubscribe": Args(
        kind=COMMENT,
        kwargs=lambda comment: {"token": comment_links.unsubscribe_token(comment)},
        extra={
            "forged link": _token("comments:unsubscribe", lambda s: FORGED),
            "signed, not a mapping": _token(
                "comments:unsubscribe", lambda s: not_a_mapping(comment_links.UNSUBSCRIBE_SALT)
            ),
        },
    ),
    "admin:autocomplete": Args(
        extra={
            "no parameters": _path("admin:autocomplete"),
            "question related articles": _autocomplete("questions", "question", "related_articles"),
            "article tags": _autocomplete("articles", "article", "tags"),
            "article category": _autocomplete("articles", "article", "category"),
            "article resource": _autocomplete("articles", "article", "resource"),
            "category parent": _autocomplete("articles", "category", "parent"),
        }
    ),
    "admin:view_on_site": Args(
        extra={
            **{f"article {s}": _view_on_site(ARTICLE, s) for s in ARTICLE_STATES},
            **{f"question {s}": _view_on_site(QUESTION, s) for s in QUESTION_STATES},
            "comment pending": _view_on_site(COMMENT, "pending"),
            "comment approved": _view_on_site(COMMENT, "approved"),
            "resource email": _view_on_site("downloads.resource", "email"),
            "category": _view_on_site(CATEGORY),
            "tag": _view_on_site("articles.tag"),
            "user": _view_on_site("accounts.user"),
            "missing object": lambda site: reverse(
                "admin:view_on_site",
                args=[ContentType.objects.get_for_model(Question).pk, 999_999],
            ),
        }
    ),
    "admin:app_list": Args(
        extra={label: _path("admin:app_list", app_label=label) for label in APP_LABELS}
    ),
    "admin:downloads_downloadrequest_changelist": Args(
        extra={"export as CSV": _path("admin:downloads_downloadrequest_changelist")}
    ),
    "admin:questions_privacy": Args(extra={"export": _path("admin:questions_privacy")}),
    "admin/(?P<url>.*)$": Args(extra={"unknown page": lambda site: "/admin/no-such-page/"}),
    "admin:auth_user_password_change": Args(kind="accounts.user", kwargs=lambda u: {"id": u.pk}),
    "admin:articles_article_revisions": Args(kind=ARTICLE, kwargs=lambda a: {"pk": a.pk}),
    "admin:articles_article_compare": Args(
        kind=ARTICLE,
        kwargs=lambda article: {"pk": article.pk},
        extra={"a revision": lambda site: _revision_url("admin:articles_article_compare", site)},
    ),
    "admin:articles_article_restore": Args(
        extra={"a revision": lambda site: _revision_url("admin:articles_article_restore", site)}
    ),
    "admin:comments_comment_decide": Args(
        extra={"ham": _decide("ham"), "spam": _decide("spam"), "unknown verdict": _decide("maybe")}
    ),
    "admin:questions_question_changelist": Args(
        extra={
            "email lookup": _changelist_lookup("email", lambda q: q.email),
            "name lookup": _changelist_lookup("name", lambda q: q.name),
            "ip lookup": _changelist_lookup("ip_address", lambda q: q.ip_address),
            "browser lookup": _changelist_lookup("user_agent__icontains", lambda q: "HeldBrowser"),
        }
    ),
}


def args_of(pattern: Pattern) -> Args:
    if pattern.key in ARGS:
        return ARGS[pattern.key]
    model_admin = getattr(pattern.callback, "model_admin", None)
    if model_admin is not None and "<path:object_id>" in pattern.route:
        return Args(kind=model_admin.model._meta.label_lower, kwargs=lambda o: {"object_id": o.pk})
    return Args()


def fill(pattern: Pattern, kwargs: dict) -> str:
    if pattern.key != pattern.route:
        return reverse(pattern.key, kwargs=kwargs)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), pattern.route)


PATTERN_OF = {}
for _pattern in PATTERNS:
    PATTERN_OF.setdefault(_pattern.key, _pattern)


# The few POSTs sent with a payload: exports, which change nothing.
POST_DATA = {
    ("admin:questions_privacy", "POST export"): lambda site: {
        "action": "export",
        "email": site.objects[QUESTION]["held"].email,
    },
    ("admin:downloads_downloadrequest_changelist", "POST export as CSV"): lambda site: {
        "action": "export_csv",
        "_selected_action": [site.objects["downloads.downloadrequest"][""].pk],
    },
}


def path_of(site, key: str, state: str) -> str:
    """The address that the row (key, state) requests."""
    pattern = PATTERN_OF[key]
    args = args_of(pattern)
    if state in args.extra:
        return args.extra[state](site)
    if args.kind:
        return fill(pattern, args.kwargs(site.objects[args.kind][state]))
    assert state == "", f"{key}: no state {state!r} in ARGS"
    return fill(pattern, {})


def split_state(state: str) -> tuple[str, str]:
    """("post", "approved") for "POST approved"; ("get", state) otherwise."""
    if state == "POST" or state.startswith("POST "):
        return "post", state.removeprefix("POST").strip()
    return "get", state


def rows_of(key) -> dict:
    row = ACCESS[key]
    return row if isinstance(row, dict) else {"": row}


# --- The site: users, objects in every state, tokens, and what must not leak -------------


@dataclass(frozen=True)
class Secret:
    """A text that only `roles` may read, and anyone on the `via` pages (key, state): a
    private link's page shows its holder what the link was sent to show."""

    what: str
    text: str
    roles: frozenset = frozenset({"coach"})
    via: frozenset = frozenset()
    shown: tuple | None = None  # (key, state, role) of a page that shows it: the check can see

    def readable(self, role: str, key: str, state: str) -> bool:
        return role in self.roles or (key, state) in self.via


@dataclass
class Site:
    users: dict
    sessions: dict
    objects: dict
    tokens: dict
    password_reset: dict
    secrets: list
    private_media_root: object
    email_confirmation: dict
    email_change: dict


DRAFT_TITLE = "Draft on the zephyr stretch"
SCHEDULED_TITLE = "Scheduled notes on the quokka release"
GATED_PDF = b"%PDF-1.4 the emailed report, for link holders only"
FREE_PDF = b"%PDF-1.4 the free posture checklist"


def secret(what, text, roles=("coach",), via=(), shown=None):
    return Secret(what, text, frozenset(roles), frozenset(via), shown)


def build_site(private_media_root) -> Site:
    now = timezone.now()
    reader = UserFactory(email="rita.reader@example.org", display_name="Rita Reader")
    other = UserFactory(email="otto.other@example.org", display_name="Otto Other")
    the_moderator = moderator(email="mona.moderator@example.org", display_name="Mona Moderator")
    the_coach = coach(email="elena.coach@example.org")
    users = {"reader": reader, "other": other, "moderator": the_moderator, "coach": the_coach}
    objects = {}
    secrets = [
        secret(
            "the reader's email",
            reader.email,
            {"reader", "coach"},
            shown=("accounts:profile", "", "reader"),
        ),
        secret(
            "the other reader's email",
            other.email,
            {"other", "coach"},
            shown=("accounts:profile", "", "other"),
        ),
    ]

    # Downloads: a free report, an email-gated one, and an address that asked for it.
    free = Resource(title="Free posture checklist", access=Resource.Access.FREE)
    free.file.save("posture-checklist.pdf", ContentFile(FREE_PDF), save=True)
    gated = Resource(title="The knot release routine", access=Resource.Access.EMAIL)
    gated.file.save("knot-routine.pdf", ContentFile(GATED_PDF), save=True)
    download_request = DownloadRequest.objects.create(
        resource=gated, email="dora.download@example.net", consent_text="I agree."
    )
    objects["downloads.resource"] = {"free": free, "email": gated}
    objects["downloads.downloadrequest"] = {"": download_request}
    subscription = Subscription.objects.create(
        email="sara.subscriber@example.net", consent_text="I agree."
    )
    objects["subscriptions.subscription"] = {"": subscription}
    secrets.append(
        secret(
            "a subscriber's email",
            subscription.email,
            via={("subscriptions:confirm", "valid key"), ("subscriptions:manage", "valid key")},
            shown=("subscriptions:manage", "valid key", "visitor"),
        )
    )
    secrets += [
        secret(
            "the emailed report",
            GATED_PDF.decode(),
            via={("downloads:download", "valid link")},
            shown=("downloads:download", "valid link", "visitor"),
        ),
        secret(
            "a download request's email",
            download_request.email,
            via={("downloads:forget-email", "valid link")},
            shown=("downloads:forget-email", "valid link", "visitor"),
        ),
    ]

    # Articles.
    category = CategoryFactory(name="Upper back")
    tag = TagFactory(name="posture")
    common = {"author": the_coach, "category": category, "tags": [tag]}
    published = ArticleFactory(title="Knots between the shoulder blades", resource=gated, **common)
    # A revision as the article is: restoring it in the walk changes nothing.
    objects["articles.revision"] = {
        "": Revision.objects.create(
            article=published,
            author=the_coach,
            **{name: getattr(published, name) for name in Revision.FIELDS},
        )
    }
    draft = ArticleFactory(
        title=DRAFT_TITLE,
        body="The zephyr stretch, not ready for readers.",
        status="draft",
        published_at=None,
        **common,
    )
    scheduled = ArticleFactory(
        title=SCHEDULED_TITLE,
        body="The quokka release, for next week.",
        published_at=now + timedelta(days=7),
        **common,
    )
    ArticleRedirect.objects.create(old_slug="knots-old-address", article=published)
    objects[ARTICLE] = {"draft": draft, "scheduled": scheduled, "published": published}
    objects[CATEGORY] = {"": category}
    objects["articles.tag"] = {"": tag}
    objects["articles.picture"] = {
        "": Picture.objects.create(
            alt="A knot under the shoulder blade",
            folder="access-walk",
            renditions={
                "jpeg": {"480": "articles/access-walk/480.jpeg"},
                "webp": {"480": "articles/access-walk/480.webp"},
                "width": 480,
                "height": 320,
            },
        )
    }
    for state, article in (("draft", draft), ("scheduled", scheduled)):
        preview = ("articles:detail", state, "coach")
        secrets += [
            secret(f"the {state} article's title", article.title, shown=preview),
            secret(f"the {state} article's slug", article.slug, shown=preview),
            secret(f"the {state} article's body", article.body, shown=preview),
        ]

    # Questions, one in each state; the reader asked two of them with their account.
    names = {
        "held": "Hana Heldname",
        "new": "Nina Newname",
        "answered-privately": "Pia Privatename",
        "pending-consent": "Paula Pendingname",
        "public": "Pablo Publicname",
        "withdrawn": "Wanda Withdrawnname",
        "declined": "Dora Declinedname",
        "spam": "Sam Spamname",
    }
    answered = {
        "status": "answered",
        "answer_published_at": now,
    }
    public_version = {"publication": "anonymous"}
    states = {
        "held": {"status": "held"},
        "new": {"status": "new", "user": reader},
        "answered-privately": {**answered, "publication": "private", "user": reader},
        "pending-consent": {**answered, **public_version, "consent": "pending"},
        "public": {**answered, **public_version, "consent": "approved", "published_at": now},
        "withdrawn": {**answered, **public_version, "consent": "declined"},
        "declined": {"status": "declined", "declined_at": now},
        "spam": {"status": "spam"},
    }
    questions = {}
    for state, fields in states.items():
        extra = {}
        if state == "new":
            extra["answer"] = "Draft answer to the new question, unpublished."
        if fields.get("status") == "answered":
            extra["answer"] = f"Answer to the {state} question: heat first."
        if fields.get("publication") == "anonymous":
            extra["public_title"] = f"Public title of the {state} question"
            extra["public_body"] = f"Public text of the {state} question."
        if state == "declined":
            extra["decline_message"] = "Kind decline for the declined question."
        question = QuestionFactory(
            title=f"Case title of the {state} question",
            body=f"Private case text of the {state} question.",
            name=names[state],
            email=f"asker-{state}@example.net",
            internal_notes=f"Internal note on the {state} question.",
            ip_address="198.51.100.23" if state == "held" else "198.51.100.99",
            user_agent="Mozilla/5.0 HeldBrowser" if state == "held" else "Mozilla/5.0",
            **fields,
            **extra,
        )
        if question.consent in ("pending", "approved"):
            question.consent_text = public_text_of(question)
            question.save(update_fields=["consent_text"])
        questions[state] = question

        link = {("questions:private", state), ("questions:sent", state)}
        moderated = {"moderator"} if state in ("held", "spam") else set()
        own = {"reader"} if question.user_id == reader.pk else set()
        desk = ("admin:questions_question_change", state, "coach")
        private = ("questions:private", state, "visitor")
        secrets += [
            secret(f"the {state} question's email", question.email, shown=desk),
            secret(f"the {state} asker's name", question.name, shown=desk),
            secret(
                f"the {state} question's title",
                question.title,
                {"coach", *moderated, *own},
                link,
                shown=private,
            ),
            secret(
                f"the {state} question's case",
                question.body,
                {"coach", *moderated},
                link,
                shown=private,
            ),
            secret(f"the {state} question's internal note", question.internal_notes, shown=desk),
        ]
        if state == "held":
            # Shown on no page today (not even the coach's): only lookups could reveal them.
            secrets += [
                secret("the held question's IP address", question.ip_address),
                secret("the held question's browser", question.user_agent),
            ]
        if state == "new":
            secrets.append(
                secret("the new question's unpublished answer", question.answer, shown=desk)
            )
        if state in ("answered-privately", "pending-consent", "withdrawn"):
            secrets.append(
                secret(f"the {state} question's answer", question.answer, via=link, shown=private)
            )
        if state in ("pending-consent", "withdrawn"):
            secrets += [
                secret(
                    f"the {state} question's public title",
                    question.public_title,
                    via=link,
                    shown=desk,
                ),
                secret(
                    f"the {state} question's public text",
                    question.public_body,
                    via=link,
                    shown=desk,
                ),
            ]
        if state == "declined":
            secrets.append(
                secret("the decline message", question.decline_message, via=link, shown=private)
            )
        if state != "public":
            # Shown on no page: it is the non-public question's future public address.
            secrets.append(secret(f"the {state} question's public key", question.public_key))
    objects[QUESTION] = questions
    objects["questions.snippet"] = {"": Snippet.objects.first()}
    objects["questions.redflag"] = {"": RedFlag.objects.first()}
    objects["questions.bodyarea"] = {"": BodyArea.objects.get(slug="neck")}
    questions["public"].body_areas.set([objects["questions.bodyarea"][""]])

    # Comments: the reader's, in every state, and a guest's, with their emailed links.
    def comment(state, target, status, user=None):
        guest = {} if user else {"name": "Gus Guest", "email": f"{state}@example.net"}
        return CommentFactory(
            target=target,
            status=status,
            user=user,
            body=f"The {state} comment of this walk, about heat packs.",
            **({"name": user.display_name, "email": ""} if user else guest),
        )

    comments = {
        "pending": comment("pending", published, "pending", reader),
        "approved": comment("approved", published, "approved", reader),
        "spam": comment("spam", published, "spam", reader),
        "removed": comment("removed", published, "removed", reader),
        "on-draft": comment("on-draft", draft, "approved", reader),
        "on-withdrawn": comment("on-withdrawn", questions["withdrawn"], "approved"),
        "guest-pending": comment("guest-pending", published, "pending"),
        "guest-approved": comment("guest-approved", published, "approved"),
        "guest-spam": comment("guest-spam", published, "spam"),
        "guest-removed": comment("guest-removed", published, "removed"),
    }
    objects[COMMENT] = comments
    authors = {"pending": {"reader"}, "spam": {"reader"}, "on-draft": {"reader"}}
    for state, c in comments.items():
        queue = ("admin:comments_comment_change", state, "moderator")
        manage = {("comments:manage", state)}
        if c.email:
            secrets.append(
                secret(
                    f"the {state} comment's email", c.email, {"moderator", "coach"}, manage, queue
                )
            )
        if state not in ("approved", "guest-approved"):
            readers = {"moderator", "coach", *authors.get(state, ())}
            secrets.append(secret(f"the {state} comment", c.body, readers, manage, queue))

    # The rest of the admin: one object each.
    objects["accounts.user"] = {"": reader}
    objects["auth.group"] = {"": Group.objects.get(name="Coach")}
    objects["spam.disallowedterm"] = {
        "": DisallowedTerm.objects.create(value="cheap pills", note="seen in spam")
    }
    objects["spam.decision"] = {
        "": Decision.objects.create(
            content_type=ContentType.objects.get_for_model(Comment),
            object_id=comments["guest-spam"].pk,
            moderator=the_moderator,
            from_status="pending",
            to_status="spam",
            taught="spam",
        )
    }
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {
        "username": "someone@example.org",
        "ip_address": "192.0.2.1",
        "user_agent": "Mozilla/5.0",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    objects["axes.accessattempt"] = {
        "": AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **seen)
    }
    objects["axes.accesslog"] = {"": AccessLog.objects.create(**seen)}
    objects["axes.accessfailurelog"] = {"": AccessFailureLog.objects.create(**seen)}

    from django_tasks_db.models import DBTaskResult

    from painrelief.mail.models import OutgoingEmail
    from painrelief.mail.outbox import deliver_later

    email = OutgoingEmail.objects.create(
        key="walk", to="anna@example.net", subject="Your answer", body="A private link."
    )
    objects["mail.outgoingemail"] = {"": email}
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        queued = deliver_later.enqueue(email.pk)
    objects["django_tasks_database.dbtaskresult"] = {"": DBTaskResult.objects.get(id=queued.id)}
    from painrelief.worker.models import PeriodicJob

    objects["worker.periodicjob"] = {"": PeriodicJob.objects.create(name="the.job")}

    # Sessions: logging in changes last_login, so the password-reset token comes after.
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    reader.refresh_from_db()
    password_reset = {
        "uidb64": urlsafe_base64_encode(force_bytes(reader.pk)),
        "token": default_token_generator.make_token(reader),
    }
    email_confirmation = {**password_reset, "token": confirmation_tokens.make_token(reader)}
    change = EmailChange.objects.create(user=reader, new_email="rita.new@example.net")
    email_change = {
        "uidb64": urlsafe_base64_encode(force_bytes(change.pk)),
        "token": email_change_tokens.make_token(change),
    }
    link = ("accounts:email-change-confirm", "valid link")
    secrets.append(
        secret("the reader's new address", change.new_email, {"reader"}, {link}, (*link, "other"))
    )

    # Signed links that are no longer good.
    long_ago = time.time() - 400 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        private_expired = question_links.private_token(questions["new"])
        download_expired = download_emails.download_token(download_request)
    deleted = QuestionFactory(title="A question deleted since")
    private_deleted = question_links.private_token(deleted)
    deleted.delete()
    tokens = {
        "private expired": private_expired,
        "private deleted": private_deleted,
        "download": download_emails.download_token(download_request),
        "download expired": download_expired,
        "forget": download_emails.forget_token(download_request),
    }
    return Site(
        users,
        sessions,
        objects,
        tokens,
        password_reset,
        secrets,
        private_media_root,
        email_confirmation,
        email_change,
    )


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The site's objects, built once for the module and rolled back after it."""
    root = tmp_path_factory.mktemp("access-walk")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=fast, PRIVATE_MEDIA_ROOT=root / "private", MEDIA_ROOT=root / "media"
        ),
        transaction.atomic(),
    ):
        yield build_site(root / "private")
        transaction.set_rollback(True)


@pytest.fixture
def walk(site, settings):
    settings.PRIVATE_MEDIA_ROOT = site.private_media_root
    return site


# --- Requesting and checking -------------------------------------------------------------


def outcome_of(response):
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(reverse("accounts:login") + "?next="):
            return LOGIN
        if location.startswith(reverse("admin:login") + "?next="):
            return ADMIN_LOGIN
        return REDIRECT
    if response.status_code == 500 and getattr(response, "exc_info", None):
        return f"500 {response.exc_info[0].__name__}: {response.exc_info[1]}"
    return response.status_code


def request(site, role: str, method: str, path: str, data=None):
    """The answer to `role`, and its text (headers' Location included), changing nothing."""
    client = Client(raise_request_exception=False)
    if role in site.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = site.sessions[role]
    with transaction.atomic():
        response = getattr(client, method)(path, data)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, body.decode("utf-8", "replace") + "\n" + response.get("Location", "")


def check(site, key: str, state: str, role: str) -> str:
    """'' when `role` gets what ACCESS says and reads no secret it may not; else why not."""
    method, object_state = split_state(state)
    path = path_of(site, key, object_state)
    expected = rows_of(key)[state][ROLES.index(role)]
    data = POST_DATA[key, state](site) if (key, state) in POST_DATA else None
    response, text = request(site, role, method, path, data)
    got = outcome_of(response)
    asked = unquote_plus(path)  # what the requester knew already: a 404 may echo it
    leaks = [
        s.what
        for s in site.secrets
        if s.text in text and s.text not in asked and not s.readable(role, key, object_state)
    ]
    if got == expected and not leaks:
        return ""
    shown = f"{got}, leaks {', '.join(leaks)}" if leaks else f"{got}"
    return f"{method.upper()} {path} as {role}: expected {expected}, got {shown}"


def cases():
    for key in ACCESS:
        for state in rows_of(key):
            case_id = f"{key}[{state}]" if state else key
            if (key, state, EVERYONE) in BUGS:
                reason = BUGS[key, state, EVERYONE]
                mark = pytest.mark.xfail(strict=True, reason=reason)
                yield pytest.param(key, state, ROLES, id=case_id, marks=mark)
                continue
            buggy = [role for role in ROLES if (key, state, role) in BUGS]
            roles = tuple(role for role in ROLES if role not in buggy)
            if roles:
                yield pytest.param(key, state, roles, id=case_id)
            for role in buggy:
                reason = BUGS[key, state, role]
                mark = pytest.mark.xfail(strict=True, reason=reason)
                yield pytest.param(key, state, (role,), id=f"{case_id}-{role}", marks=mark)


# --- The tests ----------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_in_access():
    """A new URL fails here until ACCESS says who may see it."""
    missing = sorted({pattern.key for pattern in PATTERNS} - ACCESS.keys())
    assert not missing, "add a row to ACCESS for: " + ", ".join(missing)


def test_access_has_no_row_for_a_url_that_is_gone():
    stale = sorted(ACCESS.keys() - {pattern.key for pattern in PATTERNS})
    assert not stale, "rows in ACCESS for URLs that no longer exist: " + ", ".join(stale)


def test_every_url_taking_an_object_is_walked_in_every_state_of_it():
    problems = []
    for key in ACCESS.keys() & PATTERN_OF.keys():
        args = args_of(PATTERN_OF[key])
        walked = {split_state(state)[1] for state in rows_of(key)}
        if unknown := walked - args.states():
            problems.append(f"{key}: no such state {sorted(unknown)} (see ARGS)")
        if args.kind and (left_out := set(KIND_STATES.get(args.kind, ("",))) - walked):
            problems.append(f"{key}: add rows for {sorted(left_out)}")
        if left_out := set(args.extra) - walked:
            problems.append(f"{key}: add rows for {sorted(left_out)}")
        if unknown_bug := {s for k, s, _ in BUGS if k == key} - set(rows_of(key)):
            problems.append(f"{key}: BUGS names states without a row {sorted(unknown_bug)}")
    assert not problems, "\n".join(problems)


def test_the_site_has_an_object_in_every_state_for_every_admin_model(walk):
    problems = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        states = set(walk.objects.get(label, {}))
        if states != set(KIND_STATES.get(label, ("",))):
            problems.append(f"{label}: objects in states {sorted(states)}")
    assert not problems, "\n".join(problems)


def test_the_walk_requests_every_url_pattern(walk):
    """Each row's address resolves to its own pattern, and every pattern is requested."""
    reached, wrong = set(), []
    for key in ACCESS:
        for state in rows_of(key):
            path = path_of(walk, key, split_state(state)[1])
            route = resolve(path.split("?")[0]).route
            reached.add(route)
            if route not in {p.route for p in PATTERNS if p.key == key}:
                wrong.append(f"{key}[{state}]: {path} is {route}")
    not_reached = sorted({pattern.route for pattern in PATTERNS} - reached)
    assert not wrong and not not_reached, "\n".join(wrong + not_reached)


def test_each_secret_shows_intact_where_it_may_be_read(walk):
    """The leak checks can see: a secret's text is shown as it is by a page that may show it."""
    unseen = []
    for s in walk.secrets:
        if s.shown:
            key, state, role = s.shown
            method, object_state = split_state(state)
            _, text = request(walk, role, method, path_of(walk, key, object_state))
            if s.text not in text:
                unseen.append(f"{s.what}: not on {key}[{state}] as {role}")
    assert not unseen, "\n".join(unseen)


@pytest.mark.parametrize(("key", "state", "roles"), list(cases()))
def test_access(walk, key, state, roles):
    """Every role gets the answer ACCESS gives, and reads no secret it may not."""
    mismatches = [problem for role in roles if (problem := check(walk, key, state, role))]
    assert not mismatches, "\n".join(mismatches)
