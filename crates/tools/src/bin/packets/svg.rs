//! The picture: a sequence diagram, plain SVG with its own text.
use super::*;

/// A slide's size: 800 px wide, a packet in 72 px.
pub(crate) const WIDTH: f64 = 800.0;
pub(crate) const CLIENT_X: f64 = 160.0;
pub(crate) const SERVER_X: f64 = 640.0;
pub(crate) const ROW: f64 = 72.0; // one packet
pub(crate) const TOP: f64 = 186.0; // the first packet's label
/// Monospace for Latin text; then fonts with Chinese glyphs, which a
/// browser takes for the characters the first ones lack.
pub(crate) const FONT: &str =
    "DejaVu Sans Mono, Menlo, Consolas, Noto Sans Mono CJK \
                    SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, \
                    monospace";
/// How wide a column of monospace text is, in em (DejaVu Sans Mono's).
pub(crate) const EM_PER_COLUMN: f64 = 0.61;
/// Text sizes, in px: big enough to read from the back of a classroom
/// when the 800 px picture is projected.
pub(crate) const LABEL_SIZE: f64 = 21.0;
pub(crate) const TEXT_SIZE: f64 = 19.0;
pub(crate) const SMALL_SIZE: f64 = 17.0;
pub(crate) const INK: &str = "#1f2328"; // the text
pub(crate) const MUTED: &str = "#424a53"; // numbers, subtitle, transfers, waits

pub(crate) fn colour(phase: Phase, lost: bool) -> &'static str {
    match (phase, lost) {
        (_, true) => "#424a53", // grey: it never arrived
        (Phase::Handshake, _) => "#0969da",
        (Phase::Data, _) => "#1a7f37",
        (Phase::Teardown, _) => "#bc4c00",
        (Phase::Trouble, _) => "#cf222e",
    }
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// What the diagram's `<desc>` starts with; the normalised lines follow.
pub(crate) const SEQUENCE_HEADER: &str =
    "The packets of this run, normalised (no \
                               ports, no times; seq and ack relative), \
                               one line each:";

/// How wide a text is drawn at `size` px: a column of monospace per
/// Latin letter, 1 em per Chinese character.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let em = |c: char| match columns(&c.to_string()) {
        2 => 1.0, // a Chinese character, from a CJK font: 1 em
        _ => EM_PER_COLUMN,
    };
    text.chars().map(em).sum::<f64>() * size
}

/// The size that fits a text into `room` px: `size`, or smaller.
pub(crate) fn fit(text: &str, size: f64, room: f64) -> f64 {
    let width = text_width(text, size);
    match width > room {
        true => (size * room / width).floor(),
        false => size,
    }
}

/// Text with a white halo, so that it reads over the lifelines: at `size`
/// px, shrunk to fit `room` px if it is wider.
pub(crate) fn text(
    x: f64,
    y: f64,
    anchor: &str,
    style: &str,
    content: &str,
) -> String {
    format!(
        "<text x=\"{x:.0}\" y=\"{y:.0}\" text-anchor=\"{anchor}\" {style} \
         stroke=\"#ffffff\" stroke-width=\"5\" stroke-linejoin=\"round\" \
         paint-order=\"stroke\">{}</text>\n",
        escape(content)
    )
}

/// A line from (x1, y1) to (x2, y2), with the rest of its style.
fn line(out: &mut String, [x1, y1, x2, y2]: [f64; 4], style: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.0}\" y1=\"{y1:.0}\" x2=\"{x2:.0}\" \
         y2=\"{y2:.0}\" {style}/>"
    );
}

/// A text's widest, and the middle between the lifelines.
pub(crate) const ROOM: f64 = WIDTH - 40.0;
pub(crate) const MIDDLE: f64 = (CLIENT_X + SERVER_X) / 2.0;

/// The style of a muted text (numbers, waits ...) of `size` px or less.
fn muted(content: &str, size: f64) -> String {
    sized(content, size, ROOM, &format!("fill=\"{MUTED}\""))
}

/// A muted text of `size` px at (x, y), anchored at its start, middle or
/// end.
fn muted_at(out: &mut String, [x, y, size]: [f64; 3], at: &str, words: &str) {
    out.push_str(&text(x, y, at, &muted(words, size), words));
}

/// A line between the arrows, in the middle, between two `⋮`: what is
/// not a packet (a wait, connections folded into one line).
fn aside(body: &mut String, y: f64, words: &str) {
    let words = format!("\u{22ee} {words} \u{22ee}");
    let style = format!("{} font-style=\"italic\"", muted(&words, TEXT_SIZE));
    body.push_str(&text(MIDDLE, y, "middle", &style, &words));
}

/// The style of a text of `size` px (fitted to `room`) and this colour.
pub(crate) fn sized(content: &str, size: f64, room: f64, rest: &str) -> String {
    let size = fit(content, size, room);
    format!("font-size=\"{size:.0}\" {rest}")
}

/// Where a line may break in Chinese text: between two Chinese
/// characters, but not before closing punctuation nor after opening.
pub(crate) fn breaks_before(previous: char, c: char) -> bool {
    let wide = |c: char| columns(&c.to_string()) == 2;
    let closing = "，。、；：？！）》」』”’";
    let opening = "（《「『“‘";
    (wide(previous) || wide(c))
        && !closing.contains(c)
        && !opening.contains(previous)
}

/// Splits text into lines at most `room` px wide at `size` px.
pub(crate) fn wrap_text(text: &str, size: f64, room: f64) -> Vec<String> {
    wrap_by(text, room, room, &|line| text_width(line, size))
}

/// Splits text into lines as wide as `width` measures them, the first at
/// most `first`, the others `room`: at spaces, and in Chinese between
/// characters, but never before a number (`DATA 4`, `RFC 6298` stay
/// whole). A word wider than a line is cut; one that only the first line
/// has no room for starts the second.
pub(crate) fn wrap_by(
    text: &str,
    first: f64,
    room: f64,
    width: &dyn Fn(&str) -> f64,
) -> Vec<String> {
    // the pieces that stay together, each with the space before it
    let mut pieces: Vec<(bool, String)> = vec![];
    let mut space = false;
    let mut previous = ' ';
    for c in text.chars() {
        if c == ' ' {
            space = true;
        } else {
            let new = match (space, pieces.last_mut()) {
                (_, None) => true,
                (true, Some((_, piece))) if c.is_ascii_digit() => {
                    piece.push(' '); // a number stays with what it counts
                    false
                }
                (true, _) => true,
                (false, _) => breaks_before(previous, c),
            };
            match (new, pieces.last_mut()) {
                (false, Some((_, piece))) => piece.push(c),
                _ => pieces.push((space, c.to_string())),
            }
            space = false;
        }
        previous = c;
    }
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for (space, piece) in pieces {
        let joined = match (line.is_empty(), space) {
            (true, _) => piece.clone(),
            (false, true) => format!("{line} {piece}"),
            (false, false) => format!("{line}{piece}"),
        };
        let fits = |lines: &[String], line: &str| {
            width(line) <= if lines.is_empty() { first } else { room }
        };
        if fits(&lines, &joined) {
            line = joined;
        } else if !line.is_empty()
            || (lines.is_empty() && width(&piece) <= room)
        {
            lines.push(std::mem::take(&mut line));
            line = piece;
        } else {
            line = piece;
        }
        // a piece wider than a line: what fits, then the rest
        while !fits(&lines, &line) {
            let mut cut = 0;
            for (at, c) in line.char_indices() {
                if !fits(&lines, &line[..at + c.len_utf8()]) {
                    break;
                }
                cut = at + c.len_utf8();
            }
            let cut = cut.max(line.chars().next().map_or(1, char::len_utf8));
            lines.push(line[..cut].to_string());
            line = line[cut..].to_string();
        }
    }
    lines.push(line);
    lines
}

/// The TCP connections whose packets are those of an earlier one (18's
/// short connections), each with that connection and its packet count:
/// the picture draws them as one line.
pub(crate) fn repeated(
    run: &Run,
) -> std::collections::HashMap<usize, (usize, usize)> {
    let mut conns: Vec<(usize, Vec<String>)> = vec![];
    for row in run.rows.iter().filter(|_| !run.tftp) {
        let line =
            format!("{} {} {}", row.direction(), row.what, row.numbers());
        match conns.iter_mut().find(|(conn, _)| *conn == row.conn) {
            Some((_, lines)) => lines.push(line),
            None => conns.push((row.conn, vec![line])),
        }
    }
    let mut same = std::collections::HashMap::new();
    for (k, (conn, lines)) in conns.iter().enumerate() {
        if let Some((earlier, _)) = conns[..k].iter().find(|(_, l)| l == lines)
        {
            same.insert(*conn, (*earlier, lines.len()));
        }
    }
    same
}

/// The words of the picture that are not packets, in its language.
pub(crate) fn says(lang: Lang, en: &str) -> &str {
    if lang == Lang::En {
        return en;
    }
    match en {
        "client" => "客户端",
        "server" => "服务器",
        "relay" => "中继",
        "handshake" => "三次握手",
        "request, options" => "请求、选项",
        "data" => "数据",
        "teardown" => "四次挥手",
        "error, lost" => "错误、丢包",
        "reset" => "重置（RST）",
        other => other,
    }
}

/// One arrow per packet, with its number, label and meaning (a wait
/// before it, a transfer's start; a repeated connection folded into one
/// line), from the top; returns where the next line would go.
fn arrows(run: &Run, lang: Lang, body: &mut String) -> f64 {
    let many = !run.tftp && run.rows.iter().any(|r| r.conn > 1);
    let transfers = run.tftp && run.rows.iter().any(|r| r.conn > 1);
    let mut y = TOP;
    let same = repeated(run);
    for (i, row) in run.rows.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &run.rows[p]);
        // a connection that repeats an earlier one: one line says so
        if let Some(&(earlier, count)) = same.get(&row.conn) {
            if previous.is_some_and(|p| p.conn != row.conn) {
                let (n, conn) = (row.conn, earlier);
                let words = match lang {
                    Lang::En => format!(
                        "{}-{}: conn {n}, the same {count} packets as conn \
                         {conn}",
                        i + 1,
                        i + count
                    ),
                    Lang::Zh => format!(
                        "{}-{}：连接 {n}，和连接 {conn} 一样的 {count} 个包",
                        i + 1,
                        i + count
                    ),
                };
                aside(body, y + 8.0, &words);
                y += 40.0;
            }
            continue;
        }
        let gap = previous.map_or(0.0, |p| row.time - p.time);
        // a long silence, or the wait before a packet is sent again
        if gap >= 0.3 || (row.again && gap >= 0.05) {
            let words = match lang {
                Lang::En => format!("{} s without a packet", seconds(gap)),
                Lang::Zh => format!("{} 秒内一个包也没有", seconds(gap)),
            };
            aside(body, y + 2.0, &words);
            y += 34.0;
        }
        let label = match lang {
            Lang::En => format!("transfer {}", row.conn),
            Lang::Zh => format!("第 {} 次传输", row.conn),
        };
        if transfers && previous.is_none() {
            muted_at(body, [30.0, y - 22.0, SMALL_SIZE], "start", &label);
        }
        if run.tftp && previous.is_some_and(|p| p.conn != row.conn) {
            let dashed = "stroke=\"#8c959f\" stroke-dasharray=\"6 6\"";
            line(body, [30.0, y - 14.0, WIDTH - 30.0, y - 14.0], dashed);
            muted_at(body, [30.0, y + 8.0, SMALL_SIZE], "start", &label);
            y += 26.0;
        }
        let colour = colour(row.phase, row.lost);
        let (from, to) = match row.from_client {
            true => (CLIENT_X, SERVER_X),
            false => (SERVER_X, CLIENT_X),
        };
        let end = if row.lost { MIDDLE } else { to };
        // the number, and the connection when there are several
        let number = (i + 1).to_string();
        muted_at(body, [CLIENT_X - 70.0, y + 20.0, TEXT_SIZE], "end", &number);
        if many {
            let conn = match lang {
                Lang::En => format!("conn {}", row.conn),
                Lang::Zh => format!("连接 {}", row.conn),
            };
            let at = [CLIENT_X - 70.0, y + 38.0, SMALL_SIZE];
            muted_at(body, at, "end", &conn);
        }
        // the label over the arrow, the arrow, what it means under it
        let label = match &row.label {
            Some(label) => label.clone(),
            None => format!("{} {}", row.what, row.numbers()),
        };
        let label = match label.chars().count() > 56 {
            true => label.chars().take(55).collect::<String>() + "\u{2026}",
            false => label,
        };
        let rest = format!("font-weight=\"bold\" fill=\"{colour}\"");
        let style = sized(&label, LABEL_SIZE, ROOM, &rest);
        // centred over its arrow, but inside the picture
        let half = text_width(&label, fit(&label, LABEL_SIZE, ROOM)) / 2.0;
        let x = ((from + end) / 2.0).clamp(20.0 + half, WIDTH - 20.0 - half);
        body.push_str(&text(x, y, "middle", &style, &label));
        let dash = if row.lost {
            " stroke-dasharray=\"8 5\""
        } else {
            ""
        };
        let head = match row.lost {
            true => String::new(),
            false => format!(" marker-end=\"url(#head-{})\"", &colour[1..]),
        };
        let style =
            format!("stroke=\"{colour}\" stroke-width=\"3\"{dash}{head}");
        line(body, [from, y + 10.0, end, y + 20.0], &style);
        if row.lost {
            let _ = writeln!(
                body,
                "<path d=\"M{:.0},{:.0} l18,18 m0,-18 l-18,18\" \
                 stroke=\"#cf222e\" stroke-width=\"4\"/>",
                end - 9.0,
                y + 6.0
            );
        }
        let meaning = row.meaning.get(lang);
        let style = sized(meaning, TEXT_SIZE, ROOM, &format!("fill=\"{INK}\""));
        body.push_str(&text(MIDDLE, y + 46.0, "middle", &style, meaning));
        y += ROW;
    }
    y
}

/// The notes under the diagram, then the colours' legend, from `y`;
/// returns the picture's height.
fn notes_and_legend(
    run: &Run,
    lang: Lang,
    mut y: f64,
    body: &mut String,
) -> f64 {
    y += 14.0;
    for note in &run.notes {
        for line in wrap_text(note.get(lang), TEXT_SIZE, WIDTH - 60.0) {
            let style = format!("font-size=\"{TEXT_SIZE:.0}\" fill=\"{INK}\"");
            body.push_str(&text(30.0, y, "start", &style, &line));
            y += 27.0;
        }
        y += 10.0;
    }
    y += 8.0;
    let phases = [
        (
            Phase::Handshake,
            if run.tftp {
                "request, options"
            } else {
                "handshake"
            },
        ),
        (Phase::Data, "data"),
        (Phase::Teardown, "teardown"),
        (
            Phase::Trouble,
            if run.tftp { "error, lost" } else { "reset" },
        ),
    ];
    let mut x = 30.0;
    for (phase, name) in phases {
        if !run.rows.iter().any(|r| r.phase == phase) {
            continue;
        }
        let name = says(lang, name);
        let style =
            format!("stroke=\"{}\" stroke-width=\"5\"", colour(phase, false));
        line(body, [x, y, x + 30.0, y], &style);
        let style = format!("font-size=\"{TEXT_SIZE:.0}\" fill=\"{INK}\"");
        body.push_str(&text(x + 38.0, y + 6.0, "start", &style, name));
        x += 38.0 + text_width(name, TEXT_SIZE) + 30.0;
    }
    y + 28.0
}

/// The sequence diagram: the client's and the server's lifelines (and
/// the relay's, for TFTP), one arrow per packet, top to bottom in time
/// order; the normalised sequence goes into `<desc>`. The same packets
/// in either language; only the words differ.
pub(crate) fn svg(
    run: &Run,
    lang: Lang,
    title: &str,
    subtitle: &str,
) -> String {
    let mut body = String::new();
    let y = arrows(run, lang, &mut body);
    let lifelines_end = y - 14.0;
    let height = notes_and_legend(run, lang, y, &mut body);

    // the frame: title, the ends and their lifelines, then the rows
    let mut out = String::new();
    let xml_lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" \
         font-family=\"{FONT}\" xml:lang=\"{xml_lang}\" role=\"img\" \
         aria-labelledby=\"title\">"
    );
    let _ = writeln!(out, "<title id=\"title\">{}</title>", escape(title));
    let _ = writeln!(out, "<desc>{SEQUENCE_HEADER}");
    for row in &run.rows {
        let _ = writeln!(out, "{}", escape(&row.sequence_line()));
    }
    let _ = writeln!(out, "</desc>\n<defs>");
    for colour in ["#0969da", "#1a7f37", "#bc4c00", "#cf222e"] {
        let _ = writeln!(
            out,
            "<marker id=\"head-{}\" viewBox=\"0 0 10 10\" refX=\"9\" \
             refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" \
             orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" \
             fill=\"{colour}\"/></marker>",
            &colour[1..]
        );
    }
    let _ = writeln!(out, "</defs>");
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    let rest = format!("font-weight=\"bold\" fill=\"{INK}\"");
    let style = sized(title, 24.0, ROOM, &rest);
    out.push_str(&text(WIDTH / 2.0, 38.0, "middle", &style, title));
    muted_at(&mut out, [WIDTH / 2.0, 68.0, TEXT_SIZE], "middle", subtitle);
    let mut ends = vec![
        (CLIENT_X, "client", run.names[0].as_str(), 280.0),
        (SERVER_X, "server", run.names[1].as_str(), 280.0),
    ];
    if let Some(relay) = &run.relay {
        ends.push((MIDDLE, "relay", relay.get(lang), 190.0));
    }
    for (x, role, name, w) in ends {
        let dash = match role {
            "relay" => " stroke-dasharray=\"4 6\"",
            _ => "",
        };
        let style = format!("stroke=\"#8c959f\" stroke-width=\"2\"{dash}");
        line(&mut out, [x, 150.0, x, lifelines_end], &style);
        let _ = writeln!(
            out,
            "<rect x=\"{:.0}\" y=\"86\" width=\"{w:.0}\" height=\"64\" \
             rx=\"8\" fill=\"#f6f8fa\" stroke=\"#8c959f\" \
             stroke-width=\"1.5\"/>",
            x - w / 2.0
        );
        let role = says(lang, role);
        let rest = format!("font-weight=\"bold\" fill=\"{INK}\"");
        let style = sized(role, LABEL_SIZE, w - 16.0, &rest);
        out.push_str(&text(x, 112.0, "middle", &style, role));
        let style =
            sized(name, TEXT_SIZE, w - 16.0, &format!("fill=\"{INK}\""));
        out.push_str(&text(x, 138.0, "middle", &style, name));
    }
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}
