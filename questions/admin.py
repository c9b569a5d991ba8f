"""The coach's question desk, and the moderators' view of held and spam questions."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Lower
from django.forms.models import construct_instance
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from painrelief import markdown, privacy
from painrelief.comments.models import Comment
from painrelief.encryption import encrypted_fields
from painrelief.text import MultilineField, query_text

from . import services
from .comparison import compare
from .identifying import highlighted, kinds_found
from .models import BodyArea, Question, RedFlag, Snippet

COACH_ONLY_FIELDS = ("email", "name", "ip_address")
# What a moderator may filter the list by in its URL: the list's own filters, no more (any
# other field lookup would confirm, guess by guess, what is hidden from them).
MODERATOR_LOOKUPS = {"id", "status", "has_red_flags", "body_areas", "publication", "created_at"}

ENCRYPTED_FIELDS = {field.name for field in encrypted_fields(Question)}

ACTION_DONE = {
    services.CoachAction.PUBLISH_ANSWER: _(
        "The answer is published; the asker was emailed a link to it."
    ),
    services.CoachAction.REQUEST_CONSENT: _(
        "The public version was sent to the asker for approval."
    ),
    services.CoachAction.DECLINE: _("Declined; the asker was emailed a link to your message."),
}


class QuestionAdminForm(forms.ModelForm):
    """The coach's edits; a button beside Save (e.g. `_publish_answer`) names an action, which
    is checked with the edits before anything is saved."""

    def clean(self):
        cleaned_data = super().clean()
        self.coach_action = next(
            (action for action in services.CoachAction.values if f"_{action}" in self.data), None
        )
        candidate = construct_instance(self, copy.copy(self.instance), fields=self._meta.fields)
        problem = services.coach_action_problem(question=candidate, action=self.coach_action)
        if problem:
            raise forms.ValidationError(problem, code="action_refused")
        return cleaned_data

    class Meta:
        model = Question
        fields = [
            "status",
            "answer",
            "related_articles",
            "internal_notes",
            "public_title",
            "public_body",
            "decline_message",
        ]
        # A browser sends CRLF: unnormalised, a text sent back as it was would count as
        # changed, and a changed answer or public version takes the public page down.
        field_classes = dict.fromkeys(
            ["answer", "internal_notes", "public_body", "decline_message"], MultilineField
        )
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 24, "class": "markdown-source"}),
            "public_body": forms.Textarea(attrs={"rows": 10}),
            "decline_message": forms.Textarea(attrs={"rows": 6}),
        }


class StatusFilter(admin.SimpleListFilter):
    """Statuses with their counts: the new ones are the work waiting."""

    title = _("status")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        counts = dict(
            model_admin.get_queryset(request).order_by().values_list("status").annotate(Count("pk"))
        )
        return [
            (value, f"{label} ({counts.get(value, 0)})")
            for value, label in Question.Status.choices
            if value in counts or value == Question.Status.NEW
        ]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class PublicFilter(admin.SimpleListFilter):
    title = _("public")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("Public")), ("waiting", _("Waiting for the asker's approval"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset & Question.objects.public()
        if self.value() == "waiting":
            return queryset.filter(consent=Question.Consent.PENDING)
        return queryset


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = [
        "flagged_title",
        "status",
        "areas",
        "created_at",
        "answer_state",
        "public_state",
    ]
    list_filter = [
        StatusFilter,
        "has_red_flags",
        "body_areas",
        "publication",
        PublicFilter,
        "created_at",
    ]
    search_fields = ["title", "public_title"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["related_articles"]
    ordering = ["-has_red_flags", "created_at"]
    actions = ["not_spam", "mark_spam"]
    change_form_template = "admin/questions/question/change_form.html"
    readonly_fields = [
        "case",
        "red_flag_list",
        "identifying_summary",
        "public_comparison",
        "areas",
        "duration_display",
        "on_behalf",
        "name",
        "email",
        "created_at",
        "publication",
        "spam_verdict_display",
        "asker_history",
        "consent",
        "public_link",
        "answer_published_at",
    ]

    @method_decorator(sensitive_post_parameters())
    def changeform_view(self, request, *args, **kwargs):
        """Answers and public versions are health data: keep them out of error reports."""
        return super().changeform_view(request, *args, **kwargs)

    def get_queryset(self, request):
        questions = super().get_queryset(request).prefetch_related("body_areas")
        if not request.user.has_perm("questions.answer_question"):
            # Moderators judge spam: they see held and spam questions only.
            questions = questions.filter(status__in=[Question.Status.HELD, Question.Status.SPAM])
        return questions

    def get_fieldsets(self, request, obj=None):
        if not request.user.has_perm("questions.answer_question"):
            return [(None, {"fields": ["case", "created_at", "spam_verdict_display"]})]
        asker = [
            "areas",
            "duration_display",
            "on_behalf",
            "name",
            "created_at",
            "publication",
            "asker_history",
        ]
        if request.user.has_perm("questions.view_asker_email"):
            asker.insert(4, "email")
        return [
            (_("The case"), {"fields": ["case", "red_flag_list", "identifying_summary"]}),
            (_("The asker"), {"fields": asker}),
            (_("Spam defence"), {"fields": ["spam_verdict_display"], "classes": ["collapse"]}),
            (
                _("Answer"),
                {
                    "fields": [
                        "status",
                        "answer",
                        "related_articles",
                        "answer_published_at",
                        "internal_notes",
                    ],
                    "description": _(
                        "Save keeps a draft. “Publish the answer” sends the asker a link to it."
                    ),
                },
            ),
            (
                _("Public version"),
                {
                    "fields": [
                        "public_title",
                        "public_body",
                        "public_comparison",
                        "consent",
                        "public_link",
                    ],
                    "description": _(
                        "Only when the asker allowed publication. Write the public title and an "
                        "edited copy of the case without identifying details (marked in yellow "
                        "above); the asker approves this exact text before it is published."
                    ),
                },
            ),
            (_("Decline"), {"fields": ["decline_message"], "classes": ["collapse"]}),
        ]

    def get_search_results(self, request, queryset, search_term):
        """Titles by their words; for those who may see askers' addresses, a whole address
        too (through its digest: an encrypted address cannot be searched by a part of it)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        address = search_term.strip()
        if "@" in address and request.user.has_perm("questions.view_asker_email"):
            results |= queryset.with_email(address)
        return results, may_have_duplicates

    def lookup_allowed(self, lookup, value, request):
        moderating = not request.user.has_perm("questions.answer_question")
        if moderating and lookup.split(LOOKUP_SEP)[0] not in MODERATOR_LOOKUPS:
            return False
        if lookup.split(LOOKUP_SEP)[0] in ENCRYPTED_FIELDS:
            return False  # the database holds only ciphertext: no lookup could match
        return super().lookup_allowed(lookup, value, request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("questions.answer_question") or (
            request.user.has_perm("questions.moderate_question") and obj is None
        )

    def has_add_permission(self, request):
        return False  # questions come from readers

    def get_object(self, request, object_id, from_field=None):
        question = super().get_object(request, object_id, from_field)
        if question is not None:
            # Prefill what the coach starts from; nothing is saved until they save.
            if not question.public_body and question.publication != Question.Publication.PRIVATE:
                question.public_body = question.body
                question.public_title = question.public_title or question.title
            if not question.decline_message:
                stock = Snippet.objects.filter(use=Snippet.Use.DECLINE).first()
                question.decline_message = stock.body if stock else ""
        return question

    # --- Columns and read-only fields ----------------------------------------------------

    @admin.display(description=_("question"), ordering="title")
    def flagged_title(self, question):
        if question.has_red_flags:
            return format_html(
                '<strong class="red-flag">⚑ {}</strong> {}',
                ", ".join(question.red_flags),
                question.title,
            )
        return question.title

    @admin.display(description=_("where it hurts"))
    def areas(self, question):
        return ", ".join(area.name for area in question.body_areas.all()) or "—"

    @admin.display(description=_("answer"))
    def answer_state(self, question):
        if question.answer_published_at:
            return _("Published")
        return _("Draft") if question.answer else "—"

    @admin.display(description=_("public"))
    def public_state(self, question):
        if question.is_public:
            return format_html('<a href="{}">{}</a>', question.get_absolute_url(), _("Public"))
        if question.publication == Question.Publication.PRIVATE:
            return _("Private (asker's choice)")
        return question.get_consent_display()

    @admin.display(description=_("the case, as the asker wrote it"))
    def case(self, question):
        return format_html(
            '<h3 class="case-title">{}</h3><div class="case-text">{}</div>',
            question.title,
            highlighted(question.body),
        )

    @admin.display(description=_("red flags"))
    def red_flag_list(self, question):
        if not question.red_flags:
            return "—"
        return format_html(
            '<strong class="red-flag">{}</strong><br>{}',
            ", ".join(question.red_flags),
            _("The asker was told to seek urgent care."),
        )

    @admin.display(description=_("identifying details"))
    def identifying_summary(self, question):
        kinds = kinds_found(f"{question.title}\n{question.body}")
        if not kinds:
            return _("None spotted (read the case anyway).")
        return _("Marked in the case: %(kinds)s.") % {"kinds": ", ".join(kinds)}

    @admin.display(description=_("public version against the case"))
    def public_comparison(self, question):
        if question.publication == Question.Publication.PRIVATE or not question.public_body:
            return "—"
        comparison = compare(
            f"{question.title}\n\n{question.body}",
            f"{question.public_title}\n\n{question.public_body}",
        )
        left = format_html_join(
            "", "<li>{}: “{}”</li>", ((hit.kind, hit.text) for hit in comparison.still_identifying)
        )
        warning = (
            format_html(
                '<p class="errornote">{}</p><ul class="still-identifying">{}</ul>',
                _("Still in the public text, and may identify the asker:"),
                left,
            )
            if left
            else format_html('<p class="help">{}</p>', _("No identifying detail spotted in it."))
        )
        return format_html(
            '<p class="help">{}</p><div class="public-comparison">'
            '<div><h3>{}</h3><div class="comparison-text">{}</div></div>'
            '<div><h3>{}</h3><div class="comparison-text">{}</div></div></div>{}',
            _("As saved: save to compare your latest edits."),
            _("The case, as the asker wrote it (cut or changed: struck through)"),
            comparison.original_html,
            _("The public version (added or changed: underlined)"),
            comparison.public_html,
            warning,
        )

    @admin.display(description=_("since when"))
    def duration_display(self, question):
        return question.get_duration_display() or "—"

    @admin.display(description=_("spam defence"))
    def spam_verdict_display(self, question):
        reasons = "; ".join(r["text"] for r in question.reasons if isinstance(r, dict))
        score = f"{question.spam_score:.2f}" if question.spam_score is not None else "—"
        return format_html("{}: {} (score {})", question.spam_verdict or "—", reasons or "—", score)

    @admin.display(description=_("asker's history"))
    def asker_history(self, question):
        others = Question.objects.with_email(question.email).exclude(pk=question.pk)
        comments = Comment.objects.annotate(e=Lower("email")).filter(e=question.email.lower())
        comments = comments.count()
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (
                    reverse("admin:questions_question_change", args=[q.pk]),
                    Truncator(q.title).chars(60),
                    q.get_status_display(),
                )
                for q in others[:10]
            ),
        )
        return format_html(
            "{} other questions, {} comments<ul>{}</ul>", others.count(), comments, items
        )

    @admin.display(description=_("public page"))
    def public_link(self, question):
        if question.is_public:
            return format_html(
                '<a href="{}">{}</a>', question.get_absolute_url(), question.get_absolute_url()
            )
        return "—"

    # --- Saving: draft, publish, ask for approval, decline --------------------------------

    def save_model(self, request, obj, form, change):
        services.save_coach_edits(
            question=obj, changed_fields=form.changed_data, action=form.coach_action
        )
        if form.coach_action:
            self.message_user(request, ACTION_DONE[form.coach_action], messages.SUCCESS)

    # --- Moderators' spam decisions --------------------------------------------------------

    def has_moderate_permission(self, request):
        return request.user.has_perm("questions.moderate_question")

    @admin.action(
        description=_("Not spam: put in the coach's queue and teach the filter"),
        permissions=["moderate"],
    )
    def not_spam(self, request, queryset):
        count = services.moderate(
            questions=queryset, status=Question.Status.NEW, moderator=request.user
        )
        self.message_user(request, _("%(count)s moved to the coach's queue.") % {"count": count})

    @admin.action(description=_("Spam: hide and teach the filter"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        count = services.moderate(
            questions=queryset, status=Question.Status.SPAM, moderator=request.user
        )
        self.message_user(request, _("%(count)s marked as spam.") % {"count": count})

    # --- Extra pages: the live preview, privacy requests -----------------------------------

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.markdown_preview),
                name="questions_question_preview",
            ),
            path(
                "privacy/", self.admin_site.admin_view(self.privacy_view), name="questions_privacy"
            ),
            *super().get_urls(),
        ]

    def markdown_preview(self, request):
        if not request.user.has_perm("questions.answer_question"):
            raise PermissionDenied
        return markdown.preview_response(request)

    def privacy_view(self, request):
        """Export everything about one email address as JSON, or erase it."""
        if not request.user.has_perm("questions.view_asker_email"):
            raise PermissionDenied
        email = query_text(request.POST.get("email", "")).strip()
        if request.method == "POST" and email:
            if request.POST.get("action") == "export":
                response = HttpResponse(
                    privacy.export_person(email), content_type="application/json"
                )
                response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
                return response
            if request.POST.get("action") == "erase" and request.POST.get("confirm"):
                counts = privacy.erase_person(email)
                self.message_user(
                    request,
                    _("Erased: %(counts)s.")
                    % {"counts": ", ".join(f"{n} {what}" for what, n in counts.items())},
                    messages.SUCCESS,
                )
            elif request.POST.get("action") == "erase":
                self.message_user(
                    request, _("Tick the box to confirm the erasure."), messages.ERROR
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Privacy requests"),
            "email": email,
            "opts": self.model._meta,
        }
        return render(request, "admin/questions/privacy.html", context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["markdown_preview_url"] = reverse("admin:questions_question_preview")
        context["answer_snippets"] = list(
            Snippet.objects.filter(use=Snippet.Use.ANSWER).values("title", "body")
        )
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(Snippet)
class SnippetAdmin(admin.ModelAdmin):
    list_display = ["title", "use"]
    list_filter = ["use"]
    search_fields = ["title", "body"]


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "phrase_list"]
    list_filter = ["active"]
    search_fields = ["name", "phrases", "with_phrases"]

    @admin.display(description=_("phrases"))
    def phrase_list(self, flag):
        together = f" + ({', '.join(flag.with_phrases.split())})" if flag.with_phrases else ""
        return Truncator(", ".join(flag.phrases.splitlines()) + together).chars(100)


@admin.register(BodyArea)
class BodyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
