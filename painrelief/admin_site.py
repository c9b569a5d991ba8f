"""The admin site: Django's, with a "view on site" redirect that gives nothing away.

Django's redirect (/admin/r/<content type>/<id>/) answers any staff user with the object's
address, so its Location header named draft articles' slugs and private questions' public
keys. Here it redirects only to a page that the user may actually see.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.urls import path


class SiteAdmin(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} administration"
    site_title = settings.SITE_NAME
    index_title = "The coach's and moderators' workspace"

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        """The object's page, if it is public or this user may preview it; else 404."""
        try:
            content_type = ContentType.objects.get_for_id(content_type_id)
            target = content_type.get_object_for_this_type(pk=object_id)
        except (ObjectDoesNotExist, ValidationError, ValueError):
            raise Http404 from None
        if is_hidden_page(target) and not may_preview(request.user, target):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)


def is_hidden_page(target) -> bool:
    """A page of the site (an article, a Q&A: what readers comment on) that is not public.

    Other objects' addresses (a comment's permalink, say) carry nothing beyond their id."""
    return hasattr(type(target), "commentable_objects") and not target.is_public


def may_preview(user, target) -> bool:
    """A model with a `visible_to(user)` verb (articles: the coach's preview) says so."""
    objects = type(target)._default_manager
    return hasattr(objects, "visible_to") and (
        objects.visible_to(user).filter(pk=target.pk).exists()
    )
