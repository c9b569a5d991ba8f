from django.contrib.admin.apps import AdminConfig


class SiteAdminConfig(AdminConfig):
    """Django's admin, with the site's own AdminSite (painrelief/admin_site.py)."""

    default_site = "painrelief.admin_site.SiteAdmin"
