"""Counts of recent events in the cache (rate limits): with Redis, one count for every process."""

from django.core.cache import cache


def count_event(key: str, *, window_seconds: int) -> int:
    """Count one more event under `key` and return the count: the window starts with the first
    event and ends `window_seconds` later, when the count starts again from zero.

    Safe across processes on Redis (SET NX, then INCR), and it never leaves a count that does
    not expire when the window ends between the two calls.
    """
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended since `add`: this event opens the next one
        return count_event(key, window_seconds=window_seconds)
    if count == 1:
        # The key existed at `add`, so it expired just before the increment, which made a
        # new count without an expiry (Redis INCR): give it the window.
        cache.touch(key, window_seconds)
    return count
