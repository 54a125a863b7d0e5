"""统一社会信用代码 (GB 32100-2015): normalise, check and derive what the code can tell.

The check character is computed by :mod:`stdnum.cn.uscc`; the region names come from
python-stdnum's GB/T 2260 table. A failed check character is only a *warning*: codes issued in
early pilot regions (e.g. ``91350211M0000XUF46``) fail it yet are genuine, so the secretariat
must be able to confirm them by hand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from stdnum import numdb
from stdnum.cn import uscc

from manyi.verdict import Finding, Status

LENGTH = 18
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FORBIDDEN_LETTERS = "IOZSV"


# 登记管理部门 (position 1) → (name, {机构类别 (position 2): name}); GB 32100-2015 表1/表2.
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常住新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地(大陆)代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级", "2": "村级", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

# Characters that copy-and-paste brings along but str.split() does not treat as whitespace.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Full-width digits and letters (U+FF10…U+FF5A) → ASCII.
_FULLWIDTH = {
    code: code - 0xFEE0
    for code in range(0xFF10, 0xFF5B)
    if chr(code - 0xFEE0).isascii() and chr(code - 0xFEE0).isalnum()
}
# Names the GB/T 2260 table uses for a placeholder level, not a real prefecture.
_NOT_A_CITY = ("市辖区", "县", "市区", "郊区")

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


STANDARD_REASON = "按 GB 32100-2015《法人和其他组织统一社会信用代码编码规则》核对"


def _problem(code: str, status: Status, message: str) -> Finding:
    """One finding about a code: ``fail`` refuses the code; ``warn`` needs a person to look."""
    return Finding(code, status, message, where="credit_code", reason=STANDARD_REASON)


@dataclass(frozen=True)
class CreditCodeInfo:
    """What :func:`analyze` found out about one 统一社会信用代码."""

    code: str
    valid: bool
    refused: bool
    check_char_ok: bool | None
    authority: str | None = None
    authority_code: str | None = None
    category: str | None = None
    category_code: str | None = None
    region_code: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    org_code: str | None = None
    org_code_check_ok: bool | None = None
    problems: tuple[Finding, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(p for p in self.problems if p.status == "fail")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(p for p in self.problems if p.status == "warn")

    @property
    def problem_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [p.to_dict() for p in self.problems]
        return data


def normalize(raw: str) -> str:
    """Remove every kind of whitespace, map full-width letters/digits to ASCII, upper-case."""
    text = raw.translate(_INVISIBLE).translate(_FULLWIDTH)
    return "".join(text.split()).upper()


def analyze(raw: str) -> CreditCodeInfo:
    """Check a 统一社会信用代码 and derive authority, category and region from it."""
    code = normalize(raw)
    if not code:
        return _finish(code, [_problem("empty", "fail", "未填写统一社会信用代码。")])
    problems = _charset_problems(code)
    if len(code) != LENGTH:
        problems.insert(0, _length_problem(code))
        return _finish(code, problems)

    bad_positions = {i for i, char in enumerate(code) if char not in CHARSET}
    fields: dict[str, Any] = {}
    fields.update(_derive_authority(code, bad_positions, problems))
    fields.update(_derive_region(code, bad_positions, problems))
    fields["org_code"] = code[8:17]
    fields["org_code_check_ok"] = org_code_check_ok(code[8:17])
    fields["check_char_ok"] = _check_char(code, bad_positions, problems)
    return _finish(code, problems, **fields)


def org_code_check_ok(org_code: str) -> bool | None:
    """GB 11714 check of the embedded 组织机构代码; ``None`` when it cannot be computed.

    Informational only: many genuine credit codes carry a 主体标识码 that is not a GB 11714
    organisation code (e.g. 个体工商户, pilot regions).
    """
    if len(org_code) != 9 or any(c not in _ORG_CODE_ALPHABET for c in org_code[:8]):
        return None
    total = sum(
        _ORG_CODE_ALPHABET.index(c) * w
        for c, w in zip(org_code[:8], _ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(value, str(value))
    return org_code[8] == expected


def _finish(code: str, problems: list[Finding], **fields: Any) -> CreditCodeInfo:
    refused = any(p.status == "fail" for p in problems)
    check_char_ok = fields.pop("check_char_ok", None)
    return CreditCodeInfo(
        code=code,
        valid=not refused and check_char_ok is True,
        refused=refused,
        check_char_ok=check_char_ok,
        problems=tuple(problems),
        **fields,
    )


def _length_problem(code: str) -> Finding:
    diff = len(code) - LENGTH
    hint = f"少了{-diff}位" if diff < 0 else f"多了{diff}位"
    return _problem(
        "length",
        "fail",
        f"统一社会信用代码应为{LENGTH}位，现在是{len(code)}位（{hint}），"
        "请对照营业执照或登记证书核对。",
    )


def _charset_problems(code: str) -> list[Finding]:
    bad = [(i, c) for i, c in enumerate(code, start=1) if c not in CHARSET]
    if not bad:
        return []
    listed = "、".join(f"第{i}位「{c}」" for i, c in bad)
    forbidden = "、".join(FORBIDDEN_LETTERS)
    message = (
        f"含有不允许的字符：{listed}。统一社会信用代码只由数字0–9和大写英文字母组成，"
        f"且从不使用 {forbidden} 这五个字母（容易与数字混淆，例如 O 与 0、I 与 1）。"
    )
    return [_problem("charset", "fail", message)]


def _derive_authority(code: str, bad: set[int], problems: list[Finding]) -> dict[str, Any]:
    authority_code, category_code = code[0], code[1]
    if 0 in bad:
        return {}
    if authority_code not in AUTHORITIES:
        known = "、".join(f"{k} {name}" for k, (name, _) in AUTHORITIES.items())
        problems.append(
            _problem(
                "authority",
                "fail",
                f"第1位「{authority_code}」不是登记管理部门代码（可用的有：{known}）。",
            )
        )
        return {}
    authority, categories = AUTHORITIES[authority_code]
    fields = {"authority": authority, "authority_code": authority_code}
    if 1 in bad:
        return fields
    if category_code not in categories:
        allowed = "、".join(f"{k} {name}" for k, name in categories.items())
        problems.append(
            _problem(
                "category",
                "fail",
                f"第2位「{category_code}」不是「{authority}」登记管理部门下的机构类别代码"
                f"（可用的有：{allowed}）。",
            )
        )
        return fields
    fields.update(category=categories[category_code], category_code=category_code)
    return fields


def _derive_region(code: str, bad: set[int], problems: list[Finding]) -> dict[str, Any]:
    region_code = code[2:8]
    if bad & set(range(2, 8)):
        return {}  # already reported as illegal characters
    if not region_code.isdigit():
        problems.append(
            _problem(
                "region_format",
                "fail",
                f"第3–8位应是6位数字的登记管理机关行政区划码，现在是「{region_code}」。",
            )
        )
        return {}
    fields: dict[str, Any] = {"region_code": region_code, **region_names(region_code)}
    if _region_name(region_code) is None:
        problems.append(
            _problem(
                "region",
                "warn",
                f"第3–8位行政区划码 {region_code} 不在 GB/T 2260 行政区划代码表中"
                "（该表未必收录所有已撤销或新设的代码），请对照营业执照核实登记机关所在地。",
            )
        )
    return fields


def _check_char(code: str, bad: set[int], problems: list[Finding]) -> bool | None:
    if bad:
        return None
    expected = uscc.calc_check_digit(code[:17])
    if code[17] == expected:
        return True
    problems.append(
        _problem(
            "check_char",
            "warn",
            f"校验码不符：第18位是「{code[17]}」，按 GB 32100 计算应为「{expected}」。"
            "请先核对是否输错；部分早期试点地区颁发的代码校验不通过但真实有效，"
            "可由秘书处人工核实后放行。",
        )
    )
    return False


def region_names(region_code: str) -> dict[str, str | None]:
    """Province, city and district names for a 6-digit GB/T 2260 code (``None`` if unknown).

    直辖市 (北京、天津、上海、重庆) have no city level: ``110108`` gives province 北京市,
    city ``None``, district 海淀区. A prefecture code such as ``350100`` gives city 福州市 and
    no district; a province code such as ``110000`` gives only the province.
    """
    province = _region_name(region_code[:2] + "0000")
    city = district = None
    if region_code[2:4] != "00":
        city = _region_name(region_code[:4] + "00")
        if city is not None and (city in _NOT_A_CITY or city.endswith("直辖县级行政单位")):
            city = None
    if region_code[4:] != "00":
        district = _region_name(region_code)
    return {"province": province, "city": city, "district": district}


@cache
def _region_name(region_code: str) -> str | None:
    """The current (or, for an abolished code, the last) name the table gives for a code."""
    parts = numdb.get("cn/loc").info(region_code)
    if len(parts) < 2 or "county" not in parts[1][1]:
        return None
    if region_code.endswith("0000"):
        return parts[0][1].get("province")
    # Entries look like "[1983-1986]郊区,[1987-]集美区": prefer the open-ended (current) one.
    entries = parts[1][1]["county"].split(",")
    current = [entry for entry in entries if not entry.startswith("[") or "-]" in entry]
    return (current or entries)[-1].rpartition("]")[2]
