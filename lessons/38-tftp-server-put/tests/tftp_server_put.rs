//! 38-tftp-server-put: uploads (WRQ) into the `--write` folder, by raw
//! packets and with curl, tftp-hpa and atftp; what 15 does with the same
//! request (nothing); the names and files it refuses.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use testkit::Proc;
use testkit::{cmd, lesson_bin, make_file, missing, run, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_38-tftp-server-put");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "15-tftp-server";

fn start(bin: &str, args: &[&str]) -> Proc {
    let mut all = vec!["127.0.0.1:0"];
    all.extend(args);
    Proc::server(cmd(bin, &all))
}

fn client(secs: f64) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let wait = Duration::from_secs_f64(secs);
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

fn wrq(file: &str) -> Vec<u8> {
    [&[0, 2], file.as_bytes(), b"\0octet\0"].concat()
}

fn recv(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    let mut buf = [0; 2048];
    let (len, from) = socket.recv_from(&mut buf).ok()?;
    Some((buf[..len].to_vec(), from))
}

fn data(block: u16, bytes: &[u8]) -> Vec<u8> {
    [&[0, 3], &block.to_be_bytes()[..], bytes].concat()
}

/// Uploads `content` as `name` packet by packet: ACK 0 from a new port,
/// then each block acknowledged, the last one too.
fn upload(server: SocketAddr, name: &str, content: &[u8]) {
    let socket = client(5.0);
    socket.send_to(&wrq(name), server).unwrap();
    let (ack0, tid) = recv(&socket).expect("ACK 0");
    assert_eq!(ack0, [0, 4, 0, 0], "{}", String::from_utf8_lossy(&ack0));
    assert_ne!(tid, server, "the answer comes from a new port");
    let mut blocks: Vec<&[u8]> = content.chunks(512).collect();
    if content.len().is_multiple_of(512) {
        blocks.push(b""); // a file of 512 bytes ends with an empty block
    }
    for (i, bytes) in blocks.iter().enumerate() {
        let block = i as u16 + 1;
        socket.send_to(&data(block, bytes), tid).unwrap();
        let (ack, from) = recv(&socket).expect("an ACK");
        assert_eq!((ack, from), ([[0, 4], block.to_be_bytes()].concat(), tid));
    }
}

/// Sends a WRQ for `name` and returns the ERROR's code and message.
fn refused(server: SocketAddr, name: &str) -> (u16, String) {
    let socket = client(5.0);
    socket.send_to(&wrq(name), server).unwrap();
    let (packet, _) = recv(&socket).expect("an answer");
    assert_eq!(packet[..2], [0, 5], "not an ERROR: {packet:?}");
    let text = String::from_utf8_lossy(&packet[4..packet.len() - 1]);
    (
        u16::from_be_bytes([packet[2], packet[3]]),
        text.into_owned(),
    )
}

#[test]
fn an_upload_gets_no_answer_from_15_and_is_stored_by_38() {
    let (served, uploads) = (temp_dir(), temp_dir());
    let dir = served.path().to_str().unwrap();
    let prev = start(&lesson_bin(PREV), &[dir]);
    let socket = client(2.5); // 15 would answer at once, if at all
    socket.send_to(&wrq("homework.txt"), prev.addr).unwrap();
    assert_eq!(recv(&socket), None, "15 answered a WRQ");
    let mut server =
        start(BIN, &[dir, "--write", uploads.path().to_str().unwrap()]);
    for size in [0, 1, 511, 512, 513, 5000] {
        let name = format!("f{size}");
        let content: Vec<u8> = (0..size).map(|i| (i * 7) as u8).collect();
        upload(server.addr, &name, &content);
        server.expect(&format!(" put {name}: {size} bytes"));
        assert_eq!(fs::read(uploads.path().join(&name)).unwrap(), content);
    }
    // into the --write folder, not the served one
    assert_eq!(fs::read_dir(served.path()).unwrap().count(), 0);
}

#[test]
fn uploads_are_off_without_write() {
    let dir = temp_dir();
    let mut server = start(BIN, &[dir.path().to_str().unwrap()]);
    let answer = refused(server.addr, "homework.txt");
    assert_eq!(answer, (2, "uploads are off".into()));
    server.expect(" put homework.txt: refused: uploads are off");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    // and --write needs its folder
    let (status, _, err) = run(cmd(BIN, &["127.0.0.1:0", ".", "--write"]), b"");
    assert_eq!(status.code(), Some(2));
    assert!(err.starts_with("error: --write needs a value\n"), "{err}");
}

#[test]
fn names_that_are_not_plain_and_files_that_exist_are_refused() {
    let top = temp_dir();
    let uploads = top.path().join("uploads");
    fs::create_dir_all(uploads.join("sub")).unwrap();
    fs::write(uploads.join("old.txt"), "old").unwrap();
    let server = start(BIN, &[".", "--write", uploads.to_str().unwrap()]);
    for name in [".bashrc", "sub/x", "../x", "/tmp/x", ""] {
        assert_eq!(refused(server.addr, name).0, 2, "{name:?}");
    }
    assert_eq!(
        refused(server.addr, "old.txt"),
        (6, "file already exists".into())
    );
    assert_eq!(
        refused(server.addr, "sub"),
        (6, "file already exists".into())
    );
    assert_eq!(fs::read(uploads.join("old.txt")).unwrap(), b"old");
    assert!(!top.path().join("x").exists());
    assert_eq!(fs::read_dir(uploads.join("sub")).unwrap().count(), 0);
}

#[test]
fn a_block_sent_twice_is_written_once() {
    let uploads = temp_dir();
    let mut server =
        start(BIN, &[".", "--write", uploads.path().to_str().unwrap()]);
    let socket = client(5.0);
    socket.send_to(&wrq("f"), server.addr).unwrap();
    let (_, tid) = recv(&socket).unwrap();
    let first = [b'a'; 512];
    socket.send_to(&data(1, &first), tid).unwrap();
    assert_eq!(recv(&socket).unwrap().0, [0, 4, 0, 1]);
    // our ACK 1 "was lost": block 1 again; its ACK comes after a timeout
    socket.send_to(&data(1, &first), tid).unwrap();
    assert_eq!(recv(&socket).unwrap().0, [0, 4, 0, 1]);
    socket.send_to(&data(2, b"end"), tid).unwrap();
    assert_eq!(recv(&socket).unwrap().0, [0, 4, 0, 2]);
    server.expect(" put f: 515 bytes");
    // the data is written before its ACK goes
    let expected = [&first[..], b"end"].concat();
    assert_eq!(fs::read(uploads.path().join("f")).unwrap(), expected);
}

fn tool(program: &str, args: &[&str], cwd: &Path) -> (bool, String) {
    let mut command = Command::new(program);
    command.args(args).current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.success(), out + &err)
}

