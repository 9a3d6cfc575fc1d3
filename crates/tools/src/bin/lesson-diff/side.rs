//! The side-by-side view: two columns that fit the width.

use super::*;

pub(crate) fn side_by_side(diff: &Diff, options: &Options) -> String {
    let (old, new, ops, names) =
        (diff.old, diff.new, &diff.ops[..], diff.names);
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
