"""What changed between two submitted versions: form fields and files (by SHA-256)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.rules import load_scheme
from manyi.rules.model import Scheme
from manyi.web.applications.models import SubmittedVersion

FileStatus = Literal["added", "removed", "changed"]
META_LABELS = {
    "category": gettext_lazy("申请类别"),
    "level": gettext_lazy("申请等级"),
    "kind": gettext_lazy("初评/复评"),
    "previous_certificate": gettext_lazy("上一周期证书编号"),
    "promoting_body": gettext_lazy("推进机构"),
    "organisation": gettext_lazy("申报单位"),
}


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class FileChange:
    material: str
    material_name: str
    status: FileStatus
    name: str
    old_name: str = ""
    old_sha256: str = ""
    new_sha256: str = ""

    @property
    def status_label(self) -> str:
        return {"added": _("新增"), "removed": _("删除"), "changed": _("更换")}[self.status]


@dataclass
class VersionDiff:
    old_number: int
    new_number: int
    fields: list[FieldChange] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.files


def display(value: Any) -> str:
    """A stored form value as one line of text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "；".join(display(item) for item in value if display(item))
    if isinstance(value, dict):
        return "；".join(f"{key}：{display(item)}" for key, item in value.items())
    return str(value)


def version_diff(old: SubmittedVersion, new: SubmittedVersion) -> VersionDiff:
    """Changed fields (old and new value per label) and added / removed / changed files."""
    scheme = load_scheme(new.application.campaign.scheme_year)
    return VersionDiff(
        old_number=old.number,
        new_number=new.number,
        fields=[*_meta_changes(old, new), *_field_changes(scheme, old, new)],
        files=_file_changes(scheme, old.files, new.files),
    )


def _meta_changes(old: SubmittedVersion, new: SubmittedVersion) -> list[FieldChange]:
    return [
        FieldChange(key, str(label), display(old.meta.get(key)), display(new.meta.get(key)))
        for key, label in META_LABELS.items()
        if display(old.meta.get(key)) != display(new.meta.get(key))
    ]


def _field_changes(
    scheme: Scheme, old: SubmittedVersion, new: SubmittedVersion
) -> list[FieldChange]:
    labels = _field_labels(scheme, new.meta.get("category") or new.application.category)
    keys = [*labels, *sorted((set(old.form_data) | set(new.form_data)) - set(labels))]
    changes = []
    for key in keys:
        before, after = display(old.form_data.get(key)), display(new.form_data.get(key))
        if before != after:
            changes.append(FieldChange(key, labels.get(key, key), before, after))
    return changes


def _field_labels(scheme: Scheme, category: str) -> dict[str, str]:
    try:
        return {f.key: f.label for f in scheme.form_fields(category)}
    except KeyError:
        return {}


def _material_name(scheme: Scheme, key: str) -> str:
    try:
        return scheme.material(key).name
    except KeyError:
        return key


def _by_material(files: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in files:
        grouped[entry["material"]].append(entry)
    return grouped


def _file_changes(scheme: Scheme, old: list[dict], new: list[dict]) -> list[FileChange]:
    old_by, new_by = _by_material(old), _by_material(new)
    changes: list[FileChange] = []
    materials = [m.key for m in scheme.materials if m.key in old_by or m.key in new_by]
    materials += sorted((set(old_by) | set(new_by)) - set(materials))
    for key in materials:
        changes += _material_changes(key, _material_name(scheme, key), old_by[key], new_by[key])
    return changes


def _material_changes(key: str, name: str, old: list[dict], new: list[dict]) -> list[FileChange]:
    """Same hash: unchanged (even renamed). Same name or a single file on each side with
    another hash: changed. What is left: removed and added."""
    new_hashes = {entry["sha256"] for entry in new}
    old_hashes = {entry["sha256"] for entry in old}
    gone = [entry for entry in old if entry["sha256"] not in new_hashes]
    came = [entry for entry in new if entry["sha256"] not in old_hashes]
    changes = []
    for entry in list(came):
        match = next((g for g in gone if g["name"] == entry["name"]), None)
        if match is None and len(gone) == 1 and len(came) == 1:
            match = gone[0]
        if match is not None:
            gone.remove(match)
            came.remove(entry)
            changes.append(
                FileChange(
                    key,
                    name,
                    "changed",
                    entry["name"],
                    match["name"],
                    match["sha256"],
                    entry["sha256"],
                )
            )
    changes += [FileChange(key, name, "removed", e["name"], old_sha256=e["sha256"]) for e in gone]
    changes += [FileChange(key, name, "added", e["name"], new_sha256=e["sha256"]) for e in came]
    return changes
