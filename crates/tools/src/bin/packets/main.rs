//! packets: reads a capture of a lesson pair (`tcpdump -w FILE`) and shows
//! its packets the way the tutorial's Wireshark table does: a table, and a
//! sequence diagram (SVG) that keeps the normalised packet sequence in its
//! `<desc>`, so that a later run can be checked against it. Written for
//! scripts/capture.
//!
//! usage: packets tcp|udp PCAP SERVER_PORT CLIENT SERVER [OPTIONS]
//!        packets tftp PCAP SERVER_PORT CLIENT SERVER RELAY_PORT LOSS
//!                [OPTIONS]
//! OPTIONS: --lang en|zh-CN: the table in English (the default) or in
//!          Chinese; --note TEXT ZH adds a note under the table and the
//!          pictures, in English and in Chinese; --svg FILE TITLE SUBTITLE
//!          TITLE_ZH SUBTITLE_ZH draws the sequence diagram into FILE, in
//!          English, and into its twin (run.svg: run.zh-CN.svg) in
//!          Chinese; --check STORED.svg, instead of the table: whether this
//!          run has the packets the picture and its twin keep (same.rs)
//! LOSS: the one packet the relay loses, named as lossy-relay names it
//! (`DATA 4`): lossy-relay loses it for certain, so it is not looked for
//!
//! The capture holds only the pair's packets (scripts/capture's tcpdump
//! filter keeps those to or from SERVER_PORT); each is shown:
//! UDP: every datagram, with its text.
//! TCP: every packet; sequence and acknowledgement
//! numbers are relative, as Wireshark shows them (each side's SYN is 0).
//! TFTP: a client talks to a lossy relay on RELAY_PORT, which passes the
//! datagrams on to the server on SERVER_PORT (then to its transfer port)
//! but the first of each direction that LOSS names, which it loses.

use std::fmt::Write as _;
use std::io::Write as _;

/// Words in English and in Chinese, each a `format!` string (defined
/// before the modules, which use it).
macro_rules! words {
    ($en:literal, $zh:literal) => {
        [format!($en), format!($zh)]
    };
}

mod pcap;
mod same;
mod svg;
mod table;
mod tcp;
#[cfg(test)]
mod tests;
mod tftp;
mod udp;

const USAGE: &str = "usage: packets tcp|udp PCAP SERVER_PORT CLIENT SERVER \
                     [OPTIONS]
       packets tftp PCAP SERVER_PORT CLIENT SERVER RELAY_PORT LOSS [OPTIONS]
OPTIONS: [--lang en|zh-CN] [--note TEXT ZH]
         [--svg FILE TITLE SUBTITLE TITLE_ZH SUBTITLE_ZH] [--check STORED.svg]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(error) = run(&args) {
        eprintln!("packets: {error}");
        std::process::exit(if error.starts_with("usage") { 2 } else { 1 });
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let usage = || USAGE.to_string();
    let port = |text: &String| -> Result<u16, String> {
        text.parse().map_err(|_| format!("not a port: {text:?}"))
    };
    let [proto, pcap, server_port, client, server, rest @ ..] = args else {
        return Err(usage());
    };
    let server_port = port(server_port)?;
    // read once the arguments say which protocol
    let frames = || pcap::read_pcap_file(pcap);
    let ((rows, notes), loss, rest) = match (proto.as_str(), rest) {
        ("tcp", rest) => (tcp::tcp(&frames()?, server_port), None, rest),
        ("udp", rest) => (udp::udp(&frames()?, server_port), None, rest),
        ("tftp", [relay, loss, rest @ ..]) => {
            let relay = port(relay)?;
            let run = tftp::tftp(&frames()?, relay, server_port, loss)?;
            (run, Some(loss.clone()), rest)
        }
        _ => return Err(usage()),
    };
    let mut run = Run {
        names: [client.clone(), server.clone()],
        loss,
        rows,
        notes,
    };
    let (mut lang, mut picture, mut stored) = (EN, None, None);
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().map(String::as_str).ok_or_else(usage);
        match flag.as_str() {
            "--lang" => match value()? {
                "en" => lang = EN,
                "zh-CN" => lang = ZH,
                code => return Err(format!("--lang en or zh-CN, not {code}")),
            },
            "--note" => run.notes.push([value()?.into(), value()?.into()]),
            "--svg" => {
                let file = value()?;
                let titles = [[value()?, value()?], [value()?, value()?]];
                picture = Some((file, titles));
            }
            "--check" => stored = Some(value()?),
            _ => return Err(usage()),
        }
    }
    if let Some(file) = stored {
        return same::check(&run, &[file, &twin(file)]);
    }
    // a reader that stops early (| head, less) is not an error
    let _ = std::io::stdout().write_all(table::table(&run, lang).as_bytes());
    if let Some((file, titles)) = picture {
        for (lang, file) in [(EN, file.to_string()), (ZH, twin(file))] {
            std::fs::write(&file, svg::svg(&run, lang, titles[lang]))
                .map_err(|e| format!("{file}: {e}"))?;
        }
    }
    Ok(())
}

