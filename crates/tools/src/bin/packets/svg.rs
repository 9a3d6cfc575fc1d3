//! The picture: a sequence diagram, plain SVG with its own text.
use super::table::*;
use super::*;
use unicode_width::UnicodeWidthChar as _;

/// A slide's size: 800 px wide, a packet in 72 px.
pub(crate) const WIDTH: f64 = 800.0;
const CLIENT_X: f64 = 160.0;
const SERVER_X: f64 = 640.0;
const MIDDLE: f64 = (CLIENT_X + SERVER_X) / 2.0; // and the relay's
const ROOM: f64 = WIDTH - 40.0; // a text's widest
const ROW: f64 = 72.0; // one packet
const TOP: f64 = 186.0; // the first packet's label
/// Monospace for Latin text; then fonts with Chinese glyphs, which a
/// browser takes for the characters the first ones lack.
const FONT: &str = "DejaVu Sans Mono, Menlo, Consolas, Noto Sans Mono CJK \
                    SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, \
                    monospace";
/// How wide a column of monospace text is, in em (DejaVu Sans Mono's).
const EM_PER_COLUMN: f64 = 0.61;
/// Text sizes, in px: big enough to read from the back of a classroom
/// when the 800 px picture is projected.
const LABEL_SIZE: f64 = 21.0;
const TEXT_SIZE: f64 = 19.0;
const SMALL_SIZE: f64 = 17.0;
/// The texts' paint: ink, or muted (numbers, subtitle, transfers, waits).
const INK: &str = "fill=\"#1f2328\"";
const MUTED: &str = "fill=\"#424a53\"";
/// What the diagram's `<desc>` starts with; the normalised lines follow.
pub(crate) const SEQUENCE_HEADER: &str =
    "The packets of this run, normalised (no ports, no times; seq and ack \
     relative), one line each:";

fn colour(phase: Phase, lost: bool) -> &'static str {
    match (phase, lost) {
        (_, true) => "#424a53", // grey: it never arrived
        (Phase::Handshake, _) => "#0969da",
        (Phase::Data, _) => "#1a7f37",
        (Phase::Teardown, _) => "#bc4c00",
        (Phase::Trouble, _) => "#cf222e",
    }
}

fn escape(text: &str) -> String {
    let text = text.replace('&', "&amp;").replace('<', "&lt;");
    let text = text.replace('>', "&gt;").replace('"', "&quot;");
    text.replace(char::is_control, " ")
}

/// How wide a text is drawn at `size` px: a column of monospace per
/// Latin letter, 1 em per Chinese character (from a CJK font).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let em = |c: char| match c.width() {
        Some(2) => 1.0,
        _ => EM_PER_COLUMN,
    };
    text.chars().map(em).sum::<f64>() * size
}

/// The size that fits a text into `room` px: `size`, or smaller.
fn fit(text: &str, size: f64, room: f64) -> f64 {
    // (the sizes are whole px)
    (size * room / text_width(text, size)).floor().min(size)
}

/// A text at (x, y), anchored at its start, middle or end, at `size` px
/// or smaller to fit `room` px; `paint` is its colour (and weight); a
/// white halo makes it read over the lifelines.
fn text(
    out: &mut String,
    [x, y, size, room]: [f64; 4],
    anchor: &str,
    paint: &str,
    content: &str,
) {
    let size = fit(content, size, room);
    let _ = writeln!(
        out,
        "<text x=\"{x:.0}\" y=\"{y:.0}\" text-anchor=\"{anchor}\" \
         font-size=\"{size:.0}\" {paint} stroke=\"#ffffff\" \
         stroke-width=\"5\" stroke-linejoin=\"round\" \
         paint-order=\"stroke\">{}</text>",
        escape(content)
    );
}

/// A line from (x1, y1) to (x2, y2), with the rest of its style.
fn line(out: &mut String, [x1, y1, x2, y2]: [f64; 4], style: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.0}\" y1=\"{y1:.0}\" x2=\"{x2:.0}\" \
         y2=\"{y2:.0}\" {style}/>"
    );
}

/// One arrow per packet, with its number, label and meaning (a
/// transfer's start before it), from the top; a connection whose packets
/// repeat an earlier one's (18's short connections) is one line. Returns
/// where the next line would go. A wait before a resend is said in the
/// resend's meaning.
fn arrows(run: &Run, lang: Lang, out: &mut String) -> f64 {
    let tftp = run.loss.is_some();
    let several = run.rows.iter().any(|r| r.conn > 1);
    // a connection's packets, each without the connection's number
    let packets = |conn: usize| -> Vec<String> {
        let rows = run.rows.iter().filter(|row| row.conn == conn);
        rows.map(|row| row.sequence_line().replacen(&conn.to_string(), "", 1))
            .collect()
    };
    let mut y = TOP;
    for (i, row) in run.rows.iter().enumerate() {
        let next_conn = i > 0 && run.rows[i - 1].conn != row.conn;
        let (n, mine) = (row.conn, packets(row.conn));
        if let Some(earlier) = (1..n).find(|&c| packets(c) == mine) {
            // one line between the arrows, between two `⋮`, in italics
            if next_conn {
                let (from, to, count) = (i + 1, i + mine.len(), mine.len());
                let words = words!(
                    "\u{22ee} {from}-{to}: conn {n}, the same {count} packets \
                     as conn {earlier} \u{22ee}",
                    "\u{22ee} {from}-{to}：连接 {n}，和连接 {earlier} 一样的 \
                     {count} 个包 \u{22ee}"
                );
                let paint = format!("{MUTED} font-style=\"italic\"");
                let at = [MIDDLE, y + 8.0, TEXT_SIZE, ROOM];
                text(out, at, "middle", &paint, &words[lang]);
                y += 40.0;
            }
            continue;
        }
        let transfer = &words!("transfer {n}", "第 {n} 次传输")[lang];
        let at_left = |y: f64| [30.0, y, SMALL_SIZE, ROOM];
        if tftp && several && i == 0 {
            text(out, at_left(y - 22.0), "start", MUTED, transfer);
        }
        if tftp && next_conn {
            let dashed = "stroke=\"#8c959f\" stroke-dasharray=\"6 6\"";
            line(out, [30.0, y - 14.0, WIDTH - 30.0, y - 14.0], dashed);
            text(out, at_left(y + 8.0), "start", MUTED, transfer);
            y += 26.0;
        }
        let colour = colour(row.phase, row.lost);
        let (from, to) = match row.from_client {
            true => (CLIENT_X, SERVER_X),
            false => (SERVER_X, CLIENT_X),
        };
        let end = if row.lost { MIDDLE } else { to };
        // the number, and the connection when there are several
        let number = [CLIENT_X - 70.0, y + 20.0, TEXT_SIZE, ROOM];
        text(out, number, "end", MUTED, &(i + 1).to_string());
        if several && !tftp {
            let conn = words!("conn {n}", "连接 {n}");
            let at = [CLIENT_X - 70.0, y + 38.0, SMALL_SIZE, ROOM];
            text(out, at, "end", MUTED, &conn[lang]);
        }
        // the label over the arrow, centred but inside the picture; the
        // arrow; what it means under it
        let numbers = format!("{} {}", row.what, row.numbers());
        let label = row.label.as_ref().unwrap_or(&numbers);
        let half = text_width(label, fit(label, LABEL_SIZE, ROOM)) / 2.0;
        let x = ((from + end) / 2.0).clamp(20.0 + half, WIDTH - 20.0 - half);
        let paint = format!("font-weight=\"bold\" fill=\"{colour}\"");
        text(out, [x, y, LABEL_SIZE, ROOM], "middle", &paint, label);
        let style = match row.lost {
            true => " stroke-dasharray=\"8 5\"".to_string(),
            false => format!(" marker-end=\"url(#head-{})\"", &colour[1..]),
        };
        let style = format!("stroke=\"{colour}\" stroke-width=\"3\"{style}");
        line(out, [from, y + 10.0, end, y + 20.0], &style);
        if row.lost {
            // a red cross where it was lost
            let red = "stroke=\"#cf222e\" stroke-width=\"4\"";
            line(out, [end - 9.0, y + 6.0, end + 9.0, y + 24.0], red);
            line(out, [end + 9.0, y + 6.0, end - 9.0, y + 24.0], red);
        }
        let meaning = [MIDDLE, y + 46.0, TEXT_SIZE, ROOM];
        text(out, meaning, "middle", INK, &row.meaning[lang]);
        y += ROW;
    }
    y
}

/// The sequence diagram: the client's and the server's lifelines (and
/// the relay's, for TFTP), one arrow per packet, top to bottom in time
/// order, the notes and the colours' legend; the normalised sequence goes
/// into `<desc>`; `titles`: the title and the subtitle. The same packets
/// in either language; only the words differ.
pub(crate) fn svg(run: &Run, lang: Lang, titles: [&str; 2]) -> String {
    let [title, subtitle] = titles;
    let mut body = String::new();
    let mut y = arrows(run, lang, &mut body);
    let lifelines_end = y - 14.0;
    y += 14.0;
    for note in &run.notes {
        let width = |line: &str| text_width(line, TEXT_SIZE);
        let room = WIDTH - 60.0;
        for line in wrap(&note[lang], room, room, &width) {
            text(&mut body, [30.0, y, TEXT_SIZE, ROOM], "start", INK, &line);
            y += 27.0;
        }
        y += 10.0;
    }
    y += 8.0;
    // the legend: the colours the packets have, named for TCP or TFTP
    let mut x = 30.0;
    use Phase::*;
    let shown = |phase: &Phase| run.rows.iter().any(|r| r.phase == *phase);
    let phases = [Handshake, Data, Teardown, Trouble].into_iter();
    for phase in phases.filter(shown) {
        let name = match (phase, run.loss.is_some()) {
            (Handshake, false) => ["handshake", "三次握手"],
            (Handshake, true) => ["request, options", "请求、选项"],
            (Data, _) => ["data", "数据"],
            (Teardown, _) => ["teardown", "四次挥手"],
            (Trouble, false) => ["reset", "重置（RST）"],
            (Trouble, true) => ["error, lost", "错误、丢包"],
        }[lang];
        let colour = colour(phase, false);
        let style = format!("stroke=\"{colour}\" stroke-width=\"5\"");
        line(&mut body, [x, y, x + 30.0, y], &style);
        let at = [x + 38.0, y + 6.0, TEXT_SIZE, ROOM];
        text(&mut body, at, "start", INK, name);
        x += 38.0 + text_width(name, TEXT_SIZE) + 30.0;
    }
    let height = y + 28.0;

    // the frame: title, the ends and their lifelines, then the body
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" \
         font-family=\"{FONT}\" xml:lang=\"{}\" role=\"img\" \
         aria-labelledby=\"title\">\n",
        ["en", "zh-CN"][lang]
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
    out += "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    let bold = format!("font-weight=\"bold\" {INK}");
    let at = [WIDTH / 2.0, 38.0, 24.0, ROOM];
    text(&mut out, at, "middle", &bold, title);
    let at = [WIDTH / 2.0, 68.0, TEXT_SIZE, ROOM];
    text(&mut out, at, "middle", MUTED, subtitle);
    // an end: its lifeline, and its box with its role and its name
    let mut end = |x: f64, role: &str, name: &str, w: f64, dash: &str| {
        let style = format!("stroke=\"#8c959f\" stroke-width=\"2\"{dash}");
        line(&mut out, [x, 150.0, x, lifelines_end], &style);
        let _ = writeln!(
            out,
            "<rect x=\"{:.0}\" y=\"86\" width=\"{w:.0}\" height=\"64\" \
             rx=\"8\" fill=\"#f6f8fa\" stroke=\"#8c959f\" \
             stroke-width=\"1.5\"/>",
            x - w / 2.0
        );
        let at = [x, 112.0, LABEL_SIZE, w - 16.0];
        text(&mut out, at, "middle", &bold, role);
        let at = [x, 138.0, TEXT_SIZE, w - 16.0];
        text(&mut out, at, "middle", INK, name);
    };
    let [client, server] = sides(true)[lang];
    end(CLIENT_X, client, &run.names[0], 280.0, "");
    end(SERVER_X, server, &run.names[1], 280.0, "");
    if let Some(loss) = &run.loss {
        let loses = &words!("loses {loss}", "丢掉 {loss}")[lang];
        let dash = " stroke-dasharray=\"4 6\"";
        end(MIDDLE, ["relay", "中继"][lang], loses, 190.0, dash);
    }
    out + &body + "</svg>\n"
}
