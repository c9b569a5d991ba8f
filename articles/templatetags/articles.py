import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from painrelief.images import picture_html

register = template.Library()

# Widths the hero takes in the layout: full width on phones, the text column on large screens.
HERO_SIZES = "(min-width: 992px) 800px, 100vw"
TEASER_SIZES = "(min-width: 768px) 240px, 100vw"


@register.simple_tag
def responsive_picture(article, sizes=HERO_SIZES, css_class="img-fluid", eager=False):
    """A <picture> of the article's hero image, or nothing."""
    if not article.hero:
        return ""
    return picture_html(
        article.hero, alt=article.hero_alt, sizes=sizes, css_class=css_class, eager=eager
    )


@register.simple_tag(takes_context=True)
def hero_image_url(context, article):
    """The absolute address of a mid-size JPEG rendition, for OpenGraph and JSON-LD."""
    if not article.hero:
        return ""
    widths = sorted(map(int, article.hero["jpeg"]))
    width = next((w for w in widths if w >= 1200), widths[-1])
    return context["request"].build_absolute_uri(
        default_storage.url(article.hero["jpeg"][str(width)])
    )


@register.simple_tag
def json_ld(data):
    """A JSON-LD block; <, > and & are escaped so the text cannot close the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (<, > and & escaped above)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title[:110],
        "description": article.teaser,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "author": {"@type": "Person", "name": article.author.display_name},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "mainEntityOfPage": url,
        "url": url,
        "wordCount": len(article.plain_text.split()),
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    image = hero_image_url(context, article)
    if image:
        data["image"] = [image]
    return json_ld(data)


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, article):
    """Plain share links: no third-party script, nothing loaded until the reader clicks."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    image = hero_image_url(context, article)
    pin = {"url": url, "description": article.title} | ({"media": image} if image else {})
    mail = {"subject": article.title, "body": f"{article.title}\n{url}"}
    links = [
        ("Email", "mailto:?" + urlencode(mail)),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": article.title})),
        ("Pinterest", "https://www.pinterest.com/pin/create/button/?" + urlencode(pin)),
    ]
    return {"links": links, "url": url, "title": article.title}


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address with another page number, other query parameters kept."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path
