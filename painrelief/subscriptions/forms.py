"""Asking for new articles by email, and changing what one gets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Category
from painrelief.spam.forms import SpamGuardMixin
from painrelief.text import IntactTextMixin

from .models import Subscription
from .services import consent_text


class ChoicesForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("Which topics"),
        queryset=Category.objects.filter(parent=None).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every new article."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency,
        initial=Subscription.Frequency.EACH,
        required=False,  # the short form at the foot of pages has no choice: each article
        widget=forms.RadioSelect,
    )

    def clean_frequency(self):
        return self.cleaned_data["frequency"] or Subscription.Frequency.EACH


class SubscribeForm(IntactTextMixin, SpamGuardMixin, ChoicesForm):
    """The address, its own consent, and the choices (the spam defence's fields come along)."""

    email = forms.EmailField(label=_("Your email"), max_length=254)
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please tick the box so we may email you.")},
    )
    field_order = ["email", "categories", "frequency", "consent"]

    def __init__(self, *args, **kwargs):
        # Its own names and ids: pages carry other forms with an email field and a form stamp.
        kwargs.setdefault("prefix", "subscribe")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text()
