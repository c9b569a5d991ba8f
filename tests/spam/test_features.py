"""The features' fast paths find what the plain patterns find."""

import re

import pytest

from painrelief.spam import features

LINKS = [
    "",
    "no link at all, just words.",
    "see http://a.example.com/x?ref=1 and www.b.example.net, then shop-1.example.top/go/x",
    "x" * 70 + ".com " + "ab-" * 30 + "cd.ru/path and HTTPS://C.EXAMPLE.IO",
    "a.com.b.com/c\thttp://x\u00a0www.y.in? end.co",
]


@pytest.mark.parametrize("text", LINKS)
def test_links_of_finds_what_the_link_pattern_finds(text):
    assert features.links_of(text) == (features.URL.findall(text), features.URL.sub(" ", text))


@pytest.mark.parametrize(
    ("text", "pattern", "fast"),
    [
        ("call +1 (555) 010-2030 now", r"(?:\+?\d[\s().-]?){9,}", features.PHONE.search),
        ("write to a.b+c@mail.example.org", r"[\w.+-]+@[\w-]+\.[\w.-]+", features.EMAIL.search),
        ("not @an.email", r"[\w.+-]+@[\w-]+\.[\w.-]+", features.EMAIL.search),
        ("soooooo good", r"(.)\1{4,}", features.has_repeated_chars),
        ("\n\n\n\n\n", r"(.)\1{4,}", features.has_repeated_chars),
        ("50 % off today", r"\d{1,3}\s?%\s?(?:off|discount|rabatt)", features.PERCENT_OFF.search),
        (
            "use code SAVE20",
            r"\b(?:code|coupon|promo)\s*:?\s*[A-Z0-9]{4,}\b",
            features.PROMO_CODE.search,
        ),
        (
            "barcode SAVE20",
            r"\b(?:code|coupon|promo)\s*:?\s*[A-Z0-9]{4,}\b",
            features.PROMO_CODE.search,
        ),
    ],
)
def test_the_rewritten_patterns_find_what_the_plain_ones_find(text, pattern, fast):
    flags = re.IGNORECASE if "off" in pattern else 0
    assert bool(fast(text)) == bool(re.search(pattern, text, flags))


def test_lowering_the_whole_text_gives_the_words_of_lowering_each():
    text = "ΟΔΟΣ.Α İstanbul \u212aelvin Don’t 1234567 " + "a" * 30
    expected = [
        "long-word" if len(w) > 24 else f"number:{min(len(w), 6)}" if w.isdigit() else w
        for w in (m.lower() for m in features.WORD.findall(text) if len(m) >= 2)
        if len(w) <= 24 or w.isalpha()
    ]
    assert features.word_features(text) == expected
    assert features.word_features(text.replace("Σ", "s").replace("İ", "I")) == [
        w.lower() if not w.isdigit() else "number:6"
        for w in features.WORD.findall(text.replace("Σ", "s").replace("İ", "I"))
        if 2 <= len(w) <= 24
    ] + ["long-word"]
