use super::*;
use super::{pcap::*, same::*, svg::*, table::*, tcp::*, tftp::*, udp::*};
use unicode_width::UnicodeWidthStr as _;

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

/// A pcap file of Ethernet frames holding IPv4 TCP/UDP packets.
fn pcap(packets: &[(f64, [u16; 2], Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    out.extend([0; 8]);
    out.extend(65535u32.to_le_bytes());
    out.extend(1u32.to_le_bytes());
    for (time, ports, transport) in packets {
        let mut ip = vec![0x45, 0];
        ip.extend(((20 + transport.len()) as u16).to_be_bytes());
        ip.extend([0, 0, 0x40, 0, 64]);
        let length = u16::from_be_bytes([transport[4], transport[5]]);
        let udp = usize::from(length) == transport.len();
        ip.push(if udp { 17 } else { 6 });
        ip.extend([0, 0, 127, 0, 0, 1, 127, 0, 0, 1]);
        let mut t = transport.clone();
        t[0..2].copy_from_slice(&ports[0].to_be_bytes());
        t[2..4].copy_from_slice(&ports[1].to_be_bytes());
        ip.extend(t);
        let mut frame = vec![0; 12];
        frame.extend([0x08, 0x00]);
        frame.extend(ip);
        out.extend((*time as u32).to_le_bytes());
        out.extend((((time.fract()) * 1e6) as u32).to_le_bytes());
        out.extend((frame.len() as u32).to_le_bytes());
        out.extend((frame.len() as u32).to_le_bytes());
        out.extend(frame);
    }
    out
}

fn tcp_segment(seq: u32, ack: u32, flags: u8, len: usize) -> Vec<u8> {
    let mut t = vec![0, 0, 0, 0];
    t.extend(seq.to_be_bytes());
    t.extend(ack.to_be_bytes());
    t.extend([0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend(vec![b'x'; len]);
    t
}

fn udp_datagram(payload: &[u8]) -> Vec<u8> {
    let mut u = vec![0, 0, 0, 0];
    u.extend(((8 + payload.len()) as u16).to_be_bytes());
    u.extend([0, 0]);
    u.extend(payload);
    u
}

/// A client on 5000 and a server on 80: handshake, 5 bytes each way,
/// a teardown in 3 packets.
fn conversation() -> Vec<(f64, [u16; 2], Vec<u8>)> {
    let (c, s) = (1000, 9000); // initial sequence numbers
    vec![
        (1.0, [5000, 80], tcp_segment(c, 0, SYN, 0)),
        (1.1, [80, 5000], tcp_segment(s, c + 1, SYN | ACK, 0)),
        (1.2, [5000, 80], tcp_segment(c + 1, s + 1, ACK, 0)),
        (1.3, [5000, 80], tcp_segment(c + 1, s + 1, PSH | ACK, 5)),
        (1.4, [80, 5000], tcp_segment(s + 1, c + 6, ACK, 0)),
        (1.5, [80, 5000], tcp_segment(s + 1, c + 6, PSH | ACK, 5)),
        (1.6, [5000, 80], tcp_segment(c + 6, s + 6, FIN | ACK, 0)),
        (1.7, [80, 5000], tcp_segment(s + 6, c + 7, FIN | ACK, 0)),
        (1.8, [5000, 80], tcp_segment(c + 7, s + 7, ACK, 0)),
    ]
}

/// A run of a pair's rows and notes, and of the relay's loss (TFTP).
fn run_of((rows, notes): (Vec<Row>, Vec<Words>), loss: Option<&str>) -> Run {
    let names = ["05-tcp-client".into(), "08-tcp-server-multi".into()];
    let loss = loss.map(String::from);
    Run {
        names,
        loss,
        rows,
        notes,
    }
}

#[test]
fn tcp_numbers_are_relative_as_in_wireshark() {
    let frames = read_pcap(&pcap(&conversation())).unwrap();
    let run = run_of(tcp(&frames, 80), None);
    let lines: Vec<String> = run.rows.iter().map(Row::sequence_line).collect();
    assert_eq!(
        lines[..3],
        [
            "1 client>server SYN seq=0 len=0",
            "1 server>client SYN-ACK seq=0 ack=1 len=0",
            "1 client>server ACK seq=1 ack=1 len=0",
        ]
    );
    assert_eq!(lines[7], "1 server>client FIN-ACK seq=6 ack=7 len=0");
    assert_eq!(run.rows[2].meaning[0], "handshake 3: ok");
    assert_eq!(run.rows[2].meaning[1], "第三次握手：行");
    assert_eq!(
        run.rows[7].meaning,
        [
            "server is done too, and ACKs the client's FIN",
            "服务器也说完了，并确认客户端的 FIN"
        ]
    );
    assert!(run.notes[1][0].starts_with(
        "Why 3 packets to close where the tutorial draws 4 (packet 8): \
         FIN and ACK travel together."
    ));
    assert!(run.notes[1][0].contains("(ack=7)"), "{:?}", run.notes[1]);
    assert!(run.notes[1][1].starts_with(
        "教程画的四次挥手有 4 个包，这里关闭只用了 3 个（第 8 个包），"
    ));
    assert!(run.notes[1][1].contains("（ack=7）"), "{:?}", run.notes[1]);
}

#[test]
fn the_diagram_keeps_the_sequence_it_shows() {
    let frames = read_pcap(&pcap(&conversation())).unwrap();
    let run = run_of(tcp(&frames, 80), None);
    let picture = svg(&run, EN, ["a <test> & more", "a run"]);
    assert!(picture
        .contains("<title id=\"title\">a &lt;test&gt; &amp; more</title>"));
    let lines = sequence_of(&picture).unwrap();
    assert_eq!(lines.len(), 9);
    assert_eq!(lines[3], "1 client>server PSH-ACK seq=1 ack=1 len=5");
    assert!(picture.contains(">SYN-ACK seq=0 ack=1 len=0</text>"));
    assert!(picture.contains(">handshake 3: ok</text>"));
    assert!(!picture.contains("<script") && !picture.contains("@import"));
}

/// The Chinese picture: the same packets and labels, the words in
/// Chinese, fonts with Chinese glyphs named.
#[test]
fn the_chinese_picture_shows_the_same_packets_in_chinese() {
    let frames = read_pcap(&pcap(&conversation())).unwrap();
    let run = run_of(tcp(&frames, 80), None);
    let en = svg(&run, EN, ["TCP: a and b", "a run"]);
    let zh = svg(&run, ZH, ["TCP：a 和 b", "一次运行"]);
    assert_eq!(sequence_of(&en), sequence_of(&zh));
    assert!(zh.contains("xml:lang=\"zh-CN\""));
    assert!(zh.contains("Noto Sans CJK SC"));
    assert!(zh.contains("<title id=\"title\">TCP：a 和 b</title>"));
    for words in [
        ">SYN-ACK seq=0 ack=1 len=0</text>",
        ">第一次握手：能连吗？</text>",
        ">客户端</text>",
        ">三次握手</text>",
        ">四次挥手</text>",
    ] {
        assert!(zh.contains(words), "{words}");
    }
    for english in ["handshake", ">client<", "acknowledges", "Why 3"] {
        assert!(!zh.contains(english), "{english}");
    }
}

/// Every text of a picture fits its width, in either language: long
/// notes wrap (Chinese between characters), a long label shrinks.
#[test]
fn pictures_keep_their_text_inside() {
    let frames = read_pcap(&pcap(&conversation())).unwrap();
    let mut run = run_of(tcp(&frames, 80), None);
    run.rows[4].meaning = ["m".repeat(120), "长".repeat(70)];
    for lang in [EN, ZH] {
        let picture = svg(&run, lang, [&"T".repeat(90), "a run"]);
        for element in picture.split("<text ").skip(1) {
            let number = |name: &str| -> f64 {
                let at = element.find(&format!("{name}=\"")).unwrap();
                let rest = &element[at + name.len() + 2..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            };
            let (x, size) = (number("x"), number("font-size"));
            let content = &element[element.find('>').unwrap() + 1..];
            let content = &content[..content.find("</text>").unwrap()];
            let content = content.replace("&amp;", "&");
            let width = text_width(&content, size);
            let (left, right) = match element {
                e if e.contains("\"middle\"") => {
                    (x - width / 2.0, x + width / 2.0)
                }
                e if e.contains("\"end\"") => (x - width, x),
                _ => (x, x + width),
            };
            assert!(left >= 0.0 && right <= WIDTH, "{lang:?}: {element}");
        }
    }
}

/// Two connections that overlap (18's): each connection's packets
/// together, whatever the order they came in, and in the picture a
/// connection that repeats an earlier one is one line.
#[test]
fn overlapping_connections_are_shown_one_after_the_other() {
    let (first, second) = (conversation(), conversation());
    let mut packets = vec![];
    for (a, b) in first.into_iter().zip(second) {
        packets.push(a);
        let port = |p: u16| if p == 5000 { 5001 } else { p };
        packets.push((b.0 + 0.05, [port(b.1[0]), port(b.1[1])], b.2));
    }
    let frames = read_pcap(&pcap(&packets)).unwrap();
    let run = run_of(tcp(&frames, 80), None);
    let conns: Vec<usize> = run.rows.iter().map(|r| r.conn).collect();
    assert_eq!(conns, [[1; 9], [2; 9]].concat());
    let picture = svg(&run, EN, ["t", "s"]);
    assert!(picture.contains(
        ">\u{22ee} 10-18: conn 2, the same 9 packets as conn 1 \u{22ee}<"
    ));
    assert_eq!(
        picture.matches("<line x1=\"160\"").count()
            + picture.matches("<line x1=\"640\"").count(),
        9 + 2
    );
    // the sequence in <desc> keeps every packet
    assert_eq!(sequence_of(&picture).unwrap().len(), 18);
}

/// UDP: each datagram with its text; a datagram that comes back the same
/// is the echo; one to a broadcast address says so.
#[test]
fn udp_datagrams_show_their_text() {
    let packets = vec![
        (1.0, [5000, 80], udp_datagram(b"hello")),
        (1.1, [80, 5000], udp_datagram(b"hello")),
        (1.2, [5000, 80], udp_datagram("你好".as_bytes())),
    ];
    let frames = read_pcap(&pcap(&packets)).unwrap();
    let run = run_of(udp(&frames, 80), None);
    let text = table(&run, EN);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        "No.  conn  direction         packet     len  meaning"
    );
    assert_eq!(
        rows[1],
        "  1     1  client -> server  UDP          5  \"hello\", sent alone"
    );
    assert_eq!(
        rows[2],
        "  2     1  server -> client  UDP          5  \"hello\" back: the echo"
    );
    assert_eq!(
        rows[3],
        "  3     1  client -> server  UDP          6  \"你好\", sent alone"
    );
    assert!(text.contains("UDP has no connection"), "{text}");
    let zh = table(&run, ZH);
    assert!(
        zh.contains("  UDP          5  \"hello\" 原样送回：回显\n"),
        "{zh}"
    );
    let mut broadcast = frames[0].clone();
    broadcast.dst = "127.255.255.255:80".parse().unwrap();
    let run = run_of(udp(&[broadcast], 80), None);
    assert_eq!(
        run.rows[0].meaning[0],
        "\"hello\" to every socket on the port (broadcast)"
    );
}

/// Text wrapped to lines `room` px wide at `size` px, as the picture
/// wraps its notes.
fn wrap_text(text: &str, size: f64, room: f64) -> Vec<String> {
    wrap(text, room, room, &|line| text_width(line, size))
}

/// Text wrapped to `room` columns, the first line `first`, as the table
/// wraps a meaning.
fn wrap_from(text: &str, first: usize, room: usize) -> Vec<String> {
    let width = |text: &str| text.width() as f64;
    wrap(text, first as f64, room as f64, &width)
}

#[test]
fn chinese_wraps_between_characters_and_keeps_numbers_whole() {
    let size = 10.0; // a Chinese character 10 px, a letter 6.1 px
    assert_eq!(
        wrap_text("一二三四五六，七八", size, 60.0),
        ["一二三四五", "六，七八"]
    );
    // no closing punctuation at a line's start, no opening at its end
    assert_eq!(
        wrap_text("一二三四五，六七", size, 50.0),
        ["一二三四", "五，六七"]
    );
    assert_eq!(
        wrap_text("一二三四（五六）", size, 50.0),
        ["一二三四", "（五六）"]
    );
    // DATA 4 and RFC 6298 stay on one line; words break at spaces
    assert_eq!(
        wrap_text("重发 DATA 4 and RFC 6298", size, 70.0),
        ["重发 DATA 4", "and", "RFC 6298"]
    );
    // a word wider than a line is cut, nothing lost
    let cut = wrap_text(&"x".repeat(30), size, 61.0);
    assert_eq!(cut.concat(), "x".repeat(30));
    assert!(cut.iter().all(|l| text_width(l, size) <= 61.0), "{cut:?}");
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim().to_string()).collect()
}

#[test]
fn an_ack_that_rides_along_is_the_same_run() {
    let three = lines(
        "1 client>server FIN-ACK seq=6 ack=16 len=0
         1 server>client FIN-ACK seq=16 ack=7 len=0
         1 client>server ACK seq=7 ack=17 len=0",
    );
    let four = lines(
        "1 client>server FIN-ACK seq=6 ack=16 len=0
         1 server>client ACK seq=16 ack=7 len=0
         1 server>client FIN-ACK seq=16 ack=7 len=0
         1 client>server ACK seq=7 ack=17 len=0",
    );
    assert_eq!(compare(&three, &four), None);
    // but a missing last ACK, or another length, is a difference
    assert!(compare(&three, &three[..2]).is_some());
    let mut longer = three.clone();
    longer[0] = "1 client>server FIN-ACK seq=6 ack=17 len=0".into();
    assert!(compare(&three, &longer).is_some());
    // and connections are compared one by one, whatever interleaving
    let two = lines(
        "1 client>server SYN seq=0 len=0
         2 client>server SYN seq=0 len=0
         1 server>client RST-ACK seq=1 ack=1 len=0",
    );
    let other_order = lines(
        "1 client>server SYN seq=0 len=0
         1 server>client RST-ACK seq=1 ack=1 len=0
         2 client>server SYN seq=0 len=0",
    );
    assert_eq!(compare(&two, &other_order), None);
    assert!(compare(&two, &two[..2]).is_some());
}

#[test]
fn the_handshake_ack_always_counts() {
    let with = lines(
        "1 client>server SYN seq=0 len=0
         1 server>client SYN-ACK seq=0 ack=1 len=0
         1 client>server ACK seq=1 ack=1 len=0
         1 client>server PSH-ACK seq=1 ack=1 len=5",
    );
    let mut without = with.clone();
    without.remove(2);
    assert!(compare(&with, &without).is_some());
}

/// A client (4000) asks the relay (6970), which passes to the server
/// (6969, answering from 7000) from its own port (5000). The first
/// request is lost (the relay's rule: the first RRQ); its identical
/// resend goes through.
#[test]
fn tftp_losses_are_the_first_of_each_direction_the_relay_names() {
    let rrq = b"\x00\x01f.bin\x00octet\x00tsize\x000\x00".to_vec();
    let oack = b"\x00\x06tsize\x00600\x00".to_vec();
    let data1 = [&[0, 3, 0, 1][..], &[7; 512]].concat();
    let data2 = [&[0, 3, 0, 2][..], &[7; 88]].concat();
    let d = |p: &[u8]| udp_datagram(p);
    let capture = pcap(&[
        (1.0, [4000, 6970], d(&rrq)),
        (2.0, [4000, 6970], d(&rrq)),
        (2.001, [5000, 6969], d(&rrq)),
        (2.002, [7000, 5000], d(&oack)),
        (2.003, [6970, 4000], d(&oack)),
        (2.004, [4000, 6970], d(&[0, 4, 0, 0])),
        (2.005, [5000, 7000], d(&[0, 4, 0, 0])),
        (2.006, [7000, 5000], d(&data1)),
        (2.007, [6970, 4000], d(&data1)),
        (2.008, [4000, 6970], d(&[0, 4, 0, 1])),
        (2.009, [5000, 7000], d(&[0, 4, 0, 1])),
        (2.010, [7000, 5000], d(&data2)),
        (2.011, [6970, 4000], d(&data2)),
        (2.012, [4000, 6970], d(&[0, 4, 0, 2])),
        (2.013, [5000, 7000], d(&[0, 4, 0, 2])),
    ]);
    let frames = read_pcap(&capture).unwrap();
    let rows = tftp(&frames, 6970, 6969, "RRQ").unwrap();
    let run = run_of(rows, Some("RRQ"));
    let got: Vec<String> = run.rows.iter().map(Row::sequence_line).collect();
    assert_eq!(
        got,
        [
            "1 client>server RRQ len=22 lost",
            "1 client>server RRQ len=22",
            "1 server>client OACK len=12",
            "1 client>server ACK 0 len=4",
            "1 server>client DATA 1 len=516",
            "1 client>server ACK 1 len=4",
            "1 server>client DATA 2 len=92",
            "1 client>server ACK 2 len=4",
        ]
    );
    assert_eq!(run.rows[1].meaning[0], "no answer for 1.0 s: sent again");
    assert_eq!(run.rows[1].meaning[1], "等了 1.0 秒没有回答：重发");
    assert_eq!(
        run.rows[2].meaning[0],
        "options accepted, from a new port (the transfer ID)"
    );
    assert_eq!(run.rows[6].meaning[0], "block 2, less than 512 bytes: last");
    assert_eq!(run.rows[6].meaning[1], "第 2 块，不满 512 字节：最后一块");
    assert_eq!(
        run.rows[0].label.as_deref(),
        Some("RRQ f.bin octet tsize=0")
    );
    let table = table(&run, EN);
    let lost = [
        "  1     1  client -> server  RRQ         22  read request, to the \
         server's port",
        "                                             - lost by the relay",
    ];
    assert!(table.contains(&lost.join("\n")), "{table}");
    for line in table.lines() {
        assert!(line.width() <= 80, "{line:?}");
    }
}

/// A block lost after a round trip was measured: sent again after a
/// wait that the picture shows, with the round trip beside it.
#[test]
fn tftp_shows_the_wait_and_the_round_trip_before_a_resend() {
    let rrq = b"\x00\x01f.bin\x00octet\x00".to_vec();
    let data1 = [&[0, 3, 0, 1][..], &[7; 512]].concat();
    let data2 = [&[0, 3, 0, 2][..], &[7; 100]].concat();
    let d = |p: &[u8]| udp_datagram(p);
    let capture = pcap(&[
        (1.0, [4000, 6970], d(&rrq)),
        (1.001, [5000, 6969], d(&rrq)),
        (1.002, [7000, 5000], d(&data1)),
        (1.052, [6970, 4000], d(&data1)),
        (1.053, [4000, 6970], d(&[0, 4, 0, 1])),
        (1.103, [5000, 7000], d(&[0, 4, 0, 1])),
        (1.104, [7000, 5000], d(&data2)),
        (1.404, [7000, 5000], d(&data2)),
        (1.454, [6970, 4000], d(&data2)),
        (1.455, [4000, 6970], d(&[0, 4, 0, 2])),
        (1.505, [5000, 7000], d(&[0, 4, 0, 2])),
    ]);
    let frames = read_pcap(&capture).unwrap();
    let rows = tftp(&frames, 6970, 6969, "DATA 2").unwrap();
    let run = run_of(rows, Some("DATA 2"));
    let got: Vec<String> = run.rows.iter().map(Row::sequence_line).collect();
    assert_eq!(
        got,
        [
            "1 client>server RRQ len=14",
            "1 server>client DATA 1 len=516",
            "1 client>server ACK 1 len=4",
            "1 server>client DATA 2 len=104 lost",
            "1 server>client DATA 2 len=104",
            "1 client>server ACK 2 len=4",
        ]
    );
    assert_eq!(
        run.rows[4].meaning,
        [
            "no answer for 0.30 s: sent again (a round trip took 0.10 s)",
            "等了 0.30 秒没有回答：重发（一次往返用了 0.10 秒）"
        ]
    );
    let lost = "第 2 块，不满 512 字节：最后一块——被中继丢掉了";
    assert_eq!(run.rows[3].meaning[1], lost);
    assert!(run.notes[0][0].starts_with(
        "The relay passes every datagram on but the first DATA 2 \
         (packet 4): every run loses the same packet."
    ));
    assert!(run.notes[0][1].contains("只丢掉第一个 DATA 2（第 4 个包）"));
    let picture = svg(&run, ZH, ["t", "s"]);
    assert!(picture
        .contains(">等了 0.30 秒没有回答：重发（一次往返用了 0.10 秒）<"));
    assert!(picture.contains(">丢掉 DATA 2</text>"));
    let picture = svg(&run, EN, ["t", "s"]);
    assert!(picture.contains(
        ">no answer for 0.30 s: sent again (a round trip took 0.10 s)<"
    ));
    assert!(picture.contains(">loses DATA 2</text>"));
}

/// The table fits an 80-column projector: a meaning too long for its
/// column wraps inside it, at spaces (between Chinese characters), even
/// after wide cells.
#[test]
fn the_table_fits_80_columns() {
    let frames = read_pcap(&pcap(&conversation())).unwrap();
    let mut run = run_of(tcp(&frames, 80), None);
    let table = table(&run, EN);
    let piggybacked = [
        "  8     1  server -> client  FIN-ACK      6     7     0  server \
         is done too, and",
        "                                                         ACKs the \
         client's FIN",
        "  9     1  client -> server  ACK          7     7     0  \
         acknowledges the FIN",
    ];
    assert!(table.contains(&piggybacked.join("\n")), "{table}");
    // the same table in Chinese: its words, the same columns
    let chinese = super::table::table(&run, ZH);
    let head = "序号  连接  方向              标志       seq   ack  长度  含义";
    assert!(chinese.starts_with(head), "{chinese}");
    assert!(chinese
        .contains("  1     1  客户端 -> 服务器  SYN          0     -     0  "));
    assert!(chinese.lines().all(|line| line.width() <= 80), "{chinese}");
    // a flag name and numbers wider than their cells, a long word
    run.rows[3].what = "FIN-PSH-ACK".into();
    run.rows[3].ack = Some(4_000_000_000);
    run.rows[4].meaning[0] = format!("x {} y", "服".repeat(20));
    run.rows[5].meaning[0] = "a".repeat(100);
    let table = super::table::table(&run, EN);
    for line in table.lines() {
        assert!(line.width() <= 80, "{line:?}");
    }
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[4].ends_with(" 4000000000     5  5 bytes of data"));
    let column = " ".repeat(57);
    assert_eq!(
        lines[5..7],
        [
            &format!(
                "  5     1  server -> client  ACK          1     6     0  x {}",
                "服".repeat(10)
            ),
            &format!("{column}{} y", "服".repeat(10)),
        ]
    );
    assert!(lines[7].ends_with("     5  aaaaaaaaaaaaaaaaaaaaaaa"));
    assert_eq!(lines[11], format!("{column}aaaaaaaa"));
    // no room on the first line: the text starts on the second
    assert_eq!(wrap_from("ab cd", 1, 5), ["", "ab cd"]);
    assert_eq!(wrap_from("abcdefg", 2, 3), ["ab", "cde", "fg"]);
    // a long word cut with its number: no space at a line's edge
    assert_eq!(wrap_from("xxxx 4", 2, 2), ["xx", "xx", "4"]);
}

#[test]
fn tftp_packets_are_read_from_their_bytes() {
    let mut blksize = 512;
    let mut named = |bytes: &[u8]| {
        let (what, label, ..) = describe(bytes, &mut blksize);
        (what, label)
    };
    let error = b"\x00\x05\x00\x01file not found\x00";
    let error_label = "ERROR 1 file not found".to_string();
    assert_eq!(named(error), ("ERROR 1".into(), error_label));
    let rrq = b"\x00\x01a\x1bb\x00octet\x00blksize\x00512\x00";
    let rrq_label = "RRQ a?b octet blksize=512".to_string();
    assert_eq!(named(rrq), ("RRQ".into(), rrq_label));
    let data = named(b"\x00\x03\x00\x07");
    assert_eq!(data, ("DATA 7".into(), "DATA 7: 0 bytes".into()));
    assert_eq!(named(b"\x00"), ("opcode 0".into(), "opcode 0".into()));
    named(b"\x00\x06blksize\x001024\x00");
    assert_eq!(blksize, 1024);
}

#[test]
fn not_a_capture_is_a_clear_error() {
    assert_eq!(
        read_pcap(b"hello").unwrap_err(),
        "not a pcap file (tcpdump -w writes one)"
    );
    let mut file = pcap(&conversation());
    file.truncate(file.len() - 3);
    assert_eq!(read_pcap(&file).unwrap_err(), "a packet is cut short");
}

/// `--check`: a run has the packets of the picture drawn from it, in
/// either language; one packet more is a difference, shown as a diff.
#[test]
fn a_run_checks_against_a_stored_picture() {
    let frames = read_pcap(&pcap(&conversation())).unwrap();
    let run = run_of(tcp(&frames, 80), None);
    let dir = testkit::temp_dir();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let (en, zh) = (path("packets.svg"), path("packets.zh-CN.svg"));
    std::fs::write(&en, svg(&run, EN, ["t", "s"])).unwrap();
    std::fs::write(&zh, svg(&run, ZH, ["t", "s"])).unwrap();
    assert_eq!(check(&run, &[&en, &zh]), Ok(()));
    let mut longer = run_of(tcp(&frames, 80), None);
    longer.rows.push(longer.rows[3].clone());
    let error = check(&longer, &[&en]).unwrap_err();
    assert!(error.starts_with(&format!("the packets differ from {en}")));
    assert!(error.contains("\n+1 client>server PSH-ACK seq=1 ack=1 len=5\n"));
    let not_a_picture = path("empty.svg");
    std::fs::write(&not_a_picture, "<svg/>").unwrap();
    let error = check(&run, &[&not_a_picture]).unwrap_err();
    assert_eq!(error, format!("{not_a_picture}: no packet sequence in it"));
}
