use super::*;

fn width(text: &str) -> usize {
    text.width()
}

/// The diff of two texts, whole (`--all`), unified.
fn shown(old: &str, new: &str) -> String {
    let (old, new) = (numbered(old, true), numbered(new, true));
    unified([&old, &new], ["old", "new"], false)
}

#[test]
fn chinese_takes_two_columns() {
    assert_eq!(width("tcp 服务器"), 10);
    assert_eq!(width("端口号：80"), 10);
    // e and a combining accent
    assert_eq!(width("e\u{301}"), 1);
}

#[test]
fn the_header_and_the_usage_line_are_left_out() {
    let text = "//! 07: one\n//!\n//! Tutorial: 服务\n\nuse std::io;\n\n\
                const USAGE: &str = \"07 [BIND] \\\n    [--x]\";\nfn main() {}\n";
    let kept = numbered(text, false);
    assert_eq!(kept, [(5, "use std::io;"), (6, ""), (9, "fn main() {}")]);
    assert_eq!(numbered(text, true).len(), 9);
}

#[test]
fn unified_numbers_the_lines_of_the_files() {
    let text = shown("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\ni\n");
    assert_eq!(
        text,
        "--- old\n+++ new\n@@ -2,7 +2,8 @@ a\n b\n c\n d\n-e\n+E\n\
         \x20f\n g\n h\n+i\n"
    );
    // the function around a change, whole where it fits 80 columns
    let body = "fn main(a: 服务器, b: u8) {\n    a\n    b\n    c\n    d\n";
    let (old, new) =
        (format!("{body}    x\n}}\n"), format!("{body}    y\n}}\n"));
    let header = shown(&old, &new).lines().nth(2).unwrap().to_string();
    assert_eq!(header, "@@ -3,5 +3,5 @@ fn main(a: 服务器, b: u8) {");
    // else cut short to fit the width
    let header = |width| {
        let scope = " fn main(a: 服务器, b: u8) {".to_string();
        "@@ -3,5 +3,5 @@".to_string()
            + &cut_short("@@ -3,5 +3,5 @@", scope, width)
    };
    assert_eq!(header(25), "@@ -3,5 +3,5 @@ fn main(…");
    // 服 fits, 务 would not
    assert_eq!(header(31), "@@ -3,5 +3,5 @@ fn main(a: 服…");
    assert_eq!(width(&header(31)), 30);
    // a width with no room for the context: none, the numbers whole
    assert_eq!(header(20), "@@ -3,5 +3,5 @@ fn…");
    assert_eq!(header(17), "@@ -3,5 +3,5 @@");
    assert_eq!(header(14), "@@ -3,5 +3,5 @@");
}

/// 07 -> 08 wraps the old body in `loop {`: with indentation ignored
/// the diff is the few lines that changed, its context the new lines.
#[test]
fn a_re_indented_body_shows_only_what_changed() {
    let old = "fn f() {\n    let a = 1;\n    let b = 2;\n    Ok(())\n}\n";
    let new =
        "fn f() {\n    loop {\n        let a = 1;\n        let b = 2;\n    }\n}\n";
    let text = shown(old, new);
    assert_eq!(
        text,
        "--- old\n+++ new\n@@ -1,5 +1,6 @@\n fn f() {\n+    loop {\n         \
         let a = 1;\n         let b = 2;\n-    Ok(())\n     }\n+}\n"
    );
    // but spaces inside a line are its text (a string literal's)
    let text = shown("f(\"a b\");\n", "    f(\"a  b\");\n");
    assert!(
        text.ends_with("-f(\"a b\");\n+    f(\"a  b\");\n"),
        "{text}"
    );
}
