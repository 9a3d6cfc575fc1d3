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

mod side;
#[cfg(test)]
mod tests;
mod wrap;

use side::side_by_side;
use wrap::{width, wrap};

pub(crate) const USAGE: &str =
    "usage: lesson-diff OLD NEW [--all] [--side-by-side] [--width N] [--color]";
pub(crate) const CONTEXT: usize = 3; // unchanged lines shown around a change

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

pub(crate) struct Options {
    pub(crate) all: bool,
    pub(crate) side_by_side: bool,
    pub(crate) width: usize,
    pub(crate) color: bool,
}

pub(crate) fn run(args: &[String]) -> Result<String, String> {
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
    let diff = Diff::new(&old, &new, [old_name, new_name]);
    Ok(match options.side_by_side {
        true => side_by_side(&diff, &options),
        false => unified(&diff, &options),
    })
}

/// A file's lines with their numbers (from 1), without the `//!` header
/// and the usage line unless `all`.
pub(crate) fn numbered(text: &str, all: bool) -> Vec<(usize, String)> {
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
pub(crate) enum Op {
    Same(usize, usize), // old index, new index
    Removed(usize),
    Added(usize),
}

/// The lines' changes, found by `similar` with indentation ignored: a body
/// wrapped in `loop {` shows as the few lines that really changed (its
/// re-indented lines are shown as they are in the new file).
pub(crate) fn diff(
    old: &[(usize, String)],
    new: &[(usize, String)],
) -> Vec<Op> {
    // the indentation only: spaces inside a string literal are its text
    let key = |(_, line): &(usize, String)| line.trim().to_string();
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

/// Two files' lines (with their numbers), their changes and their names.
pub(crate) struct Diff<'a> {
    pub(crate) old: &'a [(usize, String)],
    pub(crate) new: &'a [(usize, String)],
    pub(crate) ops: Vec<Op>,
    pub(crate) names: [&'a String; 2],
}

impl<'a> Diff<'a> {
    pub(crate) fn new(
        old: &'a [(usize, String)],
        new: &'a [(usize, String)],
        names: [&'a String; 2],
    ) -> Diff<'a> {
        let ops = diff(old, new);
        Diff {
            old,
            new,
            ops,
            names,
        }
    }

    /// The line number in the old file (side 0) or the new one (1) of
    /// what `op` shows on that side, if anything.
    pub(crate) fn number(&self, op: &Op, side: usize) -> Option<usize> {
        match (op, side) {
            (Op::Same(i, _) | Op::Removed(i), 0) => Some(self.old[*i].0),
            (Op::Same(_, j) | Op::Added(j), 1) => Some(self.new[*j].0),
            _ => None,
        }
    }
}

/// The ranges of `ops` to show: each change with CONTEXT lines around it,
/// overlapping ranges merged.
pub(crate) fn hunks(ops: &[Op], context: usize) -> Vec<(usize, usize)> {
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

pub(crate) fn paint(text: &str, code: &str, color: bool) -> String {
    match color {
        true => format!("\x1b[{code}m{text}\x1b[0m"),
        false => text.to_string(),
    }
}

pub(crate) fn unified(diff: &Diff, options: &Options) -> String {
    let (old, new, ops) = (diff.old, diff.new, &diff.ops[..]);
    let (color, columns) = (options.color, options.width);
    let mut out = String::new();
    for (mark, name) in ["---", "+++"].iter().zip(diff.names) {
        let _ =
            writeln!(out, "{}", paint(&format!("{mark} {name}"), "1", color));
    }
    for (start, end) in hunks(ops, CONTEXT) {
        let shown = &ops[start..end];
        let numbers = |side| -> Vec<usize> {
            shown
                .iter()
                .filter_map(|op| diff.number(op, side))
                .collect()
        };
        let (olds, news) = (numbers(0), numbers(1));
        // no line on one side: the line before the change, as diff says
        let before = |numbers: &[usize], side: usize| {
            let mut previous = ops[..start].iter().rev();
            let previous = previous.find_map(|op| diff.number(op, side));
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
