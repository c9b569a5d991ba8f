from django import template

from painrelief.mail.models import OutgoingEmail

register = template.Library()


@register.simple_tag(takes_context=True)
def failed_email_count(context) -> int:
    """Emails given up on, for the admin index's alert (for those who may see the outbox)."""
    if not context["request"].user.has_perm("mail.view_outgoingemail"):
        return 0
    return OutgoingEmail.objects.failed().count()
