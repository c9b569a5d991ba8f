"""The moderators' and the coach's view of comments: statuses, actions, and answering."""

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from painrelief.spam import defence

from . import services
from .forms import clean_body_text
from .models import Comment, CommentReport


class CommentAdminForm(forms.ModelForm):
    answer = forms.CharField(
        label=_("Answer this comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published at once under this comment, in your name, with the coach's badge. "
            "Saving also approves the comment you answer."
        ),
    )

    class Meta:
        model = Comment
        fields = ["status", "body", "name", "email", "website", "notify_replies"]

    moderator = None  # who saves the form, set by CommentAdmin.get_form()

    def clean_answer(self):
        answer = self.cleaned_data.get("answer", "")
        if not answer.strip():
            return ""
        answer = clean_body_text(answer)
        services.check_answer(parent=self.instance, user=self.moderator)
        return answer


class StatusCountFilter(admin.SimpleListFilter):
    """Statuses with their counts, pending first: the work waiting."""

    title = _("status")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        counts = {
            row["status"]: row["n"]
            for row in Comment.objects.values("status").annotate(n=Count("pk"))
        }
        return [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in Comment.Status.choices
        ]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class ReportedFilter(admin.SimpleListFilter):
    """The comments readers reported, with the count: a moderator keeps or removes them."""

    title = _("readers' reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        count = Comment.objects.filter(has_open_reports()).count()
        return [("open", _("Reported by readers (%(count)s)") % {"count": count})]

    def queryset(self, request, queryset):
        return queryset.filter(has_open_reports()) if self.value() == "open" else queryset


def has_open_reports():
    return Exists(CommentReport.objects.open().filter(comment=OuterRef("pk")))


class ContentFilter(admin.SimpleListFilter):
    title = _("on")
    parameter_name = "content_type"

    def lookups(self, request, model_admin):
        used = Comment.objects.values_list("content_type", flat=True).distinct()
        return [
            (ct.pk, ct.model_class()._meta.verbose_name_plural.capitalize())
            for ct in ContentType.objects.filter(pk__in=used)
            if ct.model_class()
        ]

    def queryset(self, request, queryset):
        return queryset.filter(content_type=self.value()) if self.value() else queryset


class ReasonFilter(admin.SimpleListFilter):
    title = _("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return list(defence.REASON_CODES.items())

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        return queryset.filter(
            Q(reason_codes=code)
            | Q(reason_codes__startswith=f"{code} ")
            | Q(reason_codes__endswith=f" {code}")
            | Q(reason_codes__contains=f" {code} ")
        )


class FilterSaidFilter(admin.SimpleListFilter):
    """What the spam defence concluded: in shadow mode, what it would have done."""

    title = _("the filter said")
    parameter_name = "verdict"

    def lookups(self, request, model_admin):
        return [
            (defence.APPROVE, _("approve")),
            (defence.HOLD, _("hold")),
            (defence.SPAM, _("spam")),
        ]

    def queryset(self, request, queryset):
        return queryset.filter(spam_verdict=self.value()) if self.value() else queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = [
        "excerpt",
        "author",
        "author_history",
        "on_page",
        "status",
        "score",
        "why",
        "reports",
        "created_at",
        "decide_buttons",
    ]
    list_display_links = ["excerpt"]
    list_filter = [
        StatusCountFilter,
        ReportedFilter,
        ReasonFilter,
        FilterSaidFilter,
        ContentFilter,
        "created_at",
    ]
    list_select_related = ["user", "content_type", "replied_to"]
    search_fields = ["body", "name", "email", "user__display_name", "user__email", "ip_address"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = [
        "keep_reported",
        "approve",
        "mark_spam",
        "hold",
        "remove",
        "spam_same_author",
        "spam_same_domain",
        "spam_same_ip",
        "approve_same_author",
    ]
    readonly_fields = [
        "on_page",
        "author_account",
        "in_reply_to",
        "created_at",
        "edited_at",
        "ip_address",
        "user_agent",
        "reasons_list",
        "report_list",
    ]
    fieldsets = [
        (None, {"fields": ["on_page", "in_reply_to", "status", "reasons_list", "body"]}),
        (_("Readers' reports"), {"fields": ["report_list"]}),
        (
            _("Author"),
            {
                "fields": [
                    "author_account",
                    "name",
                    "email",
                    "website",
                    "notify_replies",
                    "ip_address",
                    "user_agent",
                    "created_at",
                    "edited_at",
                ]
            },
        ),
        (_("Answer"), {"fields": ["answer"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not services.may_answer(request.user):
            fieldsets = [fs for fs in fieldsets if "answer" not in fs[1]["fields"]]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class for each request
        if obj is None or not services.may_answer(request.user):
            del form.base_fields["answer"]
        form.moderator = request.user
        return form

    def has_add_permission(self, request):
        return False  # comments are written on the site, or as answers here

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(90) or _("(empty)")

    @admin.display(description=_("author"), ordering="name")
    def author(self, comment):
        if comment.user_id:
            return format_html("{} <small>(account)</small>", comment.user.display_name)
        return comment.name

    @admin.display(description=_("account"))
    def author_account(self, comment):
        return comment.user or _("Guest")

    def get_queryset(self, request):
        open_reports = Prefetch(
            "reports", CommentReport.objects.open().order_by("created_at"), to_attr="open_reports"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related("target", open_reports)
            .with_author_history()
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/<str:verdict>/",
                self.admin_site.admin_view(self.decide_view),
                name="comments_comment_decide",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def decide_view(self, request, pk, verdict):
        """The one-click "Not spam" and "Spam" buttons of the list."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        status = {"ham": Comment.Status.APPROVED, "spam": Comment.Status.SPAM}.get(verdict)
        if status is None:
            raise Http404
        comment = get_object_or_404(Comment, pk=pk)
        services.moderate(comments=[comment], status=status, moderator=request.user)
        label = _("Not spam: approved") if verdict == "ham" else _("Marked as spam")
        self.message_user(request, f"{label}: “{Truncator(comment.body).chars(60)}”")
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:comments_comment_changelist")
        return redirect(back)

    @admin.display(description=_("score"), ordering="spam_score")
    def score(self, comment):
        if comment.spam_score is None:
            return "—"
        return format_html('<span class="spam-score">{}</span>', f"{comment.spam_score:.2f}")

    @admin.display(description=_("why"))
    def why(self, comment):
        texts = [r["text"] for r in comment.reasons if isinstance(r, dict) and r.get("severity")]
        said = ""
        if comment.overrules_the_filter:
            said = _("The filter said: %(verdict)s. ") % {"verdict": comment.spam_verdict}
        return f"{said}{'; '.join(texts)}" or "—"

    @admin.display(description=_("readers' reports"))
    def reports(self, comment):
        """How many readers reported it (and are waiting for a decision), why, and their notes."""
        reports = getattr(comment, "open_reports", [])
        if not reports:
            return "—"
        reasons = Counter(report.get_reason_display() for report in reports)
        summary = ", ".join(
            f"{reason} ×{count}" if count > 1 else reason for reason, count in reasons.items()
        )
        notes = format_html_join(
            "", "<li>“{}”</li>", ((report.note,) for report in reports if report.note)
        )
        hidden = _(" (hidden)") if comment.status == Comment.Status.PENDING else ""
        return format_html(
            '<span class="report-count">{}</span>{}: {}{}',
            len(reports),
            hidden,
            summary,
            format_html('<ul class="report-notes">{}</ul>', notes) if notes else "",
        )

    @admin.display(description=_("reports"))
    def report_list(self, comment):
        """Every report of the comment, newest first: reason, note, reader, and decision."""
        reports = comment.reports.select_related("user", "decided_by")
        rows = [
            (
                date_format(localtime(report.created_at), "SHORT_DATETIME_FORMAT"),
                report.get_reason_display(),
                report.note or "—",
                report.user.display_name if report.user else _("a guest"),
                _("counts") if report.counts else _("held: %(why)s") % {"why": report.held_because},
                _("open")
                if report.decided_at is None
                else f"{report.outcome} ({report.decided_by or '—'})",
            )
            for report in reports
        ]
        if not rows:
            return "—"
        return format_html(
            '<table class="report-list"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("reported"),
            _("reason"),
            _("note"),
            _("reader"),
            _("counts"),
            _("decision"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    @admin.display(description=_("author's history"))
    def author_history(self, comment):
        return format_html(
            "{} approved, {} spam", comment.author_approved or 0, comment.author_spam or 0
        )

    @admin.display(description=_("decide"))
    def decide_buttons(self, comment):
        buttons = []
        for verdict, label, hidden_when in (
            ("ham", _("Not spam"), Comment.Status.APPROVED),
            ("spam", _("Spam"), Comment.Status.SPAM),
        ):
            if comment.status != hidden_when:
                buttons.append(
                    format_html(
                        '<button type="submit" class="button decide-{}" formaction="{}" '
                        'formmethod="post">{}</button>',
                        verdict,
                        reverse("admin:comments_comment_decide", args=[comment.pk, verdict]),
                        label,
                    )
                )
        return format_html_join(" ", "{}", ((b,) for b in buttons))

    @admin.display(description=_("on"))
    def on_page(self, comment):
        target = comment.target
        if target is None:
            return _("(deleted)")
        if not getattr(target, "is_public", True):
            # Not its title: a draft's or a withdrawn question's is not for moderators.
            return format_html(
                "<small>{}</small>",
                _("a %(kind)s that is not public") % {"kind": target._meta.verbose_name},
            )
        # A held comment's permalink is not found by anyone but its author: link to the page.
        url = comment.get_absolute_url() if comment.is_public else target.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, target)

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment):
        original = comment.replied_to
        if original is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>: {}',
            reverse("admin:comments_comment_change", args=[original.pk]),
            original.author_name,
            Truncator(original.body).chars(120),
        )

    @admin.display(description=_("why this status"))
    def reasons_list(self, comment):
        return "; ".join(comment.reason_texts) or "—"

    def save_model(self, request, obj, form, change):
        reply = services.save_moderator_edit(
            comment=obj,
            changed_fields=form.changed_data,
            new_status=obj.status,
            answer=form.cleaned_data.get("answer", ""),
            moderator=request.user,
        )
        if reply is not None:
            self.message_user(
                request,
                format_html(
                    'Your answer is published: <a href="{}">see it on the site</a>.',
                    reply.get_absolute_url(),
                ),
                messages.SUCCESS,
            )

    def _moderate(self, request, queryset, status, message):
        changed = services.moderate(comments=queryset, status=status, moderator=request.user)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(
        description=_("Reported: keep (dismiss the reports, show it again)"),
        permissions=["moderate"],
    )
    def keep_reported(self, request, queryset):
        kept = services.keep_reported_comments(comments=queryset, moderator=request.user)
        self.message_user(
            request, _("%(count)s kept: their reports are dismissed.") % {"count": kept}
        )

    @admin.action(description=_("Not spam: approve and teach the filter"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED, _("%(count)s approved."))

    @admin.action(description=_("Spam: hide and teach the filter"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, _("%(count)s marked as spam."))

    @admin.action(description=_("Hold for moderation"), permissions=["moderate"])
    def hold(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.PENDING, _("%(count)s held."))

    @admin.action(description=_("Remove (keep replies in place)"), permissions=["moderate"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REMOVED, _("%(count)s removed."))

    @admin.action(description=_("Spam: everything from the same authors"), permissions=["moderate"])
    def spam_same_author(self, request, queryset):
        self._moderate(
            request,
            Comment.objects.by_same_authors_as(queryset),
            Comment.Status.SPAM,
            _("%(count)s marked as spam."),
        )

    @admin.action(
        description=_("Spam: everything from the same email domains"), permissions=["moderate"]
    )
    def spam_same_domain(self, request, queryset):
        self._moderate(
            request,
            Comment.objects.from_email_domains_of(queryset),
            Comment.Status.SPAM,
            _("%(count)s marked as spam."),
        )

    @admin.action(
        description=_("Spam: everything from the same IP addresses"), permissions=["moderate"]
    )
    def spam_same_ip(self, request, queryset):
        self._moderate(
            request,
            Comment.objects.from_ip_addresses_of(queryset),
            Comment.Status.SPAM,
            _("%(count)s marked as spam."),
        )

    @admin.action(
        description=_("Not spam: everything from the same authors"), permissions=["moderate"]
    )
    def approve_same_author(self, request, queryset):
        self._moderate(
            request,
            Comment.objects.by_same_authors_as(queryset).exclude(status=Comment.Status.REMOVED),
            Comment.Status.APPROVED,
            _("%(count)s approved."),
        )

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")
