"""复评 (renewal): the earlier certificate a renewal follows, linked and checked.

When the system issued the certificate named at creation, it is linked: it must belong to the
same organisation and must not be revoked (refused at creation); a different category or
level, or a certificate expired longer ago than the scheme's grace, is flagged (advice: the
secretariat decides). When the system does not hold it, the number is kept as typed and the
scanned certificate becomes the material the check asks for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from manyi.rules.model import Scheme
from manyi.verdict import Finding
from manyi.web.accounts.models import Organisation
from manyi.web.applications.models import Application
from manyi.web.applications.precheck import register_check
from manyi.web.applications.selectors import current_files_by_material
from manyi.web.publicity.certificates import normalise_number
from manyi.web.publicity.models import Certificate

MAX_NUMBER_LENGTH = 50
RENEWAL_REASON = "申请书只列“□复评”，未规定复评所依据的证书；秘书处需要核对上一周期的证书和结果"


def normalised_number(raw: str) -> str:
    """A system number in its canonical form (``yhmy-2022-01-0003`` → ``YHMY-2022-01-0003``);
    any other number as typed, trimmed."""
    text = " ".join((raw or "").split())[:MAX_NUMBER_LENGTH]
    return normalise_number(text) or text


def held_certificate(number: str) -> Certificate | None:
    canonical = normalise_number(number or "")
    if not canonical:
        return None
    return (
        Certificate.objects.select_related("application__organisation", "campaign")
        .filter(number=canonical)
        .first()
    )


def certificate_refusal(number: str, organisation: Organisation) -> str | None:
    """Why a held certificate cannot found this organisation's renewal (None: it can, or the
    system does not hold it). Another organisation's certificate is never named."""
    certificate = held_certificate(number)
    if certificate is None:
        return None
    if certificate.application.organisation_id != organisation.pk:
        return _("编号为 %(n)s 的证书不是贵单位的证书，请核对证书编号。") % {"n": number}
    if certificate.revoked:
        return _("证书 %(n)s 已被撤销，不能作为复评依据。") % {"n": number}
    return None


@dataclass(frozen=True)
class RenewalBasis:
    """What a renewal rests on, for the check, the reviewers and the organisation's history."""

    number: str
    certificate: Certificate | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.certificate is not None


def is_renewal(application: Application, scheme: Scheme) -> bool:
    try:
        return scheme.application_kind(application.kind).renewal
    except KeyError:
        return False


def renewal_basis(application: Application, scheme: Scheme) -> RenewalBasis | None:
    """None for a first application."""
    if not is_renewal(application, scheme):
        return None
    number = application.previous_certificate_number
    if not number:
        return RenewalBasis("", None, [_missing_number()])
    certificate = held_certificate(number)
    if certificate is None:
        return RenewalBasis(number, None, list(_scan_findings(application, scheme, number)))
    return RenewalBasis(
        certificate.number, certificate, list(_held_findings(application, scheme, certificate))
    )


def _advice(code: str, status: str, message: str, where: str = "overview", fix: str = ""):
    return Finding(f"renewal.{code}", status, message, where=where, fix=fix, reason=RENEWAL_REASON)


def _missing_number() -> Finding:
    return _advice(
        "number",
        "warn",
        _("复评未填写上一周期证书编号。"),
        fix=_("请联系秘书处补录证书编号，或撤回后重新创建复评申报。"),
    )


def _scan_findings(application: Application, scheme: Scheme, number: str) -> Iterable[Finding]:
    material = scheme.material(scheme.roles.materials.previous_certificate)
    where = f"materials.{material.key}"
    if current_files_by_material(application).get(material.key):
        yield _advice(
            "scan",
            "pass",
            _("上一周期证书 %(n)s 不是本系统签发的，已上传证书扫描件。") % {"n": number},
            where=where,
        )
        return
    yield _advice(
        "scan",
        "warn",
        _("上一周期证书 %(n)s 不是本系统签发的，请上传「%(m)s」。")
        % {"n": number, "m": material.name},
        where=where,
        fix=_("扫描证书正面（含编号、等级和有效期），以 PDF 或图片上传。"),
    )


def _held_findings(
    application: Application, scheme: Scheme, certificate: Certificate
) -> Iterable[Finding]:
    yield _advice(
        "linked",
        "pass",
        _("复评依据本系统签发的证书 %(n)s（%(c)s · %(l)s，有效期至 %(d)s）。")
        % {
            "n": certificate.number,
            "c": certificate.category_name,
            "l": certificate.level_name,
            "d": _date(certificate.valid_until),
        },
    )
    if certificate.category != application.category or certificate.level != application.level:
        yield _advice(
            "level",
            "warn",
            _("上一周期证书为%(c)s · %(l)s，本次申报为%(ac)s · %(al)s。")
            % {
                "c": certificate.category_name,
                "l": certificate.level_name,
                "ac": scheme.category(application.category).name,
                "al": scheme.level(application.level).name,
            },
            fix=_("复评一般与上一周期的类别、等级相同；如有变化，请在申报中说明。"),
        )
    earliest = application.campaign.opens_on - datetime.timedelta(
        days=scheme.publicity.renewal_grace_days
    )
    if certificate.valid_until < earliest:
        yield _advice(
            "expired",
            "warn",
            _("上一周期证书已于 %(d)s 到期，超过复评可依据的期限。")
            % {"d": _date(certificate.valid_until)},
            fix=_("证书过期较久的，可按初评申报；如有特殊情况请联系秘书处。"),
        )


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@register_check
def renewal_checks(application: Application, scheme: Scheme) -> Iterable[Finding]:
    basis = renewal_basis(application, scheme)
    return basis.findings if basis else []
