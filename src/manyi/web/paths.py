"""Where an instance keeps its local state.

Everything an instance writes (SQLite file, uploads, generated documents, collected static files,
the development secret key) lives under one directory, so two instances can run side by side by
giving each its own ``MANYI_DATA_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "manyi"


def data_dir() -> Path:
    configured = os.environ.get("MANYI_DATA_DIR")
    path = Path(configured).expanduser() if configured else default_data_dir()
    return path.resolve()
