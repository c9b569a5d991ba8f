"""Reading HTML in tests: what elements and attributes a page or fragment really contains."""

from html.parser import HTMLParser


class TagCollector(HTMLParser):
    """Every start tag of `html`, as (tag, attributes) pairs in `elements`."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
