//! lesson-diff: the teaching diff of two lessons, for scripts/diff-lessons.
//!
//! usage: lesson-diff OLD NEW [--all] [--color]
//!
//! By default it shows the code only: every lesson rewrites its `//!`
//! header and its usage line (`const USAGE ... ;`), so both are left out
//! (`--all` keeps them). Unified, like `git diff`, with the files' own
//! line numbers, a hunk header's function context cut short to fit the
//! 80 columns of a classroom projector.

use std::io::Write as _;
use std::ops::Range;
use std::process::exit;

use similar::DiffTag;
use unicode_width::UnicodeWidthStr;

#[cfg(test)]
mod tests;

const USAGE: &str = "usage: lesson-diff OLD NEW [--all] [--color]";
const CONTEXT: usize = 3; // unchanged lines shown around a change
const WIDTH: usize = 80; // the columns of a hunk header

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

fn run(args: &[String]) -> Result<String, String> {
    let (mut files, mut all, mut color) = (vec![], false, false);
    for arg in args {
        match arg.as_str() {
            "--all" => all = true,
            "--color" => color = true,
            flag if flag.starts_with('-') => return Err(USAGE.into()),
            file => files.push(file),
        }
    }
    let [old_name, new_name] = files[..] else {
        return Err(USAGE.into());
    };
    let read = |name| {
        std::fs::read_to_string(name).map_err(|e| format!("{name}: {e}"))
    };
    let (old_text, new_text) = (read(old_name)?, read(new_name)?);
    let (old, new) = (numbered(&old_text, all), numbered(&new_text, all));
    Ok(unified([&old, &new], [old_name, new_name], color))
}

/// A line of a file and its number (from 1).
type Line<'a> = (usize, &'a str);

/// A file's lines, without the `//!` header and the usage line unless
/// `all`.
fn numbered(text: &str, all: bool) -> Vec<Line<'_>> {
    let lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    if all {
        return lines.collect();
    }
    // the header and the blank lines after it, then the usage line (a
    // `const` that may take several lines, to its `;`)
    let code =
        lines.skip_while(|(_, l)| l.starts_with("//!") || l.trim().is_empty());
    let mut in_usage = false;
    code.filter(|(_, line)| {
        let usage = in_usage || line.trim_start().starts_with("const USAGE");
        in_usage = usage && !line.trim_end().ends_with(';');
        !usage
    })
    .collect()
}

fn paint(text: &str, code: &str, color: bool) -> String {
    match color {
        true => format!("\x1b[{code}m{text}\x1b[0m"),
        false => text.to_string(),
    }
}

/// The diff of two files' lines, named `names`.
fn unified([old, new]: [&[Line]; 2], names: [&str; 2], color: bool) -> String {
    let mut out = vec![];
    for (mark, name) in ["---", "+++"].iter().zip(names) {
        out.push(paint(&format!("{mark} {name}"), "1", color));
    }
    // the changes, found by `similar` with indentation ignored: a body
    // wrapped in `loop {` shows as the few lines that really changed (its
    // re-indented lines shown as they are in the new file), each with
    // CONTEXT lines around it, close ones together; only the indentation,
    // as spaces inside a string literal are its text
    let key = |(_, line): &Line| line.trim().to_string();
    let patience = similar::Algorithm::Patience;
    let ops = similar::capture_diff_slices_by_key(patience, old, new, key);
    for hunk in similar::group_diff_ops(ops, CONTEXT) {
        let (first, last) = (&hunk[0], &hunk[hunk.len() - 1]);
        let olds = first.old_range().start..last.old_range().end;
        let news = first.new_range().start..last.new_range().end;
        // no line on one side: the line before the change, as diff says
        let start = |lines: &[Line], range: &Range<usize>| match range.len() {
            0 => range.start.checked_sub(1).map_or(0, |i| lines[i].0),
            _ => lines[range.start].0,
        };
        let (a, b) = (start(old, &olds), start(new, &news));
        let header = format!("@@ -{a},{} +{b},{} @@", olds.len(), news.len());
        // and, as git does, the last line before it that starts an item
        let item = |(_, l): &&Line| {
            l.starts_with(|c: char| c.is_alphabetic() || c == '_')
        };
        let scope = old[..olds.start].iter().rev().find(item);
        let scope = scope.map(|(_, l)| format!(" {l}")).unwrap_or_default();
        let scope = cut_short(&header, scope, WIDTH);
        out.push(paint(&(header + &scope), "36", color));
        for op in &hunk {
            let (tag, olds, news) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                out.extend(news.map(|j| format!(" {}", new[j].1)));
                continue;
            }
            let removed =
                olds.map(|i| paint(&format!("-{}", old[i].1), "31", color));
            let added =
                news.map(|j| paint(&format!("+{}", new[j].1), "32", color));
            out.extend(removed.chain(added));
        }
    }
    out.join("\n") + "\n"
}

/// A hunk header's context cut short (…) where the line would pass the
/// width, left out where not even a word of it fits.
fn cut_short(header: &str, mut scope: String, columns: usize) -> String {
    if header.width() + scope.width() <= columns {
        return scope;
    }
    while !scope.is_empty() && header.width() + scope.width() >= columns {
        scope.pop();
    }
    scope.truncate(scope.trim_end().len());
    match scope.len() > 2 {
        true => scope + "\u{2026}",
        false => String::new(),
    }
}