#[test]
fn curl_tftp_hpa_and_atftp_upload() {
    let (local, uploads) = (temp_dir(), temp_dir());
    make_file(&local.path().join("f"), 100_000);
    let write = uploads.path().to_str().unwrap();
    let server = start(BIN, &[".", "--write", write]);
    let (host, port) = (server.addr.ip().to_string(), server.addr.port());
    let port = port.to_string();
    let sent = local.path().join("f");
    if !missing("curl") {
        let url = format!("tftp://{}/curl.bin", server.addr);
        let (ok, text) = tool("curl", &["-sS", "-T", "f", &url], local.path());
        assert!(ok, "{text}");
        assert!(same_file(&sent, &uploads.path().join("curl.bin")));
    }
    if !missing("tftp") {
        let args = [&host, &port, "-m", "binary", "-c", "put", "f", "hpa.bin"];
        let (ok, text) = tool("tftp", &args, local.path());
        assert!(ok && text.is_empty(), "{text}");
        assert!(same_file(&sent, &uploads.path().join("hpa.bin")));
    }
    if !missing("atftp") {
        let args = ["-p", "-l", "f", "-r", "atftp.bin", &host, &port];
        let (ok, text) = tool("atftp", &args, local.path());
        assert!(ok, "{text}");
        assert!(same_file(&sent, &uploads.path().join("atftp.bin")));
    }
}
