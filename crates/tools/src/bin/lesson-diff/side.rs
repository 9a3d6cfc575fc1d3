//! The side-by-side view: two columns, every line whole in its column.

use super::*;

pub(crate) fn side_by_side(diff: &Diff, options: &Options) -> String {
    let (old, new) = (&diff.old, &diff.new);
    // a line of each file (or none: "") and the gutter between them
    let mut rows: Vec<(&str, char, &str)> = vec![];
    // the changes and the lines around them, or every line with --all
    for hunk in diff.hunks(options.all) {
        let at = |op: &DiffOp| op.old_range().start + op.new_range().start;
        if hunk.first().is_some_and(|op| at(op) > 0) {
            rows.push(("", ':', "")); // lines left out
        }
        for op in hunk {
            // a change: removed lines beside added ones, row by row
            let (tag, olds, news) = op.as_tag_tuple();
            for r in 0..olds.len().max(news.len()) {
                let left = (r < olds.len()).then(|| old[olds.start + r].1);
                let right = (r < news.len()).then(|| new[news.start + r].1);
                let gutter = match (tag, left, right) {
                    (DiffTag::Equal, ..) => ' ',
                    (_, Some(_), Some(_)) => '|',
                    (_, Some(_), None) => '<',
                    _ => '>',
                };
                rows.push((left.unwrap_or(""), gutter, right.unwrap_or("")));
            }
        }
    }
    // lessons/08-tcp-server-multi/src/main.rs is shown as its lesson
    let titles = diff.names.map(|name| {
        let short = name.trim_end_matches("/src/main.rs");
        short.rsplit('/').next().unwrap_or(short)
    });
    let cells = rows.iter().flat_map(|(left, _, right)| [left, right]);
    let widest = cells.chain(&titles).map(|cell| cell.width()).max();
    let need = 2 * widest.unwrap_or(0) + 3;
    if need > options.width {
        let note = format!("side by side needs {need} columns, --width {need}");
        return format!("({note}: unified here)\n") + &unified(diff, options);
    }
    let column = (options.width - 3) / 2;
    let [a, b] = titles;
    let mut out = vec![format!("{a}{}   {b}", " ".repeat(column - a.width()))];
    out.push(format!("{}   {}", "=".repeat(column), "=".repeat(column)));
    for (left, gutter, right) in rows {
        if gutter == ':' {
            let dots = format!("{:^column$}", "...");
            out.push(format!("{dots}   {dots}").trim_end().to_string());
            continue;
        }
        let pad = " ".repeat(column - left.width());
        // the changed lines in colour, the same ones plain
        let color = options.color && gutter != ' ';
        let (left, right) =
            (paint(left, "31", color), paint(right, "32", color));
        let line = format!("{left}{pad} {gutter} {right}");
        out.push(line.trim_end().to_string());
    }
    out.join("\n") + "\n"
}
