from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from painrelief.spam.forms import SpamGuardMixin
from painrelief.text import IntactTextMixin, clean_line, clean_text

from .models import BodyArea, Question

CASE_PROMPTS = _(
    "Where does it hurt, and since when? What makes it better or worse? What have you tried? "
    "What did doctors, physiotherapists or others say?"
)


class AskForm(IntactTextMixin, SpamGuardMixin, forms.ModelForm):
    """The guided "Ask the coach" form; its data travels through the preview step unchanged."""

    body_areas = forms.ModelMultipleChoiceField(
        queryset=BodyArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Where does it hurt?"),
        help_text=_("Tick all that apply."),
    )

    class Meta:
        model = Question
        fields = [
            "title",
            "body",
            "body_areas",
            "duration",
            "on_behalf",
            "name",
            "email",
            "publication",
        ]
        labels = {
            "title": _("A short title"),
            "body": _("Your case"),
            "duration": _("Since when?"),
            "on_behalf": _("I am writing on behalf of someone (a partner, a parent, a friend)"),
            "name": _("Your name, or the name you would like us to use"),
            "email": _("Your email address"),
            "publication": _("May the coach publish your question?"),
        }
        help_texts = {
            "title": _("For example: “Knot under my shoulder blade and a numb arm”."),
            "body": CASE_PROMPTS,
            "email": _(
                "Private: we send you a link to your question and the answer. "
                "Never shown or shared."
            ),
            "publication": _(
                "If you allow it, the coach prepares a public version without identifying "
                "details, and you approve its exact text before anything is published. You "
                "can change your mind at any time."
            ),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "duration": forms.RadioSelect,
            "publication": forms.RadioSelect,
        }

    def __init__(self, *args, user=None, captcha=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not captcha:
            self.fields.pop("captcha", None)
        self.fields["duration"].choices = [
            ("", _("I'd rather not say")),
            *Question.Duration.choices,
        ]
        self.fields["duration"].required = False
        self.fields["publication"].initial = Question.Publication.PRIVATE
        # The browser must not cut a long case silently: the length is checked with a message.
        self.fields["body"].widget.attrs.pop("maxlength", None)
        self.fields["title"].widget.attrs.pop("maxlength", None)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("name", user.display_name)
            self.initial.setdefault("email", user.email)

    def clean_title(self):
        title = clean_line(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Please give your question a short title."), code="required")
        return title

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"]).strip()
        limit = settings.QUESTIONS_MAX_LENGTH
        if len(body) < 20:
            raise ValidationError(
                _("Please tell the coach a little more about the pain."), code="min_length"
            )
        if len(body) > limit:
            raise ValidationError(
                _(
                    "Your case has %(length)s characters; please shorten it to %(limit)s. "
                    "Everything you wrote is still here."
                )
                % {"length": f"{len(body):,}", "limit": f"{limit:,}"},
                code="max_length",
            )
        return body

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Please tell us a name to use."), code="required")
        return name


class PublicationForm(forms.Form):
    publication = forms.ChoiceField(
        label=_("Publication"), choices=Question.Publication.choices, widget=forms.RadioSelect
    )
