from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from painrelief.spam.forms import new_stamp

from . import services
from .forms import CommentEditForm, CommentForm, ReportForm
from .guests import is_proven_guest, own_comment_ids, remember_own_comment
from .links import comment_from_manage_token, comment_from_unsubscribe_token
from .models import Comment, CommentReport
from .targets import closed_reason, get_target, target_of
from .threads import PAGE_PARAMETER, CommentSection, held_comments, page_of, section_of


def comment_section(target, request) -> CommentSection:
    """The comments block of a page: the threads this visitor may read, and the form to join
    in, set to answer the comment named by ?replytocom=."""
    section = section_of(target, request)
    section.form = CommentForm(
        target=target,
        user=request.user,
        initial={"parent": section.replying_to.pk if section.replying_to else None},
    )
    if getattr(request, "shared_copy", False):
        section.form.stamp_in_browser()
    return section


def comment_url(comment: Comment, target, request) -> str:
    """The address of `comment` on its target's page: the right page of threads, and anchor."""
    page = page_of(comment, target, request)
    query = f"?{PAGE_PARAMETER}={page}" if page > 1 else ""
    return f"{target.get_absolute_url()}{query}#{comment.anchor}"


@method_decorator(never_cache, name="dispatch")
class PostCommentView(View):
    """Posting a comment or reply (no JavaScript needed); errors keep everything typed.

    A GET shows the form on a page of its own, with its CSRF token and stamp: the way to
    comment without JavaScript from a cached page, whose form gets them from `FormStateView`.
    """

    def get(self, request, label, pk):
        target = get_target(label, pk)
        if target is None:
            raise Http404
        form = CommentForm(target=target, user=request.user)
        return render(request, "comments/comment_form_page.html", {"form": form, "target": target})

    def post(self, request, label, pk):
        target = get_target(label, pk)
        if target is None:
            raise Http404
        form = CommentForm(request.POST, target=target, user=request.user)
        closed = closed_reason(target)
        if closed:
            form.is_valid()
            form.add_error(None, closed)
            return self.error_page(form, target, status=403)
        if not form.is_valid():
            if "parent" in form.errors:
                form.data = form.data.copy()
                form.data["parent"] = ""
            return self.error_page(form, target, status=400)
        data = form.cleaned_data
        comment = services.post_comment(
            target=target,
            body=data["body"],
            user=request.user,
            name=data.get("name", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            parent=data["parent"],
            notify_replies=data["notify_replies"],
            spam_context=form.spam_context(
                request,
                kind="comment",
                proven_guest=is_proven_guest(request, data.get("email", "")),
            ),
            submission_key=form.comment_submission_key(),
        )
        if comment.is_public:
            messages.success(request, _("Thank you: your comment is published."))
        else:  # held or spam: the same words, which tell a spammer nothing
            messages.info(
                request,
                _(
                    "Thank you: your comment is awaiting moderation. It will appear here once the "
                    "coach or a moderator has read it."
                ),
            )
        response = HttpResponseRedirect(comment_url(comment, target, request))
        if comment.is_by_guest:
            remember_own_comment(request, response, comment)
        return response

    def error_page(self, form, target, *, status):
        parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
        return render(
            self.request,
            "comments/comment_form_page.html",
            {"form": form, "target": target, "parent": parent},
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class FormStateView(View):
    """What the shared copy of a page leaves out, for this visitor: the CSRF token (its cookie
    set here), a fresh form stamp, and their own comments awaiting moderation on this page of
    threads (?cpage=), as HTML for static/js/form-state.js to put in place."""

    def get(self, request, label=None, pk=None):
        target = get_target(label, pk) if label else None
        if label and target is None:
            raise Http404
        return JsonResponse(
            {
                "csrf_token": get_token(request),
                "form_stamp": new_stamp(),
                "held": [
                    {
                        "id": node.comment.pk,
                        "parent": node.comment.parent_id,
                        "html": render_to_string(
                            "includes/comments.html#comment-node", {"node": node}, request
                        ),
                    }
                    for node in (held_comments(target, request) if target else [])
                ],
            }
        )


class PermalinkView(View):
    """/comments/<id>/ finds the page of threads that shows the comment, for those who may
    read it: anyone once it is approved, and its author while it is held."""

    def get(self, request, pk):
        visible = Comment.objects.visible_to(request.user, own_comment_ids(request))
        comment = get_object_or_404(visible, pk=pk)
        target = target_of(comment)
        if target is None:
            raise Http404
        return redirect(comment_url(comment, target, request))


@method_decorator(never_cache, name="dispatch")
class ReportCommentView(View):
    """A reader reports a published comment: the form on a page of its own (the Report link of
    a cached page leads here; no JavaScript needed), then back to the page with one answer,
    whether the report is new, repeated, or dropped as a robot's."""

    def dispatch(self, request, *args, **kwargs):
        self.comment = (
            Comment.objects.on_public_pages().select_related("user").filter(pk=kwargs["pk"]).first()
        )
        if self.comment is None:
            if request.method == "POST" and self.hidden_by_reports(kwargs["pk"]):
                return self.thank(self.hidden)  # reported from a page shown before it was hidden
            raise Http404
        self.target = target_of(self.comment)
        self.own_guest_ids = own_comment_ids(request)
        if self.comment.is_own(request.user, self.own_guest_ids):
            return self.page(None, own=True, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.page(ReportForm())

    def post(self, request, pk):
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        services.report_comment(
            comment=self.comment,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            user=request.user,
            own_guest_ids=self.own_guest_ids,
            spam_context=form.spam_context(request, kind="report"),
        )
        return self.thank(self.comment)

    def hidden_by_reports(self, pk) -> bool:
        self.hidden = Comment.objects.filter(
            pk=pk, status=Comment.Status.PENDING, reports__in=CommentReport.objects.open()
        ).first()
        return self.hidden is not None and target_of(self.hidden) is not None

    def thank(self, comment):
        messages.success(self.request, _("Thank you, a moderator will look at it."))
        return redirect(f"{target_of(comment).get_absolute_url()}#comments")

    def page(self, form, *, own=False, status=200):
        context = {"form": form, "comment": self.comment, "target": self.target, "own": own}
        return render(self.request, "comments/report_form.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class AuthorCommentView(View):
    """An author's own comment: edit it for a few minutes, delete it at any time.

    Subclasses set `self.comment` and `self.target` in dispatch().
    """

    template_name = ""

    def get(self, request, *args, **kwargs):
        return self.page(CommentEditForm(initial={"body": self.comment.body}))

    def edit(self, request):
        form = CommentEditForm(request.POST)
        if not self.comment.is_editable():
            form.is_valid()
            form.add_error(None, too_late_message())
            return self.page(form, status=403)
        if not form.is_valid():
            return self.page(form, status=400)
        services.edit_comment(
            comment=self.comment,
            body=form.cleaned_data["body"],
            spam_context=form.spam_context(request, kind="comment", proven_guest=True),
        )
        messages.success(request, _("Your comment is updated."))
        if self.target is None:
            return redirect(request.path)
        return redirect(comment_url(self.comment, self.target, request))

    def delete(self, request):
        services.delete_own_comment(comment=self.comment)
        messages.success(request, _("Your comment is deleted."))
        return redirect(self.target or "home")

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "comment": self.comment,
                "target": self.target,
            },
            status=status,
        )


class OwnCommentView(LoginRequiredMixin, AuthorCommentView):
    """A signed-in reader's own comment, from the Edit link on the site."""

    template_name = "comments/comment_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.comment = get_object_or_404(
            Comment.objects.exclude(status__in=[Comment.Status.REMOVED, Comment.Status.SPAM]),
            pk=kwargs["pk"],
            user=request.user,
        )
        self.target = target_of(self.comment)
        if self.target is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class EditOwnCommentView(OwnCommentView):
    def post(self, request, pk):
        return self.edit(request)


class DeleteOwnCommentView(OwnCommentView):
    http_method_names = ["post"]

    def post(self, request, pk):
        return self.delete(request)


class ManageCommentView(AuthorCommentView):
    """The guest's signed link from their email; it works from any browser, with no account."""

    template_name = "comments/comment_manage.html"

    def dispatch(self, request, *args, **kwargs):
        self.comment = comment_from_manage_token(kwargs["token"])
        if self.comment is None or self.comment.status == Comment.Status.REMOVED:
            return render(request, "comments/link_invalid.html", status=404)
        self.target = target_of(self.comment)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The emailed link proves the address: this browser may now show the comment as its
        # own, and its next comments are trusted once this one is approved.
        response = super().get(request, *args, **kwargs)
        remember_own_comment(request, response, self.comment)
        return response

    def post(self, request, token):
        if request.POST.get("action") == "delete":
            return self.delete(request)
        response = self.edit(request)
        if response.status_code == 302 and self.target is not None:
            remember_own_comment(request, response, self.comment)
        return response


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """One click from the email stops reply notifications for that comment.

    The signed token, not a cookie, authorises the change, so CSRF does not apply; mail
    programs POST here for RFC 8058 one-click unsubscription.
    """

    def dispatch(self, request, *args, **kwargs):
        self.comment = comment_from_unsubscribe_token(kwargs["token"])
        if self.comment is None:
            return render(request, "comments/link_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        services.unsubscribe(comment=self.comment)
        return self.page(subscribed=False)

    def post(self, request, token):
        if request.POST.get("action") == "resubscribe":
            services.resubscribe(comment=self.comment)
            return self.page(subscribed=True)
        services.unsubscribe(comment=self.comment)
        return self.page(subscribed=False)

    def page(self, *, subscribed):
        return render(
            self.request,
            "comments/unsubscribed.html",
            {"comment": self.comment, "target": target_of(self.comment), "subscribed": subscribed},
        )


def too_late_message() -> str:
    return _(
        "Comments can be changed for %(minutes)s minutes after posting; this one can no longer "
        "be edited. Your text is kept below."
    ) % {"minutes": settings.COMMENTS_EDIT_MINUTES}
