"""Counting characters (字数) the way Word's Chinese word count does, over all the text."""

from __future__ import annotations

import pytest

from manyi.practice_report.counting import count_chars
from tests.practice_report.conftest import check
from tests.practice_report.corpus import NS, package


@pytest.mark.parametrize(
    ("text", "chars"),
    [
        ("用户满意", 4),  # each Chinese character 1
        ("，。、；：？！“”（）《》……——", 17),  # each CJK punctuation mark 1
        ("ISO 9001:2015 认证", 4),  # each Latin word or number run 1
        ("2024年营业收入12.5亿元，同比增长8%。", 16),
        ("ＡＢＣ１２３", 6),  # full-width letters and digits count one by one
        ("　　 \t\n", 0),  # spaces (also the full-width one) count nothing
        ("CRM系统", 3),
        ("", 0),
    ],
)
def test_the_counting_rule(text, chars):
    assert count_chars(text) == chars


def _document(body: str) -> bytes:
    return package({"word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>"})


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


TEXT_BOX = (
    "<w:p><w:r><mc:AlternateContent>"
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
    "<wps:wsp><wps:txbx><w:txbxContent>" + _p("文本框文字") + "</w:txbxContent></wps:txbx>"
    "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" + _p("文本框文字") + ""
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r></w:p>"
)


def test_content_controls_tables_and_insertions_count_text_boxes_once_deletions_not():
    body = (
        _p("正文一二三")  # 5
        + "<w:sdt><w:sdtPr/><w:sdtContent>"
        + _p("控件中的文字")
        + "</w:sdtContent></w:sdt>"  # 6
        + "<w:tbl><w:tr><w:tc>"
        + _p("表格文字")
        + "</w:tc></w:tr></w:tbl>"  # 4
        + TEXT_BOX  # 5, not 10
        + "<w:p><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>"  # 2
        + "<w:del><w:r><w:delText>删除</w:delText></w:r></w:del></w:p>"  # 0
        + "<w:p><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>"  # field codes: 0
    )
    result = check(_document(body), "a.docx", "enterprise")
    assert result.chars.total == 5 + 6 + 4 + 5 + 2


def test_hidden_text_does_not_count():
    body = _p("看得见") + "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>看不见</w:t></w:r></w:p>"
    assert check(_document(body), "a.docx", "team").chars.total == 3
