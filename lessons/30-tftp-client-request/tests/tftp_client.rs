//! 30-tftp-client-request's idea, the request on its own, against 29's
//! loop: a server that never answers, and a request lost on the way.

use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, make_file, run, same_file, temp_dir, Proc};
use testkit::{Loss, LossyRelay};

const BIN: &str = env!("CARGO_BIN_EXE_30-tftp-client-request");

/// A server that never answers, and Ctrl-C while the client waits: 29
/// made `photo.jpg` before it sent its request, so an empty file stays,
/// and the next try stops at once ("File exists"); 30 makes the file
/// only once the server has answered.
#[test]
fn ctrl_c_while_a_server_is_silent_leaves_no_empty_file() {
    for (bin, left) in [
        (lesson_bin("29-tftp-client-put-window"), true),
        (BIN.into(), false),
    ] {
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        silent
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let addr = silent.local_addr().unwrap().to_string();
        let out = temp_dir();
        let mut command = cmd(&bin, &["photo.jpg", &addr]);
        command.current_dir(out.path());
        let mut client = Proc::start(command);
        let mut buf = [0; 512];
        silent.recv_from(&mut buf).expect("the request");
        client.kill(); // Ctrl-C while it waits for an answer
        let photo = out.path().join("photo.jpg");
        assert_eq!(photo.exists(), left, "{bin}");
        if left {
            assert_eq!(std::fs::metadata(&photo).unwrap().len(), 0);
            // the next try, with the server up, stops before it asks
            let mut again = cmd(&bin, &["photo.jpg", &addr]);
            again.current_dir(out.path());
            let (status, said, err) = run(again, b"");
            assert!(!status.success(), "{said}");
            assert!(err.to_lowercase().contains("file exists"), "{err}");
        }
    }
}

/// The request lost once (the relay drops the first RRQ): both send it
/// again, but 29 counts it as an ACK in its last line; 30 says what it
/// was.
#[test]
fn a_lost_request_is_counted_as_a_request() {
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 16 << 10);
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    for (bin, counted) in [
        (lesson_bin("29-tftp-client-put-window"), "1 ACK sent again"),
        (BIN.into(), "1 request sent again"),
    ] {
        let front = "127.0.0.1:0".parse().unwrap();
        let lost = Loss::Named(vec!["RRQ".into()]);
        let delay = Duration::ZERO;
        let relay = LossyRelay::start(front, server.addr, lost, delay);
        let out = temp_dir();
        let relay_addr = relay.addr.to_string();
        let mut command = cmd(&bin, &["photo.jpg", &relay_addr]);
        command
            .current_dir(out.path())
            .env("TFTP_TIMEOUT_MS", "200");
        let (status, said, err) = run(command, b"");
        assert!(status.success(), "{bin}: {said} {err}");
        assert!(said.contains("timeout: request sent again (try 2 of 5)"));
        let last = format!("received photo.jpg: 16384 bytes, {counted}");
        assert_eq!(said.lines().last(), Some(&*last), "{bin}: {said}");
        let got = out.path().join("photo.jpg");
        assert!(same_file(&got, &dir.path().join("photo.jpg")), "{bin}");
    }
}
