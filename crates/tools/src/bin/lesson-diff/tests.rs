use super::*;

fn width(text: &str) -> usize {
    text.width()
}

/// The diff of two texts, whole (`--all`), unified or side by side.
fn shown(old: &str, new: &str, side_by_side: bool, width: usize) -> String {
    let diff = Diff {
        old: numbered(old, true),
        new: numbered(new, true),
        names: ["old", "new"],
    };
    let options = Options {
        all: true,
        side_by_side,
        width,
        color: false,
    };
    match side_by_side {
        true => side::side_by_side(&diff, &options),
        false => unified(&diff, &options),
    }
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
    let text = shown(
        "a\nb\nc\nd\ne\nf\ng\nh\n",
        "a\nb\nc\nd\nE\nf\ng\nh\ni\n",
        false,
        80,
    );
    assert_eq!(
        text,
        "--- old\n+++ new\n@@ -2,7 +2,8 @@ a\n b\n c\n d\n-e\n+E\n\
         \x20f\n g\n h\n+i\n"
    );
    // the function around a change is cut short to fit the width
    let body = "fn main(a: 服务器, b: u8) {\n    a\n    b\n    c\n    d\n";
    let (old, new) =
        (format!("{body}    x\n}}\n"), format!("{body}    y\n}}\n"));
    let header = |width| {
        shown(&old, &new, false, width)
            .lines()
            .nth(2)
            .unwrap()
            .to_string()
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

#[test]
fn side_by_side_columns_line_up_with_chinese() {
    let old = "let a = 1; // 服务器\nsame\n";
    let new = "let a = 2; // 服务\nsame\nadded line\n";
    let text = shown(old, new, true, 45);
    let rows: Vec<&str> = text.lines().collect();
    // column 21: 20 columns of text, 1 of padding, then the gutter
    assert_eq!(rows[2], "let a = 1; // 服务器  | let a = 2; // 服务");
    assert_eq!(rows[3], format!("same{}same", " ".repeat(17 + 3)));
    assert_eq!(rows[4], format!("{}> added line", " ".repeat(22)));
    for row in &rows {
        assert!(width(row) <= 45, "{row}");
    }
    // the gutter sits in the same column on every row
    for row in &rows[2..] {
        let before: String =
            row.chars().take_while(|c| !"|<>".contains(*c)).collect();
        if row.contains(['|', '<', '>']) {
            assert_eq!(width(&before), 21 + 1, "{row}");
        }
    }
}

/// Side by side, every line is whole in its column; with one line too
/// wide for its column the view is unified, and says how wide side by
/// side needs.
#[test]
fn a_line_too_long_for_its_column_shows_unified() {
    let new = "a line of 20 columns\n";
    let fits = shown("short\n", new, true, 43);
    assert_eq!(
        fits.lines().nth(2),
        Some("short                | a line of 20 columns")
    );
    let text = shown("short\n", new, true, 42);
    let note = "(side by side needs 43 columns, --width 43: unified here)\n";
    assert_eq!(text, format!("{note}{}", shown("short\n", new, false, 42)));
}

/// 07 -> 08 wraps the old body in `loop {`: with indentation ignored
/// the diff is the few lines that changed, its context the new lines.
#[test]
fn a_re_indented_body_shows_only_what_changed() {
    let old = "fn f() {\n    let a = 1;\n    let b = 2;\n    Ok(())\n}\n";
    let new =
        "fn f() {\n    loop {\n        let a = 1;\n        let b = 2;\n    }\n}\n";
    let text = shown(old, new, false, 80);
    assert_eq!(
        text,
        "--- old\n+++ new\n@@ -1,5 +1,6 @@\n fn f() {\n+    loop {\n         \
         let a = 1;\n         let b = 2;\n-    Ok(())\n     }\n+}\n"
    );
    // but spaces inside a line are its text (a string literal's)
    let text = shown("f(\"a b\");\n", "    f(\"a  b\");\n", false, 80);
    assert!(
        text.ends_with("-f(\"a b\");\n+    f(\"a  b\");\n"),
        "{text}"
    );
}
