//! 55's idea, netascii downloads read a buffer at a time, against 54,
//! whose reader hands out one byte per call: the same netascii download
//! of an 8 MB text file, in big blocks, costs 54 at least twice 55's CPU time (read from
//! /proc, so Linux only), and both send the same converted bytes.
#![cfg(target_os = "linux")]

use std::fs;
use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_55-tftp-server-netascii-fast");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "54-tftp-server-netascii-put";

/// The CPU time a process used so far, in clock ticks (user + system).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Downloads `name` in netascii, in blocks of 65464 bytes (few packets:
/// the time goes into the file, not the network), as fast as it comes.
fn download(server: &Proc, name: &str) -> Vec<u8> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let options = b"blksize\x0065464\x00";
    let rrq = [&[0, 1], name.as_bytes(), b"\0netascii\0", options].concat();
    socket.send_to(&rrq, server.addr).unwrap();
    let (mut got, mut buf) = (vec![], vec![0; 65536]);
    let (len, tid) = socket.recv_from(&mut buf).expect("an OACK");
    assert_eq!(&buf[..len], [&[0, 6], &options[..]].concat());
    socket.send_to(&[0, 4, 0, 0], tid).unwrap();
    let mut expected = 1u16;
    loop {
        let (len, tid) = socket.recv_from(&mut buf).expect("a block");
        assert_eq!(buf[..2], [0, 3], "{:?}", &buf[..len.min(40)]);
        socket.send_to(&[0, 4, buf[2], buf[3]], tid).unwrap();
        if u16::from_be_bytes([buf[2], buf[3]]) != expected {
            continue; // a block sent again: written once
        }
        got.extend(&buf[4..len]);
        expected = expected.wrapping_add(1);
        if len < 65464 + 4 {
            return got;
        }
    }
}

#[test]
fn a_netascii_download_costs_54_more_than_twice_55s_cpu() {
    let dir = temp_dir();
    let line = "a line of a book, some words in it\n";
    fs::write(dir.path().join("book.txt"), line.repeat(240_000)).unwrap();
    let wire = line.replace('\n', "\r\n").repeat(240_000);
    let mut cpu = vec![];
    for bin in [lesson_bin(PREV), BIN.into()] {
        let folder = dir.path().to_str().unwrap();
        let server = Proc::server(cmd(&bin, &["127.0.0.1:0", folder]));
        let before = cpu_ticks(server.pid());
        let got = download(&server, "book.txt");
        cpu.push(cpu_ticks(server.pid()) - before);
        assert!(got == wire.as_bytes(), "{bin}: not the netascii text");
    }
    assert!(cpu[1] * 2 < cpu[0], "54: {} ticks, 68: {}", cpu[0], cpu[1]);
}
