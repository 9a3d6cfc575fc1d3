//! 39-tftp-server-options: blksize, tsize and timeout (RFC 2347-2349)
//! for downloads, by raw packets: what 38 does with the same request (it
//! ignores the options: 512 bytes a block), what 39 answers, what it
//! leaves out; and curl and atftp asking for options.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use testkit::Proc;
use testkit::{cmd, lesson_bin, make_file, missing, run, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_39-tftp-server-options");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "38-tftp-server-put";

fn start(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

fn client() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let wait = Duration::from_secs(5);
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

fn rrq(file: &str, options: &[&str]) -> Vec<u8> {
    let mut packet = vec![0, 1];
    for word in [file, "octet"].iter().chain(options) {
        packet.extend(word.as_bytes());
        packet.push(0);
    }
    packet
}

fn recv(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = vec![0; 70000];
    let (len, from) = socket.recv_from(&mut buf).expect("an answer");
    (buf[..len].to_vec(), from)
}

fn oack(pairs: &[&str]) -> Vec<u8> {
    let mut packet = vec![0, 6];
    for word in pairs {
        packet.extend(word.as_bytes());
        packet.push(0);
    }
    packet
}

/// The first answer to a request with `options`, and the socket and
/// port to go on with.
fn ask(
    server: SocketAddr,
    options: &[&str],
) -> (Vec<u8>, UdpSocket, SocketAddr) {
    let socket = client();
    socket.send_to(&rrq("f", options), server).unwrap();
    let (answer, tid) = recv(&socket);
    (answer, socket, tid)
}

#[test]
fn blksize_is_ignored_by_38_and_taken_by_39() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 3000);
    let expected = fs::read(dir.path().join("f")).unwrap();
    let asked = ["blksize", "1428"];
    // 38: DATA 1 at once, 512 bytes: six round trips for 3000 bytes
    let prev = start(&lesson_bin(PREV), dir.path());
    let (answer, _, _) = ask(prev.addr, &asked);
    assert_eq!((&answer[..4], answer.len()), (&[0, 3, 0, 1][..], 516));
    // 39: an OACK, then after ACK 0 blocks of 1428 bytes: three
    let mut server = start(BIN, dir.path());
    let (answer, socket, tid) = ask(server.addr, &asked);
    assert_eq!(answer, oack(&["blksize", "1428"]));
    let mut got: Vec<u8> = vec![];
    for block in 0..3u16 {
        socket
            .send_to(&[[0, 4], block.to_be_bytes()].concat(), tid)
            .unwrap();
        let (data, _) = recv(&socket);
        assert_eq!(data[..4], [[0, 3], (block + 1).to_be_bytes()].concat());
        got.extend(&data[4..]);
    }
    socket.send_to(&[0, 4, 0, 3], tid).unwrap();
    assert_eq!(got, expected);
    server.expect(" get f: 3000 bytes");
}

#[test]
fn each_option_answered_never_larger_unknown_and_bad_ones_left_out() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 3000);
    fs::write(dir.path().join("empty"), "").unwrap();
    let server = start(BIN, dir.path());
    let cases: [(&[&str], &[&str]); 6] = [
        (&["tsize", "0"], &["tsize", "3000"]),
        (
            &["TSIZE", "0", "BlkSize", "8"],
            &["tsize", "3000", "blksize", "8"],
        ),
        (&["timeout", "3", "windowsize", "8"], &["timeout", "3"]),
        (&["blksize", "65464", "timeout", "6"], &["blksize", "65464"]),
        (
            &["blksize", "7", "x", "1", "timeout", "0", "tsize", "7"],
            &["tsize", "3000"],
        ),
        (&["blksize", "70000", "tsize", "x"], &[]),
    ];
    for (asked, answered) in cases {
        let (answer, _, _) = ask(server.addr, asked);
        if answered.is_empty() {
            assert_eq!(answer[..4], [0, 3, 0, 1], "{asked:?}: plain RFC 1350");
        } else {
            assert_eq!(answer, oack(answered), "{asked:?}");
        }
    }
    // an empty file: no tsize 0 (curl refuses it), plain DATA 1
    let socket = client();
    socket
        .send_to(&rrq("empty", &["tsize", "0"]), server.addr)
        .unwrap();
    assert_eq!(recv(&socket).0, [0, 3, 0, 1]);
}

#[test]
fn the_timeout_asked_is_the_wait_before_a_resend() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 3000);
    let server = start(BIN, dir.path());
    let (answer, socket, _) = ask(server.addr, &["timeout", "3"]);
    assert_eq!(answer, oack(&["timeout", "3"]));
    // no ACK 0: the OACK comes again after 3 s, not 1
    let sent = Instant::now();
    assert_eq!(recv(&socket).0, answer);
    let waited = sent.elapsed();
    assert!(waited > Duration::from_millis(2800), "{waited:?}");
}

fn tool(program: &str, args: &[&str], cwd: &Path) -> (bool, String) {
    let mut command = Command::new(program);
    command.args(args).current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.success(), out + &err)
}

#[test]
fn curl_and_atftp_download_with_options() {
    let (dir, out) = (temp_dir(), temp_dir());
    for (name, size) in [("big", 3_000_000), ("small", 700), ("empty", 0)] {
        make_file(&dir.path().join(name), size);
    }
    let server = start(BIN, dir.path());
    if !missing("curl") {
        for name in ["big", "small", "empty"] {
            let url = format!("tftp://{}/{name}", server.addr);
            let args = ["-sS", "--tftp-blksize", "65464", "-o", name, &url];
            let (ok, text) = tool("curl", &args, out.path());
            assert!(ok, "{name}: {text}");
            assert!(same_file(&dir.path().join(name), &out.path().join(name)));
            fs::remove_file(out.path().join(name)).unwrap();
        }
    }
    if !missing("atftp") {
        let port = server.addr.port().to_string();
        let args = [
            "--option",
            "blksize 1428",
            "--option",
            "tsize 0",
            "--option",
            "timeout 2",
            "-g",
            "-r",
            "big",
            "-l",
            "big",
            "127.0.0.1",
            &port,
        ];
        let (ok, text) = tool("atftp", &args, out.path());
        assert!(ok, "{text}");
        assert!(same_file(&dir.path().join("big"), &out.path().join("big")));
    }
}
