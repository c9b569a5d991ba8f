"""Hostile strings for the sweep, written for this project in the shapes of well-known public
families (script and event-handler injection, dangerous URLs, SVG and MathML tricks, CSS, SQL,
template and format syntax, path traversal, unicode tricks, control characters, NUL, sizes).

Each is short enough for a name field (60 characters) unless it is about size. The numbers in
alert() tell which string ran, should one ever run in the browser test.
"""

# (id, text): ids name the family, for test ids and failure messages.
HOSTILE = [
    # Script and event-handler injection.
    ("script", "<script>alert(1)</script>"),
    ("img-onerror", "<img src=x onerror=alert(2)>"),
    ("svg-onload", '"><svg/onload=alert(3)>'),
    ("body-onload", "'><body onload=alert(4)>"),
    ("details-ontoggle", "<details open ontoggle=alert(5)>x"),
    ("attribute-breakout", '" onmouseover="alert(6)" x="'),
    ("single-quote-breakout", "' autofocus onfocus='alert(7)"),
    ("textarea-breakout", "</textarea><script>alert(8)</script>"),
    ("title-breakout", "</title><script>alert(9)</script>"),
    ("nested-script", "<scr<script>ipt>alert(10)</scr</script>ipt>"),
    ("comment-confusion", '<!--<img src="--><img src=x onerror=alert(11)//">'),
    ("json-breakout", '</script><script>alert(12)</script>{"a":"'),
    # javascript: and data: URLs.
    ("javascript-link", '<a href="javascript:alert(13)">x</a>'),
    ("javascript-url", "javascript:alert(14)//https://x.example"),
    ("javascript-mixed-case", " JaVaScRiPt:alert(15)"),
    ("javascript-entities", "&#106;avascript&#58;alert(16)"),
    ("javascript-tab", "java\tscript:alert(17)"),
    ("data-url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4="),
    ("markdown-link", "[click](javascript:alert(19))"),
    ("url-with-quote", 'https://x.example/"><script>alert(20)</script>'),
    ("url-with-svg", "https://x.example/?q=<svg onload=alert(21)>"),
    # SVG and MathML tricks.
    ("svg-script", "<svg><script>alert(22)</script></svg>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(23)"><text>x</text></a>'),
    ("svg-animate", "<svg><animate onbegin=alert(24) attributeName=x dur=1s>"),
    ("mathml-mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=alert(25)>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(26)</script>">'),
    ("object-data", '<object data="javascript:alert(27)">'),
    # CSS injection and page takeover.
    ("style-element", "<style>*{background:url(//x.example/28)}</style>"),
    ("style-attribute", '<p style="background:url(javascript:alert(29))">x</p>'),
    ("css-expression", "x{}*{color:expression(alert(30))}"),
    ("base-href", '<base href="https://x.example/">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://x.example/">'),
    ("form-phishing", '<form action="https://x.example/"><input name=p></form>'),
    # SQL injection.
    ("sql-or", "' OR '1'='1' --"),
    ("sql-drop", "1; DROP TABLE comments_comment; --"),
    ("sql-union", "' UNION SELECT password FROM accounts_user --"),
    ("sql-like", "%_%' ESCAPE '\\"),
    # Template syntax and format strings.
    ("django-template", "{{ settings.SECRET_KEY }}{% debug %}"),
    ("django-include", '{% include "base.html" %}{{ request.user.password }}'),
    ("format-strings", "%s %d %(name)s {0} {name!r} ${7*7} #{7*7} %n"),
    # Path traversal.
    ("path-traversal", "../../../../etc/passwd"),
    ("encoded-traversal", "..%2F..%2F..%2Fetc%2Fpasswd%00.png"),
    # Unicode: mixed scripts, direction overrides, invisible and control characters.
    ("mixed-script", "\u0421\u043e\u0430ch \u0415l\u0435na p\u0430ypal.com"),
    ("rtl-override", "Maria \u202egnp.exe\u202c photo"),
    ("bidi-isolates", "\u2066Maria\u2069 \u200f\u200e\u061c"),
    ("zero-width", "Ma\u200bri\u200ca\u200d \ufeff\u2060x"),
    ("control-characters", "Maria\x07\x08\x1b[31m red\x1b[0m\x7f\x85"),
    ("combining-marks", "Z\u0338\u0321\u0322a\u0337l\u0335g\u0336o\u0334" + "\u0301" * 30),
    ("emoji-joiners", "\U0001f469\u200d\u2695\ufe0f \U0001f3f3\ufe0f\u200d\U0001f308 Ana"),
    ("header-injection", "Maria\r\nBcc: victim@x.example\r\n\r\nbody"),
    ("whitespace-only", "\u00a0\u2003\u3000 \t"),
    ("nul", "Maria\x00<script>alert(31)</script>"),
    # Sizes: a 10,000-character name.
    ("long-name", "Maria " * 1667),
]

# An address that is valid (a quoted local part) and carries markup: stored and shown.
HOSTILE_EMAIL = '"<script>alert(40)</script>"@example.org'

# Bytes that are not UTF-8, posted as they are: Latin-1, an overlong "<", an encoded lone
# surrogate (what a browser can never send), a cut four-byte sequence.
BAD_BYTES = [
    ("latin-1", b"caf\xe9"),
    ("overlong", b"\xc0\xbcscript\xc0\xbealert(41)"),
    ("lone-surrogate", b"x\xed\xa0\x80y"),
    ("truncated", b"pain \xf0\x9f"),
]

MEGABYTE_TEXT = "My neck hurts. " * 70_000  # about 1 MB
