//! The table: one row per packet, wrapped to a projector's 80 columns.
use super::*;

/// How wide the table may be: a projector shows 80 columns.
pub(crate) const COLUMNS: usize = 80;

/// The table: one row per packet, its meaning in the last column, wrapped
/// inside that column where it would pass `COLUMNS`; then the notes. In
/// English or in Chinese (for the Chinese book's teacher pages).
pub(crate) fn table(run: &Run, lang: Lang) -> String {
    let mut out = String::new();
    let zh = lang == Lang::Zh;
    // TCP's columns, seq and ack, or a datagram's: its name and length
    let tcp = run
        .rows
        .iter()
        .any(|r| r.fields.iter().any(|f| f.0 == "seq"));
    let word = |en: &'static str, zh_word: &'static str| match zh {
        true => zh_word,
        false => en,
    };
    let conn = match run.tftp {
        true => word("xfer", "传输"),
        false => word("conn", "连接"),
    };
    let what = match tcp {
        false => word("packet", "包"),
        true => word("flags", "标志"),
    };
    let mut head = format!(
        "{}  {}  {}  {} ",
        pad(word("No.", "序号"), 3, true),
        pad(conn, 4, true),
        pad(word("direction", "方向"), 16, false),
        pad(what, 8, false)
    );
    if tcp {
        head += "  seq   ack ";
    }
    head += &format!("{}  ", pad(word("len", "长度"), 5, true));
    let _ = writeln!(out, "{head}{}", word("meaning", "含义"));
    let column = columns(&head); // where every meaning starts
    for (i, row) in run.rows.iter().enumerate() {
        let (me, other) = match row.from_client {
            true => ("client", "server"),
            false => ("server", "client"),
        };
        let dir = format!("{} -> {}", says(lang, me), says(lang, other));
        let value = |name: &str| match row.field(name) {
            Some(v) => v.to_string(),
            None => "-".to_string(),
        };
        let mut cells =
            format!("{:>3}  {:>4}  {dir}  {:<8} ", i + 1, row.conn, row.what);
        if tcp {
            let _ = write!(cells, "{:>5} {:>5} ", value("seq"), value("ack"));
        }
        let _ = write!(cells, "{:>5}  ", value("len"));
        // a wide cell (a long flag name, a big number) pushes the first
        // line's meaning right: it has less room then
        let first = COLUMNS.saturating_sub(columns(&cells));
        let meaning = row.meaning.get(lang);
        let lines = wrap_from(meaning, first, COLUMNS - column);
        let _ = writeln!(out, "{}", format!("{cells}{}", lines[0]).trim_end());
        for line in &lines[1..] {
            let _ = writeln!(out, "{}{line}", " ".repeat(column));
        }
    }
    for note in &run.notes {
        out.push('\n');
        out.push_str(&wrap(note.get(lang), 76).join("\n"));
        out.push('\n');
    }
    out
}

/// `text` padded with spaces to `width` columns, on the left (`right`
/// aligned) or on the right.
fn pad(text: &str, width: usize, right: bool) -> String {
    let spaces = " ".repeat(width.saturating_sub(columns(text)));
    match right {
        true => spaces + text,
        false => format!("{text}{spaces}"),
    }
}

/// How many columns a text takes on a terminal (two for Chinese).
pub(crate) fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Splits text into lines of at most `width` columns.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_from(text, width, width)
}

/// The same, the first line at most `first` columns.
pub(crate) fn wrap_from(text: &str, first: usize, width: usize) -> Vec<String> {
    let columns = |text: &str| columns(text) as f64;
    wrap_by(text, first as f64, width.max(1) as f64, &columns)
}
