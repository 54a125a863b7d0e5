"""Stored file findings switch to the one verdict shape (status pass|warn|fail, provenance)."""

from django.db import migrations

STATUS = {"fail": "fail", "error": "fail", "warning": "warn", "warn": "warn", "pass": "pass"}


def _as_verdict(old: dict) -> dict:
    if "status" in old:
        return old
    status = STATUS[old.get("severity", "warn")]
    return {
        "code": old.get("code", ""),
        "status": status,
        "message": old.get("message", ""),
        "where": old.get("location", ""),
        "fix": old.get("fix", ""),
        "source": "advice",
        "quote": "",
        "reason": "",
    }


def forwards(apps, schema_editor):
    MaterialFile = apps.get_model("applications", "MaterialFile")
    for stored in MaterialFile.objects.exclude(findings=[]).iterator():
        stored.findings = [_as_verdict(f) for f in stored.findings]
        stored.save(update_fields=["findings"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_application_proposed_level_and_more")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
