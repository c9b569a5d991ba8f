"""A report's page and its file, the emailed link, and the "forget me" link."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from . import emails, services
from .forms import DownloadRequestForm
from .models import Resource


@method_decorator(never_cache, name="dispatch")
class ResourceView(View):
    """A downloadable resource: free ones are sent at once; email-gated ones ask for an address."""

    def dispatch(self, request, *args, **kwargs):
        self.resource = get_object_or_404(Resource, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.resource.needs_email:
            return _file_response(self.resource)
        return self._form_page(DownloadRequestForm(resource=self.resource))

    def post(self, request, *args, **kwargs):
        if not self.resource.needs_email:
            return redirect(self.resource)
        form = DownloadRequestForm(request.POST, resource=self.resource)
        if not form.is_valid():
            return self._form_page(form, status=400)
        try:
            services.request_download(
                resource=self.resource,
                email=form.cleaned_data["email"],
                spam_context=form.spam_context(request, kind="download"),
            )
        except services.TooManyDownloadRequests:
            form.add_error(
                None, _("Too many requests from your network; please try again in an hour.")
            )
            return self._form_page(form, status=429)
        # The same page for a request dropped as a robot's: no hint of what gave it away.
        return render(
            request,
            "downloads/download_sent.html",
            {"resource": self.resource, "email": form.cleaned_data["email"]},
        )

    def _form_page(self, form, status=200):
        return render(
            self.request,
            "downloads/resource.html",
            {"resource": self.resource, "download_form": form},
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class DownloadView(View):
    """The link from the email: confirms the address and sends the file."""

    def get(self, request, token):
        download_request = services.redeem_download_token(token)
        if download_request is None:
            return render(request, "downloads/download_expired.html", status=410)
        return _file_response(download_request.resource)


@method_decorator(never_cache, name="dispatch")
class ForgetEmailView(View):
    """The "forget me" link of every download email: a confirmation, then the deletion."""

    def dispatch(self, request, *args, **kwargs):
        self.email = emails.email_from_forget_token(kwargs["token"])
        if self.email is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return render(request, "downloads/forget_email.html", {"email": self.email})

    def post(self, request, token):
        services.forget_email(email=self.email)
        messages.success(
            request,
            _("Done: %(email)s has been deleted from our download lists.") % {"email": self.email},
        )
        return redirect("home")


def _file_response(resource: Resource) -> FileResponse:
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = resource.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename)
