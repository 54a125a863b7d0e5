"""Settings modules: ``base`` (local default), ``production`` and ``test``."""
