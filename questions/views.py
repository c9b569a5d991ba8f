import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, ListView

from painrelief.comments.views import comment_section
from painrelief.text import query_text

from . import links, services
from .forms import AskForm, PublicationForm
from .models import BodyArea, Question, RedFlag

# The case is health data: Django's error reports must not carry it.
SENSITIVE = sensitive_post_parameters("title", "body", "name", "email")


@method_decorator([SENSITIVE, never_cache], name="dispatch")
class AskView(View):
    """ "Ask the coach": the form, a preview step, then sending. Nothing typed is ever lost."""

    def get(self, request):
        return self.form_page(AskForm(user=request.user, captcha=False))

    def post(self, request):
        sending = "send" in request.POST
        # reCAPTCHA is solved on the last step only: its token can be checked once.
        form = AskForm(request.POST, user=request.user, captcha=sending)
        if not form.is_valid() or "edit" in request.POST:
            return self.form_page(form, status=200 if form.is_valid() else 400)
        if not sending:
            red_flags = services.red_flags_in(
                f"{form.cleaned_data['title']}\n{form.cleaned_data['body']}"
            )
            carried = [
                (name, value)
                for name in form.fields
                for value in request.POST.getlist(form.add_prefix(name))
            ]
            return render(
                request,
                "questions/ask_preview.html",
                {
                    "form": form,
                    "red_flags": red_flags,
                    "carried": carried,
                    "send_form": AskForm(user=request.user),
                },
            )
        question = services.ask(
            data=form.cleaned_data,
            user=request.user,
            spam_context=form.spam_context(request, kind="question"),
            submission_key=form.submission_key(
                form.cleaned_data["title"], form.cleaned_data["body"], form.cleaned_data["email"]
            ),
        )
        if question.status == Question.Status.SPAM:
            # No hint for spammers: the same page, but no link (nothing to come back to).
            return redirect("questions:sent")
        return redirect("questions:sent", token=links.private_token(question))

    def form_page(self, form, status=200):
        return render(
            self.request,
            "questions/ask.html",
            {"form": form, "red_flag_json": json.dumps(red_flag_phrases())},
            status=status,
        )


@never_cache
def sent(request, token=""):
    """The thank-you page after sending (post/redirect/get: reloading sends nothing twice)."""
    question, _problem = links.question_from_token(token) if token else (None, "")
    return render(
        request,
        "questions/sent.html",
        {
            "question": question,
            "red_flags": question.red_flags if question else [],
            "private_url": links.private_path(question) if question else "",
        },
    )


def red_flag_phrases() -> list[dict]:
    """The red flags for the live notice on the form (static/js/red-flags.js)."""
    return [
        {"phrases": _phrases(flag.phrases), "with": _phrases(flag.with_phrases)}
        for flag in RedFlag.objects.filter(active=True)
    ]


def _phrases(lines: str) -> list[str]:
    return [line.strip().lower().replace("’", "'") for line in lines.splitlines() if line.strip()]


@method_decorator([SENSITIVE, never_cache], name="dispatch")
class PrivateQuestionView(View):
    """The asker's own page, through the signed link of their emails: no account needed."""

    def dispatch(self, request, *args, **kwargs):
        self.question, problem = links.question_from_token(kwargs["token"])
        if self.question is None:
            new_link_sent = False
            if problem == "expired" and request.method == "POST":
                if expired_for := links.question_of_expired_token(kwargs["token"]):
                    services.send_new_link(question=expired_for)
                new_link_sent = True
            return render(
                request,
                "questions/link_invalid.html",
                {
                    "problem": problem,
                    "new_link_sent": new_link_sent,
                    "link_days": settings.QUESTIONS_LINK_MAX_AGE_DAYS,
                },
                status=410 if problem == "expired" else 404,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return self.page()

    def post(self, request, token):
        question = self.question
        action = request.POST.get("action")
        if action == "delete":
            if not request.POST.get("confirm"):
                messages.error(request, _("Tick the box to confirm the deletion."))
                return redirect(request.path)
            services.delete_question(question=question)
            messages.success(request, _("Your question and everything attached to it are deleted."))
            return redirect("questions:list")
        if action == "approve":
            if services.approve_public_text(question=question):
                messages.success(request, _("Thank you: the question and answer are published."))
            else:
                messages.error(
                    request, _("The public text changed meanwhile; please read it again.")
                )
        elif action == "decline":
            services.decline_public_text(question=question)
            messages.success(request, _("Understood: nothing is published."))
        elif action == "publication":
            form = PublicationForm(request.POST)
            if not form.is_valid():
                return self.page(publication_form=form, status=400)
            services.change_publication(
                question=question, publication=form.cleaned_data["publication"]
            )
            messages.success(request, _("Your choice is saved."))
        return redirect(request.path)

    def page(self, publication_form=None, status=200):
        question = self.question
        return render(
            self.request,
            "questions/private.html",
            {
                "question": question,
                "publication_form": publication_form
                or PublicationForm(initial={"publication": question.publication}),
                "consent_text": question.consent_text,
            },
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class MyQuestionsView(LoginRequiredMixin, ListView):
    template_name = "questions/my_questions.html"
    context_object_name = "questions"

    def get_queryset(self):
        return (
            Question.objects.filter(user=self.request.user)
            .exclude(status=Question.Status.SPAM)
            .order_by("-created_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for question in context["questions"]:
            question.private_link = links.private_path(question)
        return context


class QuestionListView(ListView):
    """The public Q&A: answered questions whose askers agreed, newest first."""

    template_name = "questions/question_list.html"
    context_object_name = "questions"
    paginate_by = settings.QUESTIONS_PER_PAGE

    def get_queryset(self):
        questions = Question.objects.public().for_lists().order_by("-published_at", "-pk")
        self.area = None
        if slug := self.request.GET.get("area"):
            self.area = get_object_or_404(BodyArea, slug=query_text(slug))
            questions = questions.filter(body_areas=self.area)
        return questions

    def get_context_data(self, **kwargs):
        return super().get_context_data(areas=BodyArea.objects.all(), area=self.area, **kwargs)


class QuestionDetailView(DetailView):
    template_name = "questions/question_detail.html"
    context_object_name = "question"

    def get_object(self, queryset=None):
        key = self.kwargs["slug"].rsplit("-", 1)[-1]
        return get_object_or_404(
            Question.objects.public().prefetch_related("body_areas"), public_key=key
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs["slug"] != self.object.public_slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related_articles=self.object.related_articles.published().only("title", "slug"),
            comment_section=comment_section(self.object, self.request),
            **kwargs,
        )
