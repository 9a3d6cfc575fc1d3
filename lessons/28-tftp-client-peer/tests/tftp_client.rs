//! 28-tftp-client-peer's idea, the wait measured from the round trip (RFC 6298), against
//! 27's fixed second: the same download through the same link, 10 ms
//! each way, that loses the same four ACKs, from tftpd-hpa, which itself
//! waits 3 s before it sends a block again: each lost ACK is the
//! client's to send again.

#[cfg(unix)] // tftpd-hpa is a Unix program
#[test]
fn a_lost_packet_costs_a_round_trip_not_a_second() {
    use std::process::Command;
    use std::time::{Duration, Instant};
    use testkit::*;
    if missing("in.tftpd") || missing_root("run in.tftpd -s") {
        return;
    }
    if not_on_windows(
        "Wine takes longer to start a program (about 2 s here) than 28's \
         whole transfer, which the test times",
    ) {
        return;
    }
    let dir = temp_dir();
    let everyone = std::os::unix::fs::PermissionsExt::from_mode(0o777);
    std::fs::set_permissions(dir.path(), everyone).unwrap();
    make_file(&dir.path().join("photo.jpg"), 16 << 10); // 33 blocks
    let addr = format!("127.0.0.1:{}", free_udp_port());
    let mut command = Command::new("in.tftpd");
    command
        .args(["-L", "-s", "-T", "3000000", "-a", &addr])
        .arg(dir.path());
    let _server = Proc::start(command);
    let mut took = vec![];
    for bin in [
        lesson_bin("27-tftp-client-window"),
        env!("CARGO_BIN_EXE_28-tftp-client-peer").into(),
    ] {
        let delay = Duration::from_millis(10);
        let front = "127.0.0.1:0".parse().unwrap();
        let acks = ["ACK 3", "ACK 9", "ACK 15", "ACK 21"];
        let lost = Loss::Named(acks.map(String::from).to_vec());
        let server = addr.parse().unwrap();
        let relay = LossyRelay::start(front, server, lost, delay);
        let out = temp_dir();
        let relay_addr = relay.addr.to_string();
        let mut command = cmd(&bin, &["photo.jpg", &relay_addr]);
        command.current_dir(out.path());
        let started = Instant::now();
        let (status, said, err) = run(command, b"");
        assert!(status.success(), "{bin}: {said} {err}");
        took.push(started.elapsed());
        let (got, sent) = (out.path().join("photo.jpg"), dir.path());
        assert!(same_file(&got, &sent.join("photo.jpg")), "{bin}");
        assert_eq!(relay.dropped().len(), 4, "{:?}", relay.dropped());
    }
    let (fixed, measured) = (took[0], took[1]);
    assert!(fixed >= Duration::from_secs(4), "27: {fixed:?}");
    assert!(measured * 3 < fixed, "27: {fixed:?}, 28: {measured:?}");
}

/// A server that never answers: 28 says each resend of the request in a
/// line, gives up after 5 tries in one line, and leaves no file.
#[test]
fn a_silent_server_is_given_up_after_five_tries_with_a_line_each() {
    use std::net::UdpSocket;
    use std::time::Duration;
    use testkit::{cmd, temp_dir, Proc};
    let main = UdpSocket::bind("127.0.0.1:0").unwrap();
    main.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let out = temp_dir();
    let port = main.local_addr().unwrap().to_string();
    let bin = env!("CARGO_BIN_EXE_28-tftp-client-peer");
    let mut command = cmd(bin, &["file", &port]);
    command
        .current_dir(out.path())
        .env("TFTP_TIMEOUT_MS", "100");
    let mut client = Proc::start(command);
    let mut buf = [0; 512];
    main.recv_from(&mut buf).expect("the request");
    for _ in 2..=5 {
        main.recv_from(&mut buf).expect("the request again");
    }
    assert!(!client.wait().success());
    let (_, stdout, err) = client.finish();
    let said = stdout + &err;
    for try_ in 2..=5 {
        let line = format!("timeout: request sent again (try {try_} of 5)");
        assert!(said.contains(&line), "{said}");
    }
    assert!(said.contains(&format!("no answer from {port} after 5 tries")));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "a file");
}
