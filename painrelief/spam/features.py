"""What the classifier reads of a submission: words, links, character classes, author features.

Features are general (no list of our own sentences): words and word pairs of the text, the
domains and top-level domains of links, markup used to smuggle links, the scripts and
character classes used, and the shape of the name, email address and website typed.
Each feature is a short string; the classifier keeps statistics per feature.
"""

import functools
import itertools
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np

if TYPE_CHECKING:
    from .defence import Submission

MAX_TEXT = 20_000  # characters read; a longer text is cut (scoring cost stays bounded)
MAX_WORD = 24
MIN_WORD = 2

LINK_TLDS = "com|net|org|info|biz|ru|cn|xyz|top|io|co|shop|online|site|club|pw|tk|in"
URL = re.compile(
    rf"""(?:https?://|www\.)[^\s<>"'\])]+|\b[a-z0-9-]{{2,63}}\.(?:{LINK_TLDS})\b(?:/[^\s<>"']*)?""",
    re.IGNORECASE,
)
# Every match of URL holds one of these within its first 64 characters, and no whitespace:
# the pattern, costly at each position of a long text, runs only around them (links_of).
LINK_ANCHOR = re.compile(rf"://|www\.|\.(?:{LINK_TLDS})\b", re.IGNORECASE)
LINK_REACH = 64
WHITESPACE = re.compile(r"\s")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Searched, never matched in full: written to start with a literal or a branch, which the
# regex engine skips to (EMAIL finds what [\w.+-]+@[\w-]+\.[\w.-]+ finds; PHONE is
# (?:\+?\d[\s().-]?){9,}), five times faster over a long text than a group at each character.
EMAIL = re.compile(r"(?<=[\w.+-])@[\w-]+\.[\w.-]")
PHONE = re.compile(r"(?:\+\d|\d)[\s().-]?(?:\+?\d[\s().-]?){8,}")
BBCODE_LINK = re.compile(r"\[url[=\]]", re.IGNORECASE)
HTML_LINK = re.compile(r"<a\s", re.IGNORECASE)
SPUN = re.compile(r"\{[^{}|]{1,40}\|[^{}]{1,80}\}")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
TRACKING = re.compile(
    r"[?&](?:ref|aff|affiliate|utm_\w+|clickid|partner|id)=|/(?:ref|go|aff)/", re.I
)
MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:usd|eur|dollars?|euros?)\b", re.I)
# \d{1,3}\s?%\s?(?:off|discount|rabatt) and \b(?:code|coupon|promo)\s*:?\s*[A-Z0-9]{4,}\b,
# written to start with their literals (searched only, as EMAIL and PHONE above).
PERCENT_OFF = re.compile(r"%(?:(?<=\d%)|(?<=\d\s%))\s?(?:off|discount|rabatt)", re.I)
PROMO_CODE = re.compile(
    r"(?:code(?<!\wcode)|coupon(?<!\wcoupon)|promo(?<!\wpromo))\s*:?\s*[A-Z0-9]{4,}\b"
)
MULTI_BANG = re.compile(r"[!?]{2,}")
VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")
# Over words of a-z joined by spaces, one match per word: from its first vowel, from its first
# run of five consonants (they start with a character class, which the regex engine skips to).
VOWEL_WORD = re.compile(r"[aeiouy][a-z]*")
CONSONANT_RUN_WORD = re.compile(r"[b-df-hj-np-tv-xz]{5}[a-z]*")
NON_ASCII = re.compile(r"[^\x00-\x7f]+")
ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))


def links_of(text: str) -> tuple[list[str], str]:
    """The links of the text (what URL.findall finds) and the text with each replaced by a
    space (URL.sub), the pattern run only over the stretches that can hold a link: from 64
    characters before an anchor to the whitespace after it."""
    windows: list[list[int]] = []
    for anchor in LINK_ANCHOR.finditer(text):
        if windows and anchor.start() < windows[-1][1]:
            continue  # the window reaches past it already
        space = WHITESPACE.search(text, anchor.end())
        end = space.start() if space else len(text)
        start = max(anchor.start() - LINK_REACH, 0)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    links, pieces, done = [], [], 0
    for start, end in windows:
        for match in URL.finditer(text, max(start, done), end):
            links.append(match.group())
            pieces.append(text[done : match.start()])
            done = match.end()
    pieces.append(text[done:])
    return links, " ".join(pieces)


