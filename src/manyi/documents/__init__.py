"""Generated documents and the application package PDF (no Django).

- ``render_cover``, ``render_commitment_letter``, ``render_application_form``: the printable
  documents of an application, laid out like the official form, as PDF bytes (WeasyPrint,
  Noto CJK fonts embedded, text extractable).
- ``build_package``: the whole application as one PDF in the scheme's binding order, with
  contents, bookmarks and page numbers, streamed page by page.
- ``manyi.documents.samples``: real sample files for tests and demo data.
"""

from manyi.documents.forms import (
    AttachmentRow,
    ContentsEntry,
    render_application_form,
    render_attachment_list,
    render_commitment_letter,
    render_contents,
    render_cover,
)
from manyi.documents.package import (
    PackageError,
    PackageFile,
    PackagePart,
    PackageResult,
    PlacedPart,
    build_package,
    order_parts,
    parts_from_materials,
)
from manyi.documents.render import chinese_date

__all__ = [
    "AttachmentRow",
    "ContentsEntry",
    "PackageError",
    "PackageFile",
    "PackagePart",
    "PackageResult",
    "PlacedPart",
    "build_package",
    "chinese_date",
    "order_parts",
    "parts_from_materials",
    "render_application_form",
    "render_attachment_list",
    "render_commitment_letter",
    "render_contents",
    "render_cover",
]
