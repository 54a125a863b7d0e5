"""Fixed-window request counters in the Django cache (one per client address and action)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def allow(action: str, client: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request; False once ``limit`` requests were counted in the current window."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(f"{action}|{client}".encode()).hexdigest()[:32]
    key = f"manyi:rate:{digest}:{window}"
    cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit
