//! The table: one row per packet, wrapped to a projector's 80 columns; and
//! the wrapping of text, which the picture's notes share.
use super::*;

/// How wide the table may be: a projector shows 80 columns.
pub(crate) const COLUMNS: usize = 80;

/// The table: one row per packet, its meaning in the last column, wrapped
/// inside that column where it would pass `COLUMNS`; then the notes. In
/// English or in Chinese (for the Chinese book's teacher pages).
pub(crate) fn table(run: &Run, lang: Lang) -> String {
    // TCP's columns, seq and ack, or a datagram's: its name and length
    let tcp = run.rows.iter().any(|r| r.seq.is_some());
    // the heading's words, padded to their columns' width (a Chinese
    // character takes two)
    let conn = match run.loss {
        Some(_) => ["xfer", "传输"][lang],
        None => ["conn", "连接"][lang],
    };
    let what = match tcp {
        true => ["flags   ", "标志    "][lang],
        false => ["packet  ", "包      "][lang],
    };
    let dir = ["direction       ", "方向            "][lang];
    let (no, len) = (["No.", "序号"][lang], ["  len", " 长度"][lang]);
    let numbers = if tcp { "  seq   ack " } else { "" };
    let head = format!("{no}  {conn}  {dir}  {what} {numbers}{len}  ");
    let mut out = format!("{head}{}\n", ["meaning", "含义"][lang]);
    let column = columns(&head); // where every meaning starts
    let width = |text: &str| columns(text) as f64;
    for (i, row) in run.rows.iter().enumerate() {
        let [me, other] = sides(lang, row.from_client);
        let number = |n: Option<u32>| n.map_or("-".into(), |n| n.to_string());
        let numbers = match tcp {
            true => format!("{:>5} {:>5} ", number(row.seq), number(row.ack)),
            false => String::new(),
        };
        let (n, conn, what, len) = (i + 1, row.conn, &row.what, row.len);
        let cells = format!(
            "{n:>3}  {conn:>4}  {me} -> {other}  {what:<8} {numbers}{len:>5}  "
        );
        // a wide cell (a long flag name, a big number) pushes the first
        // line's meaning right: it has less room then
        let first = COLUMNS.saturating_sub(columns(&cells));
        let room = (COLUMNS - column) as f64;
        let lines = wrap(&row.meaning[lang], first as f64, room, &width);
        let _ = writeln!(out, "{}", format!("{cells}{}", lines[0]).trim_end());
        for line in &lines[1..] {
            let _ = writeln!(out, "{}{line}", " ".repeat(column));
        }
    }
    for note in &run.notes {
        let lines = wrap(&note[lang], 76.0, 76.0, &width);
        let _ = writeln!(out, "\n{}", lines.join("\n"));
    }
    out
}

/// The two ends, the sender first, in the table's language.
pub(crate) fn sides(lang: Lang, from_client: bool) -> [&'static str; 2] {
    let mut ends = [["client", "server"], ["客户端", "服务器"]][lang];
    if !from_client {
        ends.reverse();
    }
    ends
}

/// How many columns a text takes on a terminal (two for Chinese).
pub(crate) fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Where a line may break in Chinese text: between two Chinese
/// characters, but not before closing punctuation nor after opening.
fn breaks_before(previous: char, c: char) -> bool {
    let wide = |c: char| columns(&c.to_string()) == 2;
    let closing = "，。、；：？！）》」』”’";
    let opening = "（《「『“‘";
    (wide(previous) || wide(c))
        && !closing.contains(c)
        && !opening.contains(previous)
}

/// Splits text into lines as wide as `width` measures them (columns in
/// the table, px in the picture), the first at most `first`, the others
/// `room`: at spaces, and in Chinese between characters, but never before
/// a number (`DATA 4`, `RFC 6298` stay whole). A word wider than a line
/// is cut where the line is full; one that only the first line has no
/// room for starts the second. Written here: a wrapping crate measures columns, not px, and
/// knows neither rule about numbers.
pub(crate) fn wrap(
    text: &str,
    first: f64,
    room: f64,
    width: &dyn Fn(&str) -> f64,
) -> Vec<String> {
    // the pieces that stay together, each with whether a space is before it
    let mut pieces: Vec<(bool, String)> = vec![];
    let (mut space, mut previous) = (false, ' ');
    for c in text.chars() {
        match pieces.last_mut() {
            _ if c == ' ' => {}
            // a number stays with what it counts
            Some((_, piece)) if space && c.is_ascii_digit() => {
                piece.push(' ');
                piece.push(c);
            }
            Some((_, piece)) if !space && !breaks_before(previous, c) => {
                piece.push(c)
            }
            _ => pieces.push((space, c.to_string())),
        }
        space = c == ' ';
        previous = c;
    }
    // a piece wider than a line goes a character at a time
    let pieces = pieces.into_iter().flat_map(|(space, piece)| {
        let chars = piece.chars().enumerate();
        match width(&piece) > room {
            true => chars.map(|(i, c)| (space && i == 0, c.into())).collect(),
            false => vec![(space, piece)],
        }
    });
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for (space, piece) in pieces {
        let joined = match (line.is_empty(), space) {
            (true, _) => piece.clone(),
            (false, true) => format!("{line} {piece}"),
            (false, false) => format!("{line}{piece}"),
        };
        let limit = if lines.is_empty() { first } else { room };
        if width(&joined) <= limit {
            line = joined;
        } else {
            lines.push(std::mem::take(&mut line));
            line = piece;
        }
    }
    lines.push(line);
    lines
}
