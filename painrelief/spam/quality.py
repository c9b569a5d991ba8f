"""How well the spam defence agrees with moderators lately: the admin index shows it, and warns
when the moderators' decisions show the filter drifting.

The truth is what moderators taught (`taught_as`, set by every decision that judges spam or
ham); a submission the defence approved that nobody called spam counts as ham. A flagged
(held or spam) submission that no moderator has judged yet counts nowhere: it is awaiting.
In shadow mode the verdict is what the defence would have done, so the same figures say how
it would have fared.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .defence import APPROVE, HOLD, SPAM

FLAGGED = Q(spam_verdict__in=[HOLD, SPAM])
PASSED = Q(spam_verdict=APPROVE)


@dataclass(frozen=True)
class FilterQuality:
    days: int
    caught: int  # flagged, and moderators said spam
    false_alarms: int  # flagged, and moderators said not spam
    missed: int  # approved, and moderators said spam
    passed: int  # approved, and nobody said spam
    awaiting: int  # flagged, not judged by a moderator yet

    @property
    def precision(self) -> float | None:
        return _share(self.caught, self.caught + self.false_alarms)

    @property
    def recall(self) -> float | None:
        return _share(self.caught, self.caught + self.missed)

    @property
    def false_positive_rate(self) -> float | None:
        return _share(self.false_alarms, self.false_alarms + self.passed)

    @property
    def judged(self) -> int:
        return self.caught + self.false_alarms + self.missed + self.passed

    @property
    def warnings(self) -> list[str]:
        """What the moderators' decisions say is going wrong (empty when nothing is)."""
        found = []
        least = settings.SPAM_DRIFT_MIN_REVERSALS
        fpr = self.false_positive_rate
        if self.false_alarms >= least and fpr is not None and fpr > 2 * settings.SPAM_TARGET_FPR:
            found.append(
                f"Moderators approved {self.false_alarms} submissions the spam defence flagged "
                f"in the last {self.days} days: it flags {fpr:.1%} of real readers, more than "
                f"twice the target of {settings.SPAM_TARGET_FPR:.1%} (SPAM_TARGET_FPR). Look for "
                "a disallowed term or a rule that catches ordinary readers."
            )
        recall = self.recall
        if self.missed >= least and recall is not None and recall < settings.SPAM_DRIFT_MIN_RECALL:
            found.append(
                f"Moderators marked {self.missed} approved submissions as spam in the last "
                f"{self.days} days: the spam defence caught only {recall:.0%} of the spam. "
                "Spammers may have changed their ways; each submission marked as spam teaches "
                "the filter, and a disallowed term stops a repeated one at once."
            )
        return found


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def filter_quality(days: int | None = None) -> FilterQuality:
    """The defence's verdicts against moderators' decisions, on everything sent in the last
    `days` days (SPAM_QUALITY_DAYS): one query per moderated model."""
    days = days or settings.SPAM_QUALITY_DAYS
    since = timezone.now() - timedelta(days=days)
    totals = dict.fromkeys(["caught", "false_alarms", "missed", "passed", "awaiting"], 0)
    for label in settings.SPAM_MODERATED_MODELS:
        counts = (
            apps.get_model(label)
            .objects.filter(created_at__gte=since)
            .aggregate(
                caught=Count("pk", filter=FLAGGED & Q(taught_as="spam")),
                false_alarms=Count("pk", filter=FLAGGED & Q(taught_as="ham")),
                missed=Count("pk", filter=PASSED & Q(taught_as="spam")),
                passed=Count("pk", filter=PASSED & ~Q(taught_as="spam")),
                awaiting=Count("pk", filter=FLAGGED & Q(taught_as="")),
            )
        )
        for name, count in counts.items():
            totals[name] += count
    return FilterQuality(days=days, **totals)
