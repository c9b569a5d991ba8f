"""Lighthouse and axe-core on the running demo site: `scripts/audit` starts the site, then runs
`python scripts/audit.py BASE_URL [--presets mobile,desktop] [--pages home,article,...]`.

Prints Lighthouse's four scores (performance, accessibility, best practices, SEO) per page and
preset, what cost each missing point, and axe-core's WCAG 2 A/AA violations on every public
page type. Exits 1 when a score is below 100 or axe finds a violation.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LIGHTHOUSE_PAGES = [
    "home",
    "article",
    "category",
    "search",
    "question list",
    "question",
    "ask",
    "sign-up",
]


def page_paths() -> dict[str, str]:
    """Every public page type of the demo site, by name (the Lighthouse ones first)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painrelief.settings")
    import django

    django.setup()
    from django.urls import reverse

    from articles.models import Article, Tag
    from painrelief.downloads.models import Resource
    from questions.models import Question

    article = Article.objects.published().filter(featured=True).first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "search": reverse("search") + "?q=shoulder",
        "question list": reverse("questions:list"),
        "question": Question.objects.public().first().get_absolute_url(),
        "ask": reverse("questions:ask"),
        "sign-up": reverse("accounts:signup"),
        "article list": reverse("articles:list"),
        "tag": Tag.objects.filter(articles__isnull=False).first().get_absolute_url(),
        "log-in": reverse("accounts:login"),
        "password reset": reverse("accounts:password-reset"),
        "privacy": reverse("privacy"),
        "report by email": reverse(
            "downloads:resource",
            kwargs={"pk": Resource.objects.filter(access=Resource.Access.EMAIL).first().pk},
        ),
    }


def lighthouse(url: str, preset: str) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    for attempt in (1, 2):  # Lighthouse now and then loses its browser: once more, then say so
        result = subprocess.run(  # noqa: S603 (our own command line, to a local server)
            command, capture_output=True, text=True, check=False, timeout=300
        )
        if result.returncode == 0:
            break
        print(f"  Lighthouse failed on {url} ({preset}, attempt {attempt}):", file=sys.stderr)
        print("  " + "\n  ".join(result.stderr.strip().splitlines()[-5:]), file=sys.stderr)
    else:
        return {"scores": dict.fromkeys(CATEGORIES, 0), "missing": ["Lighthouse failed twice"]}
    report = json.loads(result.stdout)
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    missing = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                missing.append(f"{name}: {audit['title']} ({audit.get('displayValue', '')})")
    return {"scores": scores, "missing": missing}


def axe(base: str, paths: dict[str, str]) -> dict[str, list[str]]:
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS[1:])
        page = browser.new_page()
        for name, path in paths.items():
            page.goto(base + path)
            page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluate(): the CSP does not apply
            results = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
            )
            found[name] = [
                f"{v['id']} ({len(v['nodes'])}): {v['help']}" for v in results["violations"]
            ]
        browser.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base")
    parser.add_argument("--presets", default="mobile,desktop")
    parser.add_argument("--pages", default=",".join(LIGHTHOUSE_PAGES))
    options = parser.parse_args()
    base = options.base.rstrip("/")
    paths = page_paths()
    short = False

    print(f"\nLighthouse {', '.join(CATEGORIES)} on {base}\n")
    print(f"{'page':<16}{'preset':<9}" + "".join(f"{name[:13]:>15}" for name in CATEGORIES))
    notes = []
    for name in options.pages.split(","):
        for preset in options.presets.split(","):
            run = lighthouse(base + paths[name], preset)
            row = "".join(f"{run['scores'][c]:>15}" for c in CATEGORIES)
            print(f"{name:<16}{preset:<9}{row}", flush=True)
            if any(score < 100 for score in run["scores"].values()):
                short = True
                notes += [f"  {name} ({preset}) {item}" for item in run["missing"]]
    if notes:
        print("\nWhat cost points:")
        print("\n".join(notes))

    print("\naxe-core (WCAG 2.2 A and AA) on every public page type\n")
    for name, violations in axe(base, paths).items():
        print(f"{name:<16}{len(violations)} violation{'' if len(violations) == 1 else 's'}")
        for violation in violations:
            print(f"    {violation}")
        short = short or bool(violations)
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
