//! 56's idea, an IPv6 client counted by its /112, against 55, which
//! counts each full address: one host with 5 addresses of one /112 asks
//! for 64 downloads from each (and never acknowledges one, so they hold
//! their slots); 55 gives it all 256 slots and a classmate in another
//! /112 gets "busy"; 56 gives the host a quarter (64) and the classmate
//! its download. The addresses are added to `lo` for the test: Linux and
//! root only (SKIPPED otherwise).
#![cfg(target_os = "linux")]

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::process::Command;
use std::time::Duration;
use testkit::{cmd, lesson_bin, missing_root, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_56-tftp-server-slots-ipv6");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "55-tftp-server-netascii-fast";
/// The host's 5 addresses (one /112), and the classmate's (another /112).
const HOST: [&str; 5] = [
    "fd00:6969::1",
    "fd00:6969::2",
    "fd00:6969::3",
    "fd00:6969::4",
    "fd00:6969::5",
];
const CLASSMATE: &str = "fd00:6969::1:1";

/// IPv6 addresses on `lo`, removed again when dropped.
struct Addresses(Vec<&'static str>);

impl Addresses {
    fn add(all: Vec<&'static str>) -> Addresses {
        for addr in &all {
            let cidr = format!("{addr}/128");
            let args = ["-6", "addr", "replace", &cidr, "dev", "lo", "nodad"];
            let done = Command::new("ip").args(args).status().unwrap();
            assert!(done.success(), "ip {args:?}");
        }
        Addresses(all)
    }
}

impl Drop for Addresses {
    fn drop(&mut self) {
        for addr in &self.0 {
            let cidr = format!("{addr}/128");
            let args = ["-6", "addr", "del", &cidr, "dev", "lo"];
            let _ = Command::new("ip").args(args).status();
        }
    }
}

/// Sends `count` requests for `file` from `addr`; returns how many were
/// answered with a block (the rest: "busy").
fn ask(server: SocketAddr, addr: &str, count: usize) -> usize {
    let socket = UdpSocket::bind((addr, 0)).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    for _ in 0..count {
        socket
            .send_to(b"\x00\x01file\x00octet\x00", server)
            .unwrap();
    }
    let (mut blocks, mut buf) = (0, [0; 1024]);
    for _ in 0..count {
        let (len, _) = socket.recv_from(&mut buf).expect("an answer");
        match &buf[..len] {
            [0, 3, 0, 1, ..] => blocks += 1,
            b"\x00\x05\x00\x00busy: try later\x00" => {}
            other => panic!("{other:?}"),
        }
    }
    blocks
}

#[test]
fn one_ipv6_host_takes_every_slot_of_55_and_a_quarter_of_56() {
    if missing_root("add IPv6 addresses to lo") {
        return;
    }
    let mut all = HOST.to_vec();
    all.push(CLASSMATE);
    let _addresses = Addresses::add(all);
    let dir = temp_dir();
    fs::write(dir.path().join("file"), "x".repeat(600)).unwrap();
    for (bin, host, classmate) in
        [(lesson_bin(PREV), 256, 0), (BIN.into(), 64, 1)]
    {
        let folder = dir.path().to_str().unwrap();
        let server = Proc::server(cmd(&bin, &["[::]:0", folder]));
        let to = SocketAddr::new("::1".parse().unwrap(), server.addr.port());
        let granted: usize = HOST.iter().map(|addr| ask(to, addr, 64)).sum();
        assert_eq!(granted, host, "{bin}: the host's");
        assert_eq!(ask(to, CLASSMATE, 1), classmate, "{bin}: the classmate's");
    }
}
