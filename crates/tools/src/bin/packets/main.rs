//! packets: reads a capture of a lesson pair (`tcpdump -w FILE`) and shows
//! its packets the way the tutorial's Wireshark table does: a table, a
//! sequence diagram (SVG), and the normalised packet sequence the diagram
//! keeps in its `<desc>`, so that a later run can be compared with it.
//! Written for scripts/capture.
//!
//! usage: packets tcp PCAP SERVER_PORT CLIENT SERVER [OPTIONS]
//!        packets udp PCAP SERVER_PORT CLIENT SERVER [OPTIONS]
//!        packets tftp PCAP RELAY_PORT SERVER_PORT CLIENT SERVER LOSS
//!                [OPTIONS]
//!        packets same STORED.svg FRESH.svg
//! OPTIONS: --lang en|zh-CN: the table in English (the default) or in
//!          Chinese; --note TEXT ZH (more than once) adds a note under the
//!          table and the pictures, in English and in Chinese;
//!          --svg FILE TITLE SUBTITLE draws the sequence diagram, in
//!          English; --svg-zh FILE TITLE SUBTITLE the same in Chinese
//! LOSS: the packets the relay loses (`DATA 4`, `ACK 2,DATA 5`)
//!
//! UDP: every datagram to or from SERVER_PORT, with its text.
//! TCP: every packet to or from SERVER_PORT; sequence and acknowledgement
//! numbers are relative, as Wireshark shows them (each side's SYN is 0).
//! TFTP: a client talks to a lossy relay on RELAY_PORT, which passes the
//! datagrams on to the server on SERVER_PORT (then to its transfer port):
//! a datagram seen on one side of the relay and not on the other was lost.
//! `same` compares the sequences kept in two diagrams (see `canonical`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::process::exit;

mod pcap;
mod run;
mod same;
mod svg;
mod table;
mod tcp;
#[cfg(test)]
mod tests;
mod tftp;
mod udp;

use pcap::*;
use run::*;
use same::*;
use svg::*;
use table::*;
use tcp::*;
use tftp::*;
use udp::*;

pub(crate) const USAGE: &str =
    "usage: packets tcp PCAP SERVER_PORT CLIENT SERVER \
                     [OPTIONS]
       packets udp PCAP SERVER_PORT CLIENT SERVER [OPTIONS]
       packets tftp PCAP RELAY_PORT SERVER_PORT CLIENT SERVER LOSS \
                     [OPTIONS]
       packets same STORED.svg FRESH.svg
OPTIONS: [--lang en|zh-CN] [--note TEXT ZH]... [--svg FILE TITLE SUBTITLE]
         [--svg-zh FILE TITLE SUBTITLE]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(error) = run(&args) {
        eprintln!("packets: {error}");
        exit(if error.starts_with("usage") { 2 } else { 1 });
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let usage = || USAGE.to_string();
    let port = |i: usize| -> Result<u16, String> {
        let text = args.get(i).ok_or_else(usage)?;
        text.parse().map_err(|_| format!("not a port: {text:?}"))
    };
    let text = |i: usize| args.get(i).cloned().ok_or_else(usage);
    match args.first().map(String::as_str) {
        Some("tcp") => {
            let frames = read_pcap_file(&text(1)?)?;
            let names = [text(3)?, text(4)?];
            let run = tcp(&frames, port(2)?, names);
            output(run, &args[5..])
        }
        Some("udp") => {
            let frames = read_pcap_file(&text(1)?)?;
            let names = [text(3)?, text(4)?];
            output(udp(&frames, port(2)?, names), &args[5..])
        }
        Some("tftp") => {
            let frames = read_pcap_file(&text(1)?)?;
            let names = [text(4)?, text(5)?];
            let loss = text(6)?;
            let run = tftp(&frames, port(2)?, port(3)?, names, &loss)?;
            output(run, &args[7..])
        }
        Some("same") => {
            let read = |i: usize| -> Result<(String, Vec<String>), String> {
                let path = text(i)?;
                let svg = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{path}: {e}"))?;
                let lines = sequence_of(&svg)
                    .ok_or(format!("{path}: no packet sequence in it"))?;
                Ok((path, lines))
            };
            let ((stored, old), (_, new)) = (read(1)?, read(2)?);
            match compare(&old, &new) {
                None => {
                    let same = format!("same packets as {stored}\n");
                    let _ = std::io::stdout().write_all(same.as_bytes());
                    Ok(())
                }
                Some(report) => Err(format!(
                    "the packets differ from {stored} (normalised: {}):\n\
                     {report}",
                    CANONICAL
                )),
            }
        }
        _ => Err(usage()),
    }
}

/// The options after the capture's arguments: `--note TEXT ZH` adds a
/// note under the table and the pictures; `--svg FILE TITLE SUBTITLE`
/// draws the English picture, `--svg-zh` the Chinese one.
pub(crate) fn output(mut run: Run, mut rest: &[String]) -> Result<(), String> {
    let mut pictures = vec![];
    let mut lang = Lang::En; // the table's
    loop {
        match rest {
            [] => break,
            [flag, code, more @ ..] if flag == "--lang" => {
                lang = match code.as_str() {
                    "en" => Lang::En,
                    "zh-CN" => Lang::Zh,
                    _ => return Err(format!("--lang en or zh-CN, not {code}")),
                };
                rest = more;
            }
            [flag, en, zh, more @ ..] if flag == "--note" => {
                run.notes.push(Words::new(en, zh));
                rest = more;
            }
            [flag, file, title, subtitle, more @ ..]
                if flag == "--svg" || flag == "--svg-zh" =>
            {
                let lang = if flag == "--svg" { Lang::En } else { Lang::Zh };
                pictures.push((lang, file, title, subtitle));
                rest = more;
            }
            _ => return Err(USAGE.to_string()),
        }
    }
    // a reader that stops early (| head, less) is not an error
    let _ = std::io::stdout().write_all(table(&run, lang).as_bytes());
    for (lang, file, title, subtitle) in pictures {
        std::fs::write(file, svg(&run, lang, title, subtitle))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    Ok(())
}

/// Words in English and in Chinese, each a `format!` string.
macro_rules! words {
    ($en:literal, $zh:literal) => {
        Words::new(format!($en), format!($zh))
    };
}
pub(crate) use words;

/// The two languages of the table and the pictures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Lang {
    En,
    Zh,
}

/// A text in English and in Chinese.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Words {
    pub(crate) en: String,
    pub(crate) zh: String,
}

impl Words {
    pub(crate) fn new(en: impl Into<String>, zh: impl Into<String>) -> Words {
        Words {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub(crate) fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}
