//! 62's idea, socket buffers a window fits in, against 61's defaults: an
//! upload asking for `blksize 8192` and `windowsize 64` (1 MiB in
//! flight) is granted a smaller window by 61, and the whole 64 by 62.
//! Where the system caps socket buffers below 1 MiB
//! (`net.core.rmem_max`), 62 cannot have them either: SKIPPED there.

use std::fs;
use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_62-tftp-server-buffers");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "61-tftp-server-log";

/// The window an upload asking for 64 blocks of 8 KiB is granted.
fn window_granted(bin: &str) -> u32 {
    let scratch = temp_dir();
    fs::create_dir(scratch.path().join("uploads")).unwrap();
    let args = ["127.0.0.1:0", ".", "--write", "uploads"];
    let mut command = cmd(bin, &args);
    command.current_dir(scratch.path());
    let server = Proc::server(command);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let wrq = b"\x00\x02big.bin\x00octet\x00blksize\x008192\x00\
                windowsize\x0064\x00";
    socket.send_to(wrq, server.addr).unwrap();
    let mut buf = [0; 1024];
    let (len, _) = socket.recv_from(&mut buf).expect("an OACK");
    let oack = String::from_utf8_lossy(&buf[2..len]).into_owned();
    let words: Vec<&str> = oack.split('\0').collect();
    let at = words.iter().position(|w| *w == "windowsize").expect(&oack);
    words[at + 1].parse().unwrap()
}

#[test]
fn a_window_of_big_blocks_is_cut_by_61_and_granted_by_62() {
    if testkit::not_on_windows("Windows' default buffers and caps differ") {
        return;
    }
    let max = fs::read_to_string("/proc/sys/net/core/rmem_max");
    let max: usize = max.map_or(usize::MAX, |m| m.trim().parse().unwrap());
    if max < 1 << 20 && testkit::skip("net.core.rmem_max is below 1 MiB") {
        return;
    }
    let (prev, this) = (window_granted(&lesson_bin(PREV)), window_granted(BIN));
    assert!(prev < 64, "61 granted {prev}");
    eprintln!("windows granted: 74 {prev}, 75 {this}");
    assert_eq!(this, 64);
}
