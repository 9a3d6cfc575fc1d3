//! The table: one row per packet, wrapped to a projector's 80 columns.
use super::*;

/// How wide the table may be: a projector shows 80 columns.
pub(crate) const COLUMNS: usize = 80;

/// The table: one row per packet, its meaning in the last column, wrapped
/// inside that column (at spaces) where it would pass `COLUMNS`; then the
/// notes.
pub(crate) fn table(run: &Run) -> String {
    let mut out = String::new();
    let conn = if run.tftp { "xfer" } else { "conn" };
    let head = if run.tftp {
        format!(
            "{:>3}  {conn:>4}  {:<16}  {:<8} {:>5}  ",
            "No.", "direction", "packet", "len"
        )
    } else {
        format!(
            "{:>3}  {conn:>4}  {:<16}  {:<8} {:>5} {:>5} {:>5}  ",
            "No.", "direction", "flags", "seq", "ack", "len"
        )
    };
    let _ = writeln!(out, "{head}meaning");
    let column = columns(&head); // where every meaning starts
    for (i, row) in run.rows.iter().enumerate() {
        let dir = match row.from_client {
            true => "client -> server",
            false => "server -> client",
        };
        let value = |name: &str| match row.field(name) {
            Some(v) => v.to_string(),
            None => "-".to_string(),
        };
        let mut cells =
            format!("{:>3}  {:>4}  {dir}  {:<8} ", i + 1, row.conn, row.what);
        if !run.tftp {
            let _ = write!(cells, "{:>5} {:>5} ", value("seq"), value("ack"));
        }
        let _ = write!(cells, "{:>5}  ", value("len"));
        // a wide cell (a long flag name, a big number) pushes the first
        // line's meaning right: it has less room then
        let first = COLUMNS.saturating_sub(columns(&cells));
        let lines = wrap_from(&row.meaning.en, first, COLUMNS - column);
        let _ = writeln!(out, "{}", format!("{cells}{}", lines[0]).trim_end());
        for line in &lines[1..] {
            let _ = writeln!(out, "{}{line}", " ".repeat(column));
        }
    }
    for note in &run.notes {
        out.push('\n');
        out.push_str(&wrap(&note.en, 76).join("\n"));
        out.push('\n');
    }
    out
}

/// How many columns a text takes on a terminal (two for Chinese).
pub(crate) fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Splits text into lines of at most `width` columns, at spaces.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_from(text, width, width)
}

/// Splits text into lines at spaces: the first of at most `first`
/// columns, the others of at most `width`. A word wider than a line is
/// cut; one that only the first line has no room for starts the second.
pub(crate) fn wrap_from(text: &str, first: usize, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        loop {
            let room = if lines.is_empty() { first } else { width };
            let used = match line.is_empty() {
                true => 0,
                false => columns(&line) + 1,
            };
            if used + columns(&word) <= room {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() || columns(&word) <= width {
                lines.push(std::mem::take(&mut line)); // word to next line
                continue;
            }
            // a word wider than any line: what fits, the rest after it
            let mut fit = 0;
            for (at, c) in word.char_indices() {
                if columns(&word[..at + c.len_utf8()]) > room {
                    break;
                }
                fit = at + c.len_utf8();
            }
            if fit == 0 {
                match lines.is_empty() {
                    true => lines.push(String::new()), // no room at all
                    false => {
                        fit = word.chars().next().map_or(1, char::len_utf8)
                    }
                }
                if fit == 0 {
                    continue;
                }
            }
            lines.push(word[..fit].to_string());
            word = word[fit..].to_string();
        }
    }
    lines.push(line);
    lines
}
