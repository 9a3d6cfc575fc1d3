//! lesson-diff: the teaching diff of two lessons, for scripts/diff-lessons.
//!
//! usage: lesson-diff OLD NEW [--all] [--side-by-side] [--width N] [--color]
//!
//! By default it shows the code only: every lesson rewrites its `//!`
//! header and its usage line (`const USAGE ... ;`), so both are left out
//! (`--all` keeps them). Unified, like `git diff`, with the files' own
//! line numbers (a hunk header's function context is cut short to fit N
//! columns, 80 by default); or `--side-by-side` in two columns that fit N
//! columns, where a line too long for its column wraps where code may
//! break, and text is measured by its display width: a Chinese character
//! takes two columns.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::exit;

const USAGE: &str =
    "usage: lesson-diff OLD NEW [--all] [--side-by-side] [--width N] [--color]";
const CONTEXT: usize = 3; // unchanged lines shown around a change

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        // a reader that stops early (| head, less) is not an error
        Ok(text) => drop(std::io::stdout().write_all(text.as_bytes())),
        Err(error) => {
            eprintln!("lesson-diff: {error}");
            exit(2);
        }
    }
}

struct Options {
    all: bool,
    side_by_side: bool,
    width: usize,
    color: bool,
}

fn run(args: &[String]) -> Result<String, String> {
    let mut files = vec![];
    let mut options = Options {
        all: false,
        side_by_side: false,
        width: 80,
        color: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--all" => options.all = true,
            "--side-by-side" => options.side_by_side = true,
            "--color" => options.color = true,
            "--width" => {
                let width = args.next().and_then(|w| w.parse().ok());
                options.width = width
                    .filter(|w| (20..=1000).contains(w))
                    .ok_or("--width takes a number of columns, 20 to 1000")?;
            }
            flag if flag.starts_with('-') => return Err(USAGE.into()),
            file => files.push(file.to_string()),
        }
    }
    let [old_name, new_name] = &files[..] else {
        return Err(USAGE.into());
    };
    let read = |name: &String| {
        std::fs::read_to_string(name).map_err(|e| format!("{name}: {e}"))
    };
    let (old_text, new_text) = (read(old_name)?, read(new_name)?);
    let old = numbered(&old_text, options.all);
    let new = numbered(&new_text, options.all);
    let ops = diff(&old, &new);
    Ok(match options.side_by_side {
        true => side_by_side(&old, &new, &ops, [old_name, new_name], &options),
        false => unified(&old, &new, &ops, [old_name, new_name], &options),
    })
}

/// A file's lines with their numbers (from 1), without the `//!` header
/// and the usage line unless `all`.
fn numbered(text: &str, all: bool) -> Vec<(usize, String)> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.to_string()));
    if all {
        return lines.collect();
    }
    let mut kept = vec![];
    let mut in_header = true;
    let mut in_usage = false;
    for (number, line) in lines {
        if in_header && (line.starts_with("//!") || line.trim().is_empty()) {
            continue; // the header, and the blank lines after it
        }
        in_header = false;
        if line.trim_start().starts_with("const USAGE") {
            in_usage = true;
        }
        if in_usage {
            in_usage = !line.trim_end().ends_with(';');
            continue;
        }
        kept.push((number, line));
    }
    kept
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Same(usize, usize), // old index, new index
    Removed(usize),
    Added(usize),
}

/// The lines' changes, found by `similar` with whitespace ignored: a body
/// wrapped in `loop {` shows as the few lines that really changed (its
/// re-indented lines are shown as they are in the new file).
fn diff(old: &[(usize, String)], new: &[(usize, String)]) -> Vec<Op> {
    let key = |(_, line): &(usize, String)| {
        line.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let ops = similar::capture_diff_slices_by_key(
        similar::Algorithm::Patience,
        old,
        new,
        key,
    );
    let mut out = vec![];
    for op in ops {
        let (tag, olds, news) = op.as_tag_tuple();
        match tag {
            similar::DiffTag::Equal => {
                out.extend(olds.zip(news).map(|(i, j)| Op::Same(i, j)))
            }
            _ => {
                out.extend(olds.map(Op::Removed));
                out.extend(news.map(Op::Added));
            }
        }
    }
    out
}

/// The ranges of `ops` to show: each change with CONTEXT lines around it,
/// overlapping ranges merged.
fn hunks(ops: &[Op], context: usize) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = vec![];
    for (k, op) in ops.iter().enumerate() {
        if matches!(op, Op::Same(..)) {
            continue;
        }
        let (start, end) =
            (k.saturating_sub(context), (k + context + 1).min(ops.len()));
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => ranges.push((start, end)),
        }
    }
    ranges
}

