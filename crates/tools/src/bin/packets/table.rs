//! The table: one row per packet, wrapped to a projector's 80 columns; and
//! the wrapping of text, which the picture's notes share.
use super::*;
// a text's columns on a terminal (two for a Chinese character)
use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

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
    let column = head.width(); // where every meaning starts
    let width = |text: &str| text.width() as f64;
    for (i, row) in run.rows.iter().enumerate() {
        let [me, other] = sides(row.from_client)[lang];
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
        let first = COLUMNS.saturating_sub(cells.width());
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

/// The two ends, the sender first, in English and in Chinese.
pub(crate) fn sides(from_client: bool) -> [[&'static str; 2]; 2] {
    let ends = [["client", "server"], ["客户端", "服务器"]];
    ends.map(|[client, server]| match from_client {
        true => [client, server],
        false => [server, client],
    })
}

/// Where a line may break in Chinese text: between two Chinese
/// characters, but not before closing punctuation nor after opening.
fn breaks_before(previous: char, c: char) -> bool {
    let wide = |c: char| c.width() == Some(2);
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
    // the pieces that stay together, each with the space before it
    let (mut pieces, mut previous) = (Vec::<String>::new(), ' ');
    for c in text.chars() {
        let space = previous == ' ';
        match pieces.last_mut() {
            _ if c == ' ' => {}
            // a number stays with what it counts
            Some(piece) if space && c.is_ascii_digit() => {
                piece.extend([' ', c])
            }
            Some(piece) if !space && !breaks_before(previous, c) => {
                piece.push(c)
            }
            _ => pieces.push(format!("{}{c}", if space { " " } else { "" })),
        }
        previous = c;
    }
    // a piece wider than a line goes a character at a time (a space with
    // the character after it)
    let pieces = pieces.into_iter().flat_map(|piece| {
        let chars = piece.split_inclusive(|c| c != ' ').map(String::from);
        match width(piece.trim_start()) > room {
            true => chars.collect(),
            false => vec![piece],
        }
    });
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for piece in pieces {
        let joined = line.clone() + &piece;
        let joined = joined.trim_start(); // a line starts with no space
        let limit = if lines.is_empty() { first } else { room };
        if width(joined) <= limit {
            line = joined.to_string();
        } else {
            lines.push(line);
            line = piece.trim_start().to_string();
        }
    }
    lines.push(line);
    lines
}
