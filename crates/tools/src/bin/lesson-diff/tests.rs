use super::*;
use wrap::quoted;

fn lines(text: &str) -> Vec<(usize, String)> {
    numbered(text, true)
}

/// The diff of two texts, whole (`--all`), unified or side by side.
fn shown(old: &str, new: &str, side_by_side: bool, width: usize) -> String {
    let (old, new) = (lines(old), lines(new));
    let (a, b) = ("old".to_string(), "new".to_string());
    let diff = Diff::new(&old, &new, [&a, &b]);
    let options = Options {
        all: true,
        side_by_side,
        width,
        color: false,
    };
    match side_by_side {
        true => super::side_by_side(&diff, &options),
        false => unified(&diff, &options),
    }
}

#[test]
fn chinese_takes_two_columns() {
    assert_eq!(width("tcp 服务器"), 10);
    assert_eq!(width("端口号：80"), 10);
    // e and a combining accent
    assert_eq!(width("e\u{301}"), 1);
    // broken after a space, the rest indented 4; a wide character is
    // never cut in two
    assert_eq!(wrap("服务器 服务", 8), ["服务器", "    服务"]);
    assert_eq!(wrap("服务器服务", 5), ["服务", "  器", "  服", "  务"]);
    assert_eq!(wrap("\tx", 80), ["        x"]);
}

#[test]
fn code_wraps_where_it_may_break_not_inside_a_name() {
    let line = "    new_client_socket.set_write_timeout(timeout)?;";
    assert_eq!(
        wrap(line, 38),
        [
            "    new_client_socket",
            "        .set_write_timeout(timeout)?;"
        ]
    );
    // after `(`, `,` and `::`; a space is better when it is not early
    assert_eq!(
        wrap("let (socket, addr) = netcommon::until_accepted(x)?;", 30),
        [
            "let (socket, addr) =",
            "    netcommon::until_accepted(",
            "    x)?;"
        ]
    );
    assert_eq!(wrap("f(a,b,c,d,e)", 8), ["f(a,b,c,", "    d,e)"]);
    let path = wrap("use std::net::TcpListener;", 16);
    assert_eq!(path, ["use std::net::", "    TcpListener;"]);
    // `()` stays whole; so does a name wider than the room left after
    // the indentation but not wider than the column: indented less
    assert_eq!(wrap("xxxx local_addr()?", 16), ["xxxx", "   local_addr()?"]);
    let name = "    a_name_of_exactly_twenty"; // a name 24 wide
    assert_eq!(wrap(name, 26), ["  a_name_of_exactly_twenty"]);
    // an indentation wider than the column (--width 20) gives way
    let deep = " ".repeat(12);
    assert_eq!(wrap(&format!("{deep}abc def"), 9), ["      abc", "    def"]);
    assert_eq!(
        wrap(&format!("{deep}abcdefghijkl"), 9),
        ["    abcde", "  fghijkl"]
    );
    // only a token wider than the column is cut
    assert_eq!(wrap(name, 20), ["    a_name_of_exactl", "        y_twenty"]);
}

#[test]
fn the_header_and_the_usage_line_are_left_out() {
    let text = "//! 07: one\n//!\n//! Tutorial: 服务\n\nuse std::io;\n\n\
                const USAGE: &str = \"07 [BIND] \\\n    [--x]\";\nfn main() {}\n";
    let kept = numbered(text, false);
    assert_eq!(
        kept,
        [
            (5, "use std::io;".into()),
            (6, String::new()),
            (9, "fn main() {}".into())
        ]
    );
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

#[test]
fn long_lines_wrap_in_their_column() {
    let new = "a very long line that does not fit in one column\n";
    let text = shown("short\n", new, true, 43);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[2], "short                | a very long line");
    assert_eq!(rows[3], "                     |     that does not");
    assert_eq!(rows[4], "                     |     fit in one");
    assert_eq!(rows[5], "                     |     column");
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

#[test]
fn a_string_is_not_broken_when_it_fits_whole_on_the_next_line() {
    let line = "    let send_data = format!(\"received: {recv_data}\");";
    assert_eq!(
        wrap(line, 38),
        [
            "    let send_data = format!(",
            "        \"received: {recv_data}\");"
        ]
    );
    // a string too long for any line is broken, at a space
    let line = "        Ok(()) => println!(\"client {client_addr} served\"),";
    assert_eq!(
        wrap(line, 38),
        [
            "        Ok(()) => println!(\"client",
            "            {client_addr} served\"),"
        ]
    );
    assert_eq!(
        quoted(&"a(\"b\\\" c\", '\"') // \"".chars().collect::<Vec<_>>())
            .iter()
            .filter(|q| **q)
            .count(),
        6
    );
}
