//! 42-tftp-server-whole: an upload that stops half way, against the
//! lesson this one grows from (its part stays, under the name, and the
//! next try is refused) and against this one (nothing stays); two uploads
//! of one name at once; temporary names never served; curl still uploads.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, missing, run, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_42-tftp-server-whole");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "41-tftp-server-netascii";

fn start(bin: &str, served: &Path, uploads: &Path) -> Proc {
    let (served, uploads) =
        (served.to_str().unwrap(), uploads.to_str().unwrap());
    Proc::server(cmd(bin, &["127.0.0.1:0", served, "--write", uploads]))
}

fn client() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket
}

fn request(opcode: u8, file: &str) -> Vec<u8> {
    [&[0, opcode], file.as_bytes(), b"\0octet\0"].concat()
}

fn recv(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = [0; 2048];
    let (len, from) = socket.recv_from(&mut buf).expect("an answer");
    (buf[..len].to_vec(), from)
}

fn data(block: u16, bytes: &[u8]) -> Vec<u8> {
    [&[0, 3], &block.to_be_bytes()[..], bytes].concat()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let entries = fs::read_dir(dir).unwrap();
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into())
        .collect();
    names.sort();
    names
}

/// Starts an upload of `name`, sends its first block (of 512 bytes) and
/// goes away: the server's transfer fails soon after (no one answers).
fn upload_half(server: &mut Proc, name: &str, uploads: &Path) -> Vec<String> {
    let socket = client();
    socket.send_to(&request(2, name), server.addr).unwrap();
    let (ack0, tid) = recv(&socket);
    assert_eq!(ack0, [0, 4, 0, 0]);
    socket.send_to(&data(1, &[b'x'; 512]), tid).unwrap();
    assert_eq!(recv(&socket).0, [0, 4, 0, 1]);
    let during = names(uploads);
    drop(socket);
    server.expect(&format!(" put {name}: no answer after 5 tries"));
    during
}

#[test]
fn an_upload_that_stops_half_way_leaves_nothing() {
    let (served, uploads) = (temp_dir(), temp_dir());
    let mut prev = start(&lesson_bin(PREV), served.path(), uploads.path());
    let during = upload_half(&mut prev, "homework.txt", uploads.path());
    assert_eq!(during, ["homework.txt"], "41 writes under the name");
    assert_eq!(names(uploads.path()), ["homework.txt"], "and leaves it");
    assert_eq!(
        fs::read(uploads.path().join("homework.txt")).unwrap().len(),
        512
    );
    fs::remove_file(uploads.path().join("homework.txt")).unwrap();

    let mut server = start(BIN, served.path(), uploads.path());
    let during = upload_half(&mut server, "homework.txt", uploads.path());
    assert_eq!(during.len(), 1);
    assert!(during[0].starts_with(".tftp-upload."), "{during:?}");
    assert_eq!(names(uploads.path()), Vec::<String>::new(), "left behind");
}

#[test]
fn of_two_uploads_of_one_name_the_first_to_end_wins() {
    let (served, uploads) = (temp_dir(), temp_dir());
    let mut server = start(BIN, served.path(), uploads.path());
    let (a, b) = (client(), client());
    a.send_to(&request(2, "f"), server.addr).unwrap();
    b.send_to(&request(2, "f"), server.addr).unwrap();
    let (_, tid_a) = recv(&a);
    let (_, tid_b) = recv(&b);
    a.send_to(&data(1, b"from a"), tid_a).unwrap();
    assert_eq!(recv(&a).0, [0, 4, 0, 1]);
    server.expect(" put f: 6 bytes");
    b.send_to(&data(1, b"from b"), tid_b).unwrap();
    assert_eq!(recv(&b).0, b"\x00\x05\x00\x06file already exists\x00");
    server.expect(" put f: refused: file already exists");
    assert_eq!(fs::read(uploads.path().join("f")).unwrap(), b"from a");
    assert_eq!(names(uploads.path()), ["f"]);
}

#[test]
fn a_temporary_name_is_never_served() {
    let dir = temp_dir();
    fs::write(dir.path().join(".tftp-upload.4242"), "half").unwrap();
    let server = start(BIN, dir.path(), dir.path());
    let socket = client();
    socket
        .send_to(&request(1, ".tftp-upload.4242"), server.addr)
        .unwrap();
    assert_eq!(recv(&socket).0, b"\x00\x05\x00\x02not allowed\x00");
}

#[test]
fn curl_still_uploads() {
    if missing("curl") {
        return;
    }
    let (served, uploads) = (temp_dir(), temp_dir());
    fs::write(served.path().join("homework.txt"), "my homework\n").unwrap();
    let server = start(BIN, served.path(), uploads.path());
    let url = format!("tftp://{}/", server.addr);
    let mut curl = cmd("curl", &["-sS", "-T", "homework.txt", &url]);
    curl.current_dir(served.path());
    let (status, _, errors) = run(curl, b"");
    assert!(status.success(), "{errors}");
    // the temporary name goes right after the last ACK: wait for it (a
    // slow machine, or Wine, shows it for a moment after curl is done)
    let end = std::time::Instant::now() + testkit::DEADLINE;
    while names(uploads.path()).len() > 1 && std::time::Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(names(uploads.path()), ["homework.txt"]);
    let stored = fs::read_to_string(uploads.path().join("homework.txt"));
    assert_eq!(stored.unwrap(), "my homework\n");
}
