"""Long work outside the web request: a Celery worker when there is a broker, else a thread pool.

``dispatch(task, *args)`` sends a Celery task:

* ``MANYI_BROKER_URL`` set → to the broker, for a ``celery -A manyi.web.celery worker``;
* otherwise to this process's background pool, which ``manyi serve`` starts (and which starts
  itself on first use), so a request returns at once and the page follows the progress;
* ``MANYI_BACKGROUND = "inline"`` (the test settings) → right away, in the caller, because
  the caller wants the result before it goes on;
* ``MANYI_BACKGROUND = "queue"`` (the demo loader) → left queued in the database for the server.

When the pool starts it takes up work left queued (by a stopped server, or by the demo loader):
each app registers a ``recover`` function that re-dispatches its queued work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
RECOVERY: list[Callable[[], None]] = []


def register_recovery(recover: Callable[[], None]) -> Callable[[], None]:
    """``recover()`` re-dispatches an app's queued work when the pool starts."""
    if recover not in RECOVERY:
        RECOVERY.append(recover)
    return recover


def mode() -> str:
    """celery, thread, inline or queue: how ``dispatch`` runs a task in this process."""
    from manyi.web.celery import app

    if not app.conf.task_always_eager:  # a broker is configured (MANYI_BROKER_URL)
        return "celery"
    configured = getattr(settings, "MANYI_BACKGROUND", "thread")
    return configured if configured in ("inline", "queue") else "thread"


def dispatch(task: Any, *args: Any) -> Future[Any] | None:
    """Run the Celery task ``task`` with ``args`` the way this process is set up to."""
    how = mode()
    if how == "celery":
        task.delay(*args)
        return None
    if how == "inline":
        task(*args)
        return None
    if how == "queue":
        return None  # the server's pool takes it up when it starts (see start())
    return _ensure_pool().submit(_run, task, args)


def start(workers: int | None = None) -> None:
    """Start the pool (``manyi serve`` calls this) and take up work left queued."""
    if mode() != "thread":
        return
    _ensure_pool(workers)
    for recover in RECOVERY:
        try:
            recover()
        except Exception:  # one app's recovery must not stop the server
            logger.exception("background recovery %s failed", recover)


def _ensure_pool(workers: int | None = None) -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            size = workers or getattr(settings, "MANYI_BACKGROUND_WORKERS", 1)
            _pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="manyi-background")
        return _pool


def _run(task: Any, args: tuple[Any, ...]) -> None:
    close_old_connections()
    try:
        task(*args)
    except Exception:  # the task records its own failure; this only keeps the pool alive
        logger.exception("background task %s%r failed", getattr(task, "name", task), args)
    finally:
        connections.close_all()


def wait_idle(timeout: float = 60) -> bool:
    """Block until the work submitted so far is done (for tests and shutdown)."""
    with _lock:
        pool = _pool
    if pool is None:
        return True
    marker = pool.submit(lambda: None)
    try:
        marker.result(timeout=timeout)
    except TimeoutError:
        return False
    return True
