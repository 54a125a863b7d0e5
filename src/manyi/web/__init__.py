"""The Django project: settings, URLs and the per-domain apps."""

# Celery is imported lazily by the tasks modules (manyi.web.celery), so engines and the CLI
# that do not need it never load it.