/// The Chinese picture beside the English one: packets.zh-CN.svg beside
/// packets.svg.
fn twin(file: &str) -> String {
    format!("{}.zh-CN.svg", file.trim_end_matches(".svg"))
}

/// A text in English and in Chinese.
type Words = [String; 2];

/// The two languages of the table and the pictures: an index into
/// `Words` (and into any pair written English first).
type Lang = usize;
const EN: Lang = 0;
const ZH: Lang = 1;

/// A run of a lesson pair, ready to show.
struct Run {
    names: [String; 2], // client, server
    /// TFTP's: what the relay loses (`DATA 4`)
    loss: Option<String>,
    rows: Vec<Row>,
    notes: Vec<Words>,
}

/// One packet as shown: in the table, as an arrow, as a line of the
/// normalised sequence.
#[derive(Clone, Debug, Default)]
struct Row {
    conn: usize, // the TCP connection, or the TFTP transfer
    from_client: bool,
    /// flags (SYN-ACK) or the datagram (DATA 4, UDP): the table's column
    what: String,
    seq: Option<u32>, // TCP's, relative
    ack: Option<u32>,
    len: usize, // the TCP payload's, or the datagram's
    /// the arrow's label, when it says more than `what` and the numbers
    label: Option<String>,
    meaning: Words,
    phase: Phase,
    lost: bool,
}

/// What a packet does, which its colour in the picture shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Phase {
    Handshake,
    #[default]
    Data,
    Teardown,
    Trouble,
}

impl Row {
    /// A packet of `frame` (its time and length), as `what` and `meaning`
    /// say; the rest as `Row::default()`.
    fn new(
        frame: &pcap::Frame,
        conn: usize,
        from_client: bool,
        what: String,
        meaning: Words,
    ) -> Row {
        Row {
            conn,
            from_client,
            what,
            len: frame.payload.len(),
            meaning,
            ..Row::default()
        }
    }

    /// `seq=0 ack=1 len=5`; an absent value is left out.
    fn numbers(&self) -> String {
        let seq = self.seq.map_or(String::new(), |seq| format!("seq={seq} "));
        let ack = self.ack.map_or(String::new(), |ack| format!("ack={ack} "));
        format!("{seq}{ack}len={}", self.len)
    }

    /// The normalised line: no ports, no absolute numbers, no times.
    fn sequence_line(&self) -> String {
        let [from, to] = table::sides(self.from_client)[EN];
        let lost = if self.lost { " lost" } else { "" };
        let (conn, what, numbers) = (self.conn, &self.what, self.numbers());
        format!("{conn} {from}>{to} {what} {numbers}{lost}")
    }
}

/// Rows by their numbers in the table: `packet 8` or `packets 9, 19`; in
/// Chinese the numbers alone (`9、19`).
fn packet_numbers(rows: &[usize]) -> Words {
    let numbers: Vec<String> =
        rows.iter().map(|i| (i + 1).to_string()).collect();
    let s = if numbers.len() > 1 { "s" } else { "" };
    let (en, zh) = (numbers.join(", "), numbers.join("、"));
    words!("packet{s} {en}", "{zh}")
}

/// Text from the network, fit to print: control characters become `?`.
fn clean(text: &str) -> String {
    let printable = |c: char| if c.is_control() { '?' } else { c };
    text.chars().map(printable).collect()
}