fn paint(text: &str, code: &str, color: bool) -> String {
    match color {
        true => format!("\x1b[{code}m{text}\x1b[0m"),
        false => text.to_string(),
    }
}

fn unified(
    old: &[(usize, String)],
    new: &[(usize, String)],
    ops: &[Op],
    names: [&String; 2],
    options: &Options,
) -> String {
    let (color, columns) = (options.color, options.width);
    let mut out = String::new();
    let _ =
        writeln!(out, "{}", paint(&format!("--- {}", names[0]), "1", color));
    let _ =
        writeln!(out, "{}", paint(&format!("+++ {}", names[1]), "1", color));
    for (start, end) in hunks(ops, CONTEXT) {
        let shown = &ops[start..end];
        let olds: Vec<usize> = shown
            .iter()
            .filter_map(|op| match op {
                Op::Same(i, _) | Op::Removed(i) => Some(old[*i].0),
                Op::Added(_) => None,
            })
            .collect();
        let news: Vec<usize> = shown
            .iter()
            .filter_map(|op| match op {
                Op::Same(_, j) | Op::Added(j) => Some(new[*j].0),
                Op::Removed(_) => None,
            })
            .collect();
        // no line on one side: the line before the change, as diff says
        let before = |numbers: &[usize], side: usize| {
            let previous =
                ops[..start].iter().rev().find_map(|op| match (op, side) {
                    (Op::Same(i, _) | Op::Removed(i), 0) => Some(old[*i].0),
                    (Op::Same(_, j) | Op::Added(j), 1) => Some(new[*j].0),
                    _ => None,
                });
            numbers.first().copied().unwrap_or(previous.unwrap_or(0))
        };
        // and, as git does, the last line before it that starts a item
        let first_old = shown.iter().find_map(|op| match op {
            Op::Same(i, _) | Op::Removed(i) => Some(*i),
            Op::Added(_) => None,
        });
        let scope = old[..first_old.unwrap_or(old.len())]
            .iter()
            .rev()
            .find(|(_, l)| {
                l.starts_with(|c: char| c.is_alphabetic() || c == '_')
            })
            .map(|(_, l)| format!(" {l}"))
            .unwrap_or_default();
        let header = format!(
            "@@ -{},{} +{},{} @@",
            before(&olds, 0),
            olds.len(),
            before(&news, 1),
            news.len()
        );
        // the context cut short (…) where the line would pass the width,
        // left out where not even a word of it fits
        let mut scope = scope;
        if width(&header) + width(&scope) > columns {
            while !scope.is_empty() && width(&header) + width(&scope) >= columns
            {
                scope.pop();
            }
            scope = scope.trim_end().to_string();
            if scope.len() > 2 {
                scope.push('\u{2026}');
            } else {
                scope.clear();
            }
        }
        let header = header + &scope;
        let _ = writeln!(out, "{}", paint(&header, "36", color));
        for op in shown {
            let line = match op {
                Op::Same(_, j) => format!(" {}", new[*j].1),
                Op::Removed(i) => {
                    paint(&format!("-{}", old[*i].1), "31", color)
                }
                Op::Added(j) => paint(&format!("+{}", new[*j].1), "32", color),
            };
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// How many columns a character takes on a terminal (two for Chinese).
fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The display width of a string.
fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Tabs to spaces (stops every 8 columns), then pieces of at most
/// `columns` display columns, each broken at the last place where a line
/// of code may break: at a space, after `(`, `,` or `::`, before the `.` of
/// a method call, or next to a wide (Chinese) character. A word is cut only
/// when one token is wider than the column, and a wide character never
/// straddles two pieces. A continuation is indented 4 more than its line,
/// as rustfmt would (less, when that is what keeps a token whole).
fn wrap(line: &str, columns: usize) -> Vec<String> {
    let mut expanded = String::new();
    let mut at = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 8 - at % 8;
            expanded.extend(std::iter::repeat_n(' ', spaces));
            at += spaces;
        } else {
            expanded.push(c);
            at += char_width(c);
        }
    }
    let indent = expanded.len() - expanded.trim_start_matches(' ').len();
    let hang = (indent + 4).min(columns / 2);
    let mut pieces = vec![];
    let mut rest: Vec<char> = expanded.chars().collect();
    let quoted = quoted(&rest);
    let mut done = 0; // characters of the line already placed
    let mut first = true;
    loop {
        let mut prefix = if first { 0 } else { hang };
        // how many characters fit
        let fitting = |prefix: usize| {
            let (mut used, mut fit) = (0, 0);
            while fit < rest.len()
                && used + char_width(rest[fit]) <= columns - prefix
            {
                used += char_width(rest[fit]);
                fit += 1;
            }
            fit
        };
        let fit = fitting(prefix);
        if fit == rest.len() {
            let piece: String = rest.iter().collect();
            pieces.push(format!("{}{piece}", " ".repeat(prefix)));
            return pieces;
        }
        // the last break after the indentation; with none, one token
        // wider than the room: it goes whole on a line indented less when
        // it fits the column, else it is cut
        // (a space, unless it leaves most of the room empty)
        let lead = rest.iter().take_while(|c| **c == ' ').count();
        let best = |good: &dyn Fn(usize) -> bool| {
            let mut room = (lead + 1..=fit).rev().filter(|&k| good(k));
            let cut = room.clone().find(|&k| breaks(&rest, k));
            let space = room.find(|&k| spaced(&rest, k));
            match space.is_some_and(|k| k >= lead + (fit - lead) / 2) {
                true => space,
                false => cut,
            }
        };
        let mut cut = best(&|_| true);
        // not inside a string literal when the string then fits whole on
        // the next line
        if let Some(inside) = cut.filter(|&k| quoted[done + k]) {
            let end = (inside..rest.len()).find(|&k| !quoted[done + k]);
            let end = end.unwrap_or(rest.len());
            let outside = best(&|k| !quoted[done + k]);
            let fits = |from: usize| {
                if from >= end {
                    return true; // the string stays whole on this line
                }
                let string = rest[from..end].iter().skip_while(|c| **c == ' ');
                string.map(|c| char_width(*c)).sum::<usize>() <= columns - hang
            };
            if let Some(from) = outside.filter(|&from| fits(from)) {
                cut = Some(from);
            }
        }
        if cut.is_none() {
            let from = fit.max(lead) + 1;
            let end = (from..=rest.len()).find(|&k| breaks(&rest, k));
            let end = end.unwrap_or(rest.len());
            let token = rest[lead..end].iter().map(|c| char_width(*c));
            let token: usize = token.sum();
            if token <= columns {
                // the indentation (or the line's own) shrinks to make room
                prefix = columns - token;
                rest.drain(..lead);
                done += lead;
                cut = Some(end - lead);
            } else if fit <= lead {
                // no room after the indentation: go on as a continuation
                rest.drain(..lead);
                done += lead;
                first = false;
                continue;
            }
        }
        let cut = cut.unwrap_or(fit.max(1));
        let piece: String = rest[..cut].iter().collect();
        pieces.push(format!("{}{}", " ".repeat(prefix), piece.trim_end()));
        rest.drain(..cut);
        done += cut;
        while rest.first() == Some(&' ') {
            rest.remove(0);
            done += 1;
        }
        if rest.is_empty() {
            return pieces;
        }
        first = false;
    }
}

/// For each place in a line of code, whether it is inside a string
/// literal (a comment ends the search).
fn quoted(line: &[char]) -> Vec<bool> {
    let (mut inside, mut escaped, mut places) = (false, false, vec![false]);
    for (k, &c) in line.iter().enumerate() {
        if !inside && c == '/' && line.get(k + 1) == Some(&'/') {
            places.resize(line.len() + 1, false);
            return places;
        }
        let char_literal =
            k > 0 && line[k - 1] == '\'' && line.get(k + 1) == Some(&'\'');
        match c {
            '"' if !escaped && !char_literal => inside = !inside,
            _ => {}
        }
        escaped = inside && c == '\\' && !escaped;
        places.push(inside);
    }
    places
}

/// Whether `line[at]` starts a word.
fn spaced(line: &[char], at: usize) -> bool {
    at == line.len()
        || (at > 0 && line[at - 1] == ' ' && line[at] != ' ')
        || (line[at] == ' ' && at > 0 && line[at - 1] != ' ')
}

/// Whether a line may break before `line[at]`.
fn breaks(line: &[char], at: usize) -> bool {
    let (Some(&before), Some(&after)) =
        (line.get(at.wrapping_sub(1)), line.get(at))
    else {
        return at == line.len();
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let call = after == '.'
        && (word(before) || ")]?".contains(before))
        && line
            .get(at + 1)
            .is_some_and(|c| c.is_alphabetic() || *c == '_');
    before == ' '
        || after == ' '
        || (before == '(' && after != ')')
        || before == ','
        || (before == ':' && at >= 2 && line[at - 2] == ':' && after != ':')
        || call
        || char_width(before) == 2
        || char_width(after) == 2
}

fn side_by_side(
    old: &[(usize, String)],
    new: &[(usize, String)],
    ops: &[Op],
    names: [&String; 2],
    options: &Options,
) -> String {
    let column = (options.width - 3) / 2;
    // the changes and the lines around them, or every line with --all
    let ranges = match options.all {
        true => vec![(0, ops.len())],
        false => hunks(ops, CONTEXT),
    };
    let mut rows: Vec<(Option<&str>, char, Option<&str>)> = vec![];
    for (start, end) in ranges {
        if start > 0 {
            rows.push((None, ':', None)); // lines left out
        }
        let mut k = start;
        while k < end {
            if let Op::Same(i, j) = ops[k] {
                rows.push((Some(&old[i].1), ' ', Some(&new[j].1)));
                k += 1;
                continue;
            }
            // a change: removed lines beside added ones, row by row
            let (mut removed, mut added) = (vec![], vec![]);
            while let Some(op) = ops.get(k) {
                match op {
                    Op::Removed(i) => removed.push(old[*i].1.as_str()),
                    Op::Added(j) => added.push(new[*j].1.as_str()),
                    Op::Same(..) => break,
                }
                k += 1;
            }
            for r in 0..removed.len().max(added.len()) {
                let (left, right) =
                    (removed.get(r).copied(), added.get(r).copied());
                let gutter = match (left, right) {
                    (Some(_), Some(_)) => '|',
                    (Some(_), None) => '<',
                    _ => '>',
                };
                rows.push((left, gutter, right));
            }
        }
    }
    let mut out = String::new();
    // lessons/08-tcp-server-multi/src/main.rs is shown as its lesson
    let title = |name: &str| {
        let short = name.trim_end_matches("/src/main.rs");
        let short = short.rsplit('/').next().unwrap_or(short);
        wrap(short, column).remove(0)
    };
    let (a, b) = (title(names[0]), title(names[1]));
    let pad = column - width(&a);
    let _ = writeln!(out, "{a}{}   {b}", " ".repeat(pad));
    let _ = writeln!(out, "{}   {}", "=".repeat(column), "=".repeat(column));
    for (left, gutter, right) in rows {
        if gutter == ':' {
            let dots = format!("{:^column$}", "...");
            let _ = writeln!(out, "{}", format!("{dots}   {dots}").trim_end());
            continue;
        }
        let lefts = left.map_or(vec![], |l| wrap(l, column));
        let rights = right.map_or(vec![], |r| wrap(r, column));
        for n in 0..lefts.len().max(rights.len()).max(1) {
            let l = lefts.get(n).map_or("", String::as_str);
            let r = rights.get(n).map_or("", String::as_str);
            let pad = " ".repeat(column - width(l));
            let (l, r) = match gutter {
                ' ' => (l.to_string(), r.to_string()),
                _ => (
                    paint(l, "31", options.color),
                    paint(r, "32", options.color),
                ),
            };
            let line = format!("{l}{pad} {gutter} {r}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, String)> {
        numbered(text, true)
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
        assert_eq!(
            wrap("xxxx local_addr()?", 16),
            ["xxxx", "   local_addr()?"]
        );
        let name = "    a_name_of_exactly_twenty"; // a name 24 wide
        assert_eq!(wrap(name, 26), ["  a_name_of_exactly_twenty"]);
        // an indentation wider than the column (--width 20) gives way
        let deep = " ".repeat(12);
        assert_eq!(
            wrap(&format!("{deep}abc def"), 9),
            ["      abc", "    def"]
        );
        assert_eq!(
            wrap(&format!("{deep}abcdefghijkl"), 9),
            ["    abcde", "  fghijkl"]
        );
        // only a token wider than the column is cut
        assert_eq!(
            wrap(name, 20),
            ["    a_name_of_exactl", "        y_twenty"]
        );
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
        let old = lines("a\nb\nc\nd\ne\nf\ng\nh\n");
        let new = lines("a\nb\nc\nd\nE\nf\ng\nh\ni\n");
        let ops = diff(&old, &new);
        let (a, b) = ("old".to_string(), "new".to_string());
        let mut options = Options {
            all: true,
            side_by_side: false,
            width: 80,
            color: false,
        };
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        assert_eq!(
            text,
            "--- old\n+++ new\n@@ -2,7 +2,8 @@ a\n b\n c\n d\n-e\n+E\n\
             \x20f\n g\n h\n+i\n"
        );
        // the function around a change is cut short to fit the width
        let body = "fn main(a: 服务器, b: u8) {\n    a\n    b\n    c\n    d\n";
        let old = lines(&format!("{body}    x\n}}\n"));
        let new = lines(&format!("{body}    y\n}}\n"));
        let ops = diff(&old, &new);
        options.width = 25;
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        let header = text.lines().nth(2).unwrap();
        assert_eq!(header, "@@ -3,5 +3,5 @@ fn main(…");
        options.width = 31; // 服 fits, 务 would not
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        let header = text.lines().nth(2).unwrap();
        assert_eq!(header, "@@ -3,5 +3,5 @@ fn main(a: 服…");
        assert_eq!(width(header), 30);
        // a width with no room for the context: none, the numbers whole
        options.width = 20;
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        assert_eq!(text.lines().nth(2), Some("@@ -3,5 +3,5 @@ fn…"));
        options.width = 17;
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        assert_eq!(text.lines().nth(2), Some("@@ -3,5 +3,5 @@"));
        options.width = 14;
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        assert_eq!(text.lines().nth(2), Some("@@ -3,5 +3,5 @@"));
    }

    #[test]
    fn side_by_side_columns_line_up_with_chinese() {
        let old = lines("let a = 1; // 服务器\nsame\n");
        let new = lines("let a = 2; // 服务\nsame\nadded line\n");
        let ops = diff(&old, &new);
        let (a, b) = ("old".to_string(), "new".to_string());
        let options = Options {
            all: true,
            side_by_side: true,
            width: 45,
            color: false,
        };
        let text = side_by_side(&old, &new, &ops, [&a, &b], &options);
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
        let old = lines("short\n");
        let new = lines("a very long line that does not fit in one column\n");
        let ops = diff(&old, &new);
        let (a, b) = ("old".to_string(), "new".to_string());
        let options = Options {
            all: true,
            side_by_side: true,
            width: 43,
            color: false,
        };
        let text = side_by_side(&old, &new, &ops, [&a, &b], &options);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[2], "short                | a very long line");
        assert_eq!(rows[3], "                     |     that does not");
        assert_eq!(rows[4], "                     |     fit in one");
        assert_eq!(rows[5], "                     |     column");
    }

    /// 07 -> 08 wraps the old body in `loop {`: with whitespace ignored
    /// the diff is the few lines that changed, its context the new lines.
    #[test]
    fn a_re_indented_body_shows_only_what_changed() {
        let old =
            lines("fn f() {\n    let a = 1;\n    let b = 2;\n    Ok(())\n}\n");
        let new = lines(
            "fn f() {\n    loop {\n        let a = 1;\n        let b = 2;\n    }\n}\n",
        );
        let ops = diff(&old, &new);
        let (a, b) = ("old".to_string(), "new".to_string());
        let options = Options {
            all: true,
            side_by_side: false,
            width: 80,
            color: false,
        };
        let text = unified(&old, &new, &ops, [&a, &b], &options);
        assert_eq!(
            text,
            "--- old\n+++ new\n@@ -1,5 +1,6 @@\n fn f() {\n+    loop {\n         \
             let a = 1;\n         let b = 2;\n-    Ok(())\n     }\n+}\n"
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
        let line =
            "        Ok(()) => println!(\"client {client_addr} served\"),";
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
}
