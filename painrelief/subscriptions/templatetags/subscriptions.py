from django import template

from painrelief.subscriptions.forms import SubscribeForm

register = template.Library()


@register.simple_tag
def subscribe_form(prefix: str) -> SubscribeForm:
    """A fresh subscription form (its stamp and honeypot) for a short form on the page; the
    prefix keeps its ids apart from the page's other forms."""
    return SubscribeForm(auto_id=f"{prefix}-%s")  # names "subscribe-…", ids "{prefix}-subscribe-…"
