"""The tolerant JS/TS tokenizer: what is code, what is a comment, a string or a regex."""

from __future__ import annotations

from launchready.repo import checks_for_file
from launchready.repo.jstokens import JsFile, tokenize


def kinds(src: str) -> list[tuple[str, str]]:
    return [(t.kind, t.value) for t in tokenize(src)]


def test_comments_are_dropped_and_positions_are_one_based() -> None:
    toks = tokenize("// a\n/* b\n c */ x = 1;\n")
    assert [(t.value, t.line, t.col) for t in toks] == [("x", 3, 7), ("=", 3, 9), ("1", 3, 11), (";", 3, 12)]


def test_regex_literal_versus_division() -> None:
    assert ("regex", "/a\\/b[/]c/gi") in kinds("const r = /a\\/b[/]c/gi;")
    assert kinds("x = a / b / c") == [
        ("id", "x"),
        ("punct", "="),
        ("id", "a"),
        ("punct", "/"),
        ("id", "b"),
        ("punct", "/"),
        ("id", "c"),
    ]
    assert ("regex", "/x/") in kinds("return /x/.test(s)")


def test_template_literals_nest_and_expressions_are_code() -> None:
    toks = kinds("`a ${ {k: `in ${v}`}.k } b`")
    assert ("id", "v") in toks and ("id", "k") in toks
    assert [v for k, v in toks if k == "tmpl"] == ["a ", "in ", "", " b"]


def test_unterminated_things_end_at_the_line() -> None:
    toks = tokenize("let s = 'oops\nlet t = 1;\n")
    assert (toks[3].kind, toks[3].value) == ("str", "oops")
    assert [(t.kind, t.value, t.line) for t in toks][4:] == [
        ("id", "let", 2),
        ("id", "t", 2),
        ("punct", "=", 2),
        ("num", "1", 2),
        ("punct", ";", 2),
    ]
    assert tokenize("`never closed ${ a")[-1].value == "a"


def test_escaped_quotes_and_jsx_text() -> None:
    assert kinds(r"'it\'s' + " + '"a\\"b"') == [("str", "it\\'s"), ("punct", "+"), ("str", 'a\\"b')]
    js = JsFile("const el = <p>Don't {x}</p>;\nconst y = 2;\n")
    assert any(t.is_id("y") and t.line == 2 for t in js.toks)


def test_imports_and_props() -> None:
    js = JsFile("import A, { B as C, type D } from 'm';\nconst { E } = require('m');\nf({ a: 1, 'b': [2, 3], c })")
    assert js.imports_of("m") == {"A", "C", "D", "E"}
    open_idx = next(i for i, t in enumerate(js.toks) if t.is_id("f")) + 1
    props = js.props(open_idx + 1)
    assert sorted(props) == ["a", "b", "c"]


def test_minified_and_huge_files_are_skipped() -> None:
    line = "console.log(process.env);" + "var a=1;" * 10_000
    assert checks_for_file("public/vendor.js", line) == []
    assert checks_for_file("public/app.min.js", "console.log(process.env);\n") == []
    assert checks_for_file("src/app.js", "console.log(process.env);\n") != []