def has_repeated_chars(text: str) -> bool:
    """Whether a character other than a newline comes five times in a row (what the regex
    (.)\1{4,} finds), compared on the code points at once: the regex tries each position."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if len(codes) < 5:
        return False
    same = codes[1:] == codes[:-1]
    runs = same[:-3] & same[1:-2] & same[2:-1] & same[3:] & (codes[:-4] != ord("\n"))
    return bool(runs.any())


def non_ascii_chunks(text: str) -> str:
    """The whitespace-separated chunks of the text that are not all ASCII, joined by spaces:
    no word spans a space, and a word of ASCII letters is of one script."""
    return " ".join(chunk for chunk in text.split() if not chunk.isascii())


def bucket(value: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


@functools.lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """A coarse script name from the Unicode character name ("CYRILLIC SMALL LETTER A")."""
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "unknown"
    return name.split(" ", 1)[0].lower()


def domain_features(prefix: str, address: str) -> set[str]:
    host = urlsplit(address if "//" in address else f"//{address}").hostname or ""
    host = host.removeprefix("www.")
    if not host:
        return set()
    parts = host.split(".")
    features = {f"{prefix}:{host}", f"{prefix}-tld:{parts[-1]}"}
    if len(parts) > 2:
        features.add(f"{prefix}-base:{'.'.join(parts[-2:])}")
    if any(ch.isdigit() for ch in parts[0]):
        features.add(f"{prefix}:digits-in-name")
    if "-" in parts[0]:
        features.add(f"{prefix}:hyphenated-name")
    return features


def word_features(text: str, prefix: str = "") -> list[str]:
    lowered = text.lower()
    # The text lower-cased at once gives the same words as each word lower-cased when every
    # character stays one character (no "İ" -> "i̇") and no capital sigma (its lower case
    # depends on what follows the word): lower case keeps each character a letter, a digit or
    # neither (checked over all of Unicode).
    if len(lowered) == len(text) and "Σ" not in text:
        found = WORD.findall(lowered)
        # Filtered by C loops (map, compress); a word loop only when a long or number word is in.
        words = list(itertools.compress(found, map(MIN_WORD.__le__, map(len, found))))
        if words and (max(map(len, words)) > MAX_WORD or any(map(str.isdigit, words))):
            words = [
                "long-word"
                if n > MAX_WORD
                else f"number:{min(n, 6)}"
                if n > MAX_WORD or word.isdigit()
                else word
                for word in words
                if (n := len(word)) <= MAX_WORD or word.isalpha()
            ]
        return [prefix + word for word in words] if prefix else words
    words = [
        word.lower()
        for word in WORD.findall(text)
        if MIN_WORD <= len(word) <= MAX_WORD or (len(word) > MAX_WORD and word.isalpha())
    ]
    features = []
    for word in words:
        if len(word) > MAX_WORD:
            features.append(f"{prefix}long-word")
        elif word.isdigit():
            features.append(f"{prefix}number:{min(len(word), 6)}")
        else:
            features.append(prefix + word)
    return features


def text_features(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT])
    features: set[str] = set()
    if INVISIBLE.search(text):
        features.add("char:invisible")
        text = INVISIBLE.sub("", text)
    links, without_links = links_of(text)
    for link in links[:20]:
        features |= domain_features("link", link)
        path = urlsplit(link if "//" in link else f"//{link}").path
        for word in word_features(path.replace("-", " ").replace("_", " "), "link-path:"):
            features.add(word)
    features.add(f"links:{bucket(len(links), (0, 1, 2, 3, 5, 10))}")
    if "[" in text and BBCODE_LINK.search(text):
        features.add("markup:bbcode-link")
    if "<" in text and HTML_LINK.search(text):
        features.add("markup:html-link")
    if SPUN.search(text):
        features.add("markup:spintax")
    if "@" in text and EMAIL.search(text):
        features.add("text:has-email")
    if PHONE.search(text):
        features.add("text:has-phone")
    if has_repeated_chars(text):
        features.add("text:repeated-chars")
    if any(TRACKING.search(link) for link in links):
        features.add("link:tracking-parameters")
    if MONEY.search(text):
        features.add("text:money")
    if "%" in text and PERCENT_OFF.search(text):
        features.add("text:percent-off")
    if any(word in text for word in ("code", "coupon", "promo")) and PROMO_CODE.search(text):
        features.add("text:promo-code")
    if MULTI_BANG.search(text):
        features.add("punct:repeated-!?")

    words = word_features(without_links)
    features.update(words)
    features |= shape_features(words)
    features.update(map(" ".join, itertools.pairwise(words)))
    features.add(f"words:{bucket(len(words), (1, 3, 8, 20, 50, 120, 300))}")

    # Counted by str methods and sets over the whole string (ASCII letters are all Latin and
    # ASCII holds no symbol): per-character Python loops only over the few non-ASCII ones.
    letters = "".join(filter(str.isalpha, without_links))
    if letters:
        first = letters[:2000]
        scripts = {"latin"} if first.isascii() else {script_of(ch) for ch in set(first)}
        features.update(f"script:{s}" for s in scripts)
        if len(scripts) > 2:
            features.add("script:mixed")
        encoded = letters.encode("utf-8", "surrogatepass")
        ascii_upper = len(encoded) - len(encoded.translate(None, ASCII_UPPER))
        non_ascii_letters = "".join(NON_ASCII.findall(letters))
        upper = (ascii_upper + sum(map(str.isupper, non_ascii_letters))) / len(letters)
        features.add(f"caps:{bucket(upper, (0.05, 0.2, 0.5, 0.8))}")
        non_ascii = len(non_ascii_letters) / len(letters)
        features.add(f"non-ascii:{bucket(non_ascii, (0, 0.05, 0.3, 0.7))}")
        if (
            "latin" in scripts
            and len(scripts) > 1
            and any(
                len({script_of(ch) for ch in set(word) if ch.isalpha()}) > 1
                for word in set(WORD.findall(non_ascii_chunks(without_links[:5000])))
            )
        ):
            features.add("char:mixed-script-word")
    else:
        features.add("text:no-letters")
    start = text[:5000]
    if not start.isascii() and any(unicodedata.category(ch) == "So" for ch in set(start)):
        features.add("char:symbols-or-emoji")
    features.add(f"length:{bucket(len(text), (20, 60, 200, 600, 2000, 6000))}")
    return features


def shape_features(words: list[str]) -> set[str]:
    """Character-class shapes of the words (lower case, as word_features gives them):
    gibberish, shouting, repetition."""
    latin = list(itertools.compress(words, map(str.isascii, words)))
    latin = list(itertools.compress(latin, map(str.isalpha, latin)))
    latin = list(itertools.compress(latin, map((4).__le__, map(len, latin))))
    features = set()
    if latin:
        # The words are lower case (word_features), so a-z: counted by one regex pass each
        # over them all joined, not one a word.
        joined = " ".join(latin)
        vowelless = (len(latin) - len(VOWEL_WORD.findall(joined))) / len(latin)
        features.add(f"shape:vowelless-words:{bucket(vowelless, (0, 0.1, 0.3))}")
        clusters = len(CONSONANT_RUN_WORD.findall(joined)) / len(latin)
        features.add(f"shape:consonant-runs:{bucket(clusters, (0, 0.1, 0.3))}")
    if len(words) >= 8:
        distinct = len(set(words)) / len(words)
        features.add(f"shape:distinct-words:{bucket(distinct, (0.3, 0.5, 0.7, 0.9))}")
    return features


def author_features(author: str) -> set[str]:
    author = unicodedata.normalize("NFKC", author[:200]).strip()
    if not author:
        return {"author:none"}
    words = word_features(author, "author:")
    features = set(words)
    features.add(f"author-words:{bucket(len(words), (1, 2, 3, 5))}")
    if URL.search(author):
        features.add("author:has-link")
    if any(ch.isdigit() for ch in author):
        features.add("author:has-digits")
    if author.isupper() and len(author) > 3:
        features.add("author:all-caps")
    if " " not in author and author.isalpha():
        # Robots' names: one capitalised word glued to a few lower-case letters ("Jamesvah").
        shape = "capitalised" if author[0].isupper() and author[1:].islower() else "other"
        features.add(f"author-one-word:{shape}:{bucket(len(author), (5, 8, 11))}")
    if "," in author or any(w in author.lower() for w in ("best", "cheap", "buy", "online")):
        features.add("author:descriptive")
    return features


def email_features(email: str) -> set[str]:
    local, _, domain = email.lower().rpartition("@")
    if not domain:
        return {"email:none"}
    features = domain_features("email", domain)
    digits = sum(ch.isdigit() for ch in local)
    features.add(f"email-local-digits:{bucket(digits, (0, 2, 4))}")
    letters = [ch for ch in local if ch.isalpha()]
    if len(letters) >= 6:
        vowel_share = sum(ch in VOWELS for ch in letters) / len(letters)
        features.add(f"email-local-vowels:{bucket(vowel_share, (0.15, 0.25, 0.35))}")
    features.add(f"email-local-length:{bucket(len(local), (4, 8, 14, 20))}")
    if "+" in local:
        features.add("email:plus-address")
    return features


def url_features(url: str) -> set[str]:
    if not url.strip():
        return {"website:none"}
    features = domain_features("website", url)
    path = urlsplit(url if "//" in url else f"//{url}").path.strip("/")
    features.add("website:has-path" if path else "website:home")
    return features


def features_of(submission: "Submission") -> set[str]:
    """Every feature of a submission: text, author name, email address and website."""
    return (
        text_features(submission.text)
        | author_features(submission.author)
        | email_features(submission.email)
        | url_features(submission.url)
    )
