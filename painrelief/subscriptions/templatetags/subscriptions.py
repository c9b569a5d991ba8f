from django import template

from painrelief.subscriptions.forms import SubscribeForm

register = template.Library()


@register.simple_tag(takes_context=True)
def subscribe_form(context, prefix: str) -> SubscribeForm:
    """A fresh subscription form (its stamp and honeypot) for a short form on the page; the
    prefix keeps its ids apart from the page's other forms. In the cached copy of a page its
    stamp is fetched by the browser (static/js/form-state.js)."""
    form = SubscribeForm(auto_id=f"{prefix}-%s")  # names "subscribe-…", ids "{prefix}-subscribe-…"
    if getattr(context.get("request"), "shared_copy", False):
        form.stamp_in_browser()
    return form
