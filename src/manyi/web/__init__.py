"""The Django project: settings, URLs and the per-domain apps."""
