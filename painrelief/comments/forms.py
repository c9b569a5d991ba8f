from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from painrelief.accounts.roles import Role
from painrelief.spam.forms import SpamGuardMixin
from painrelief.text import IntactTextMixin, clean_line, clean_text, name_skeleton

from .models import Comment, CommentReport


def clean_body_text(value: str) -> str:
    """The comment text, cleaned, or a ValidationError saying what is wrong with it."""
    text = clean_text(value).strip()
    if not text:
        raise ValidationError(_("Please write your comment."), code="required")
    limit = settings.COMMENTS_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            _("Your comment has %(length)s characters; please keep it under %(limit)s.")
            % {"length": f"{len(text):,}", "limit": f"{limit:,}"},
            code="max_length",
        )
    return text


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Comment"),
            strip=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={"required": _("Please write your comment.")},
            **kwargs,
        )

    def clean(self, value):
        return clean_body_text(super().clean(value))


class CommentForm(IntactTextMixin, SpamGuardMixin, forms.Form):
    """A new comment or reply. Guests give a name and an email; signed-in readers nothing."""

    body = BodyField()
    name = forms.CharField(label=_("Name"), max_length=60)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Never published. Used to tell you about your comment."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    notify_replies = forms.BooleanField(
        label=_("Notify me of replies to my comment by email"), required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, target, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.user = user
        if user.is_authenticated:
            for name in ("name", "email", "website"):
                del self.fields[name]
        self.fields["body"].widget.attrs["aria-describedby"] = "comment-notes"

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Please tell us your name."), code="required")
        coach_names = (
            get_user_model()
            .objects.filter(groups__name=Role.COACH)
            .values_list("display_name", flat=True)
        )
        if name_skeleton(name) in {name_skeleton(coach) for coach in coach_names}:
            raise ValidationError(
                _("This name belongs to the coach; please use your own."), code="impersonation"
            )
        return name

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.for_target(self.target).approved().filter(pk=parent_id).first()
        if parent is None:
            raise ValidationError(
                _(
                    "The comment you are replying to is not published on this page. "
                    "Your text is kept below: you can post it as a new comment."
                ),
                code="invalid_parent",
            )
        return parent

    def comment_submission_key(self) -> str | None:
        """The key of this comment (SpamGuardMixin.submission_key): its page, the comment it
        answers (none for a new thread) and its text, from this rendered form."""
        parent = self.cleaned_data["parent"]
        return self.submission_key(
            self.target._meta.label_lower,
            str(self.target.pk),
            str(parent.pk) if parent else "",
            self.cleaned_data["body"],
        )


class CommentEditForm(IntactTextMixin, SpamGuardMixin, forms.Form):
    body = BodyField()


class ReportForm(IntactTextMixin, SpamGuardMixin, forms.Form):
    """A reader reports a comment: why, and a short note when the reasons do not say it."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong with it.")},
    )
    note = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=CommentReport._meta.get_field("note").max_length,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        return clean_line(self.cleaned_data["note"])
