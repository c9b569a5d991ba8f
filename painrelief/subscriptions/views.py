"""Subscribing, confirming, choosing, unsubscribing: every page after the first is reached by
the subscription's key from an email (an opaque value, no address in the URL)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from painrelief.counters import count_event

from . import services
from .forms import ChoicesForm, SubscribeForm
from .models import Subscription

REQUESTS_PER_IP_PER_HOUR = 20


@method_decorator(never_cache, name="dispatch")
class SubscribeView(View):
    def get(self, request):
        return render(request, "subscriptions/subscribe.html", {"form": SubscribeForm()})

    def post(self, request):
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            return render(request, "subscriptions/subscribe.html", {"form": form}, status=400)
        context = form.spam_context(request, kind="subscription")
        if count_event(f"subscriptions:{context.ip}", window_seconds=3600) > (
            REQUESTS_PER_IP_PER_HOUR
        ):
            form.add_error(None, _("Too many requests from your network; please try again later."))
            return render(request, "subscriptions/subscribe.html", {"form": form}, status=429)
        services.subscribe(
            email=form.cleaned_data["email"],
            categories=form.cleaned_data["categories"],
            frequency=form.cleaned_data["frequency"],
            spam_context=context,
        )
        # The same page for every address, and for a request dropped as a robot's.
        return render(request, "subscriptions/sent.html", {"email": form.cleaned_data["email"]})


class KeyedView(View):
    """A page reached through a subscription's key."""

    def dispatch(self, request, *args, **kwargs):
        self.subscription = Subscription.objects.filter(key=kwargs["key"]).first()
        if self.subscription is None:
            return render(request, "subscriptions/link_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(KeyedView):
    """The emailed link asks for a click: mail scanners that open links confirm nothing."""

    def get(self, request, key):
        if self.subscription.confirmed_at:
            return redirect("subscriptions:manage", key=key)
        return render(request, "subscriptions/confirm.html", {"subscription": self.subscription})

    def post(self, request, key):
        services.confirm(self.subscription)
        messages.success(request, _("Thank you: new articles will come to your inbox."))
        return redirect("subscriptions:manage", key=key)


@method_decorator(never_cache, name="dispatch")
class ManageView(KeyedView):
    def get(self, request, key):
        form = ChoicesForm(
            initial={
                "categories": self.subscription.categories.all(),
                "frequency": self.subscription.frequency,
            }
        )
        return self._page(form)

    def post(self, request, key):
        form = ChoicesForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        services.change_choices(
            self.subscription,
            categories=form.cleaned_data["categories"],
            frequency=form.cleaned_data["frequency"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("subscriptions:manage", key=key)

    def _page(self, form, status=200):
        context = {"subscription": self.subscription, "form": form}
        return render(self.request, "subscriptions/manage.html", context, status=status)


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(View):
    """Mail programs' one-click unsubscribe (RFC 8058) POSTs here without a CSRF token: the
    key in the address is the proof. Opened in a browser, it asks first."""

    def get(self, request, key):
        if not Subscription.objects.filter(key=key).exists():
            return render(request, "subscriptions/unsubscribed.html")
        return render(request, "subscriptions/unsubscribe.html")

    def post(self, request, key):
        subscription = Subscription.objects.filter(key=key).first()
        if subscription is not None:
            services.unsubscribe(subscription)
        return render(request, "subscriptions/unsubscribed.html")
