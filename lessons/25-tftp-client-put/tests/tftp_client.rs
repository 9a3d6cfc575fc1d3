//! 25-tftp-client-put: 14 cannot upload at all; 25 uploads to 15,
//! tftpd-hpa and atftpd, and to a scripted server that repeats an ACK,
//! loses one, or falls silent.

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use testkit::{
    cmd, lesson_bin, make_file, recv_datagram, run, same_file, temp_dir,
    udp_socket, Proc, TempDir,
};
#[cfg(unix)] // the real servers
use {
    std::process::Command,
    testkit::{free_udp_port, missing},
};

const BIN: &str = env!("CARGO_BIN_EXE_25-tftp-client-put");

/// `bin` run in `cwd`: (exit code, stdout + stderr).
fn client(bin: &str, cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut command = cmd(bin, args);
    command.current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.code(), out + &err)
}

/// Uploads each size to `server` (writing into `dir`) and compares.
fn check_uploads(server: &str, dir: &Path, sizes: &[usize]) {
    let mine = temp_dir();
    for size in sizes {
        let name = format!("up{size}");
        make_file(&mine.path().join(&name), *size);
        let (code, text) = client(BIN, mine.path(), &[&name, server, "--put"]);
        assert_eq!(code, Some(0), "{name}: {text}");
        assert_eq!(text, format!("sent {name}: {size} bytes"));
        assert!(same_file(&mine.path().join(&name), &dir.join(&name)));
    }
}

/// The failure: 14 has no way to send a file (a usage error, exit 2).
/// 25 sends it, to 15, in every size that ends a transfer differently.
#[test]
fn fourteen_cannot_upload_and_25_can() {
    let mine = temp_dir();
    fs::write(mine.path().join("homework.txt"), "my homework\n").unwrap();
    let args = ["homework.txt", "9", "--put"];
    let (code, text) =
        client(&lesson_bin("14-tftp-client"), mine.path(), &args);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("unknown option --put"), "{text}");

    let dir = temp_dir();
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served, "--write", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    let sizes = [0, 1, 511, 512, 1024, 100_000];
    check_uploads(&server.addr.to_string(), dir.path(), &sizes);
}

#[cfg(unix)] // the peers are Unix programs
#[test]
fn uploads_to_tftpd_hpa_and_atftpd() {
    if missing("in.tftpd")
        || missing("atftpd")
        || testkit::missing_root("run them")
    {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let addr = format!("127.0.0.1:{}", free_udp_port());
    let mut command = Command::new("in.tftpd");
    // -L foreground, -s chroot into DIR, -c allow new files
    command
        .args(["-L", "-s", "-c", "-a", &addr])
        .arg(dir.path());
    let _hpa = Proc::start(command);
    check_uploads(&addr, dir.path(), &[0, 512, 70_000]);

    let dir = testkit::temp_dir_open_to_all();
    let port = free_udp_port();
    let mut command = Command::new(testkit::ATFTPD);
    command.args(["--daemon", "--no-fork", "--no-multicast"]);
    command.args(["--port", &port.to_string(), "--bind-address", "127.0.0.1"]);
    command.args(["--user", "root.root"]).arg(dir.path());
    let _atftpd = Proc::start(command);
    check_uploads(&format!("127.0.0.1:{port}"), dir.path(), &[0, 70_000]);
}

/// 25 uploading a 600-byte `dir/homework.txt` from a new folder to the
/// test's own socket, which plays the server's main port.
fn scripted() -> (TempDir, UdpSocket, Proc) {
    let (mine, main) = (temp_dir(), udp_socket());
    fs::create_dir(mine.path().join("dir")).unwrap();
    make_file(&mine.path().join("dir/homework.txt"), 600);
    let port = main.local_addr().unwrap().to_string();
    let mut command = cmd(BIN, &["dir/homework.txt", &port, "--put"]);
    command.current_dir(mine.path());
    (mine, main, Proc::start(command))
}

/// The WRQ is the tutorial's request with opcode 2 and the name without
/// its folder; ACK 0 brings DATA 1; an ACK repeated is not answered (a
/// new block for each copy would double every block from then on: the
/// Sorcerer's Apprentice bug); a lost block goes again after a second.
#[test]
fn an_upload_block_by_block_with_a_repeated_ack_and_a_lost_block() {
    let (mine, main, mut client) = scripted();
    let (request, client_addr) = recv_datagram(&main);
    assert_eq!(request, b"\x00\x02homework.txt\x00octet\x00");
    let tid = udp_socket();
    tid.send_to(&[0, 4, 0, 0], client_addr).unwrap();
    let (block1, _) = recv_datagram(&tid);
    assert_eq!((&block1[..4], block1.len()), (&[0, 3, 0, 1][..], 516));
    tid.send_to(&[0, 4, 0, 0], client_addr).unwrap(); // ACK 0 again
    tid.send_to(&[0, 4, 0, 1], client_addr).unwrap();
    let (block2, _) = recv_datagram(&tid);
    assert_eq!((&block2[..4], block2.len()), (&[0, 3, 0, 2][..], 92));
    let again = recv_datagram(&tid).0; // "lost": after a second, sent again
    assert_eq!(again, block2);
    tid.send_to(&[0, 4, 0, 2], client_addr).unwrap();
    let (status, stdout, err) = client.finish();
    assert!(status.success(), "{err}");
    assert_eq!(stdout, "sent homework.txt: 600 bytes");
    let sent = [&block1[4..], &block2[4..]].concat();
    assert_eq!(
        sent,
        fs::read(mine.path().join("dir/homework.txt")).unwrap()
    );
}

/// A silent server: 5 sends of the WRQ, one line, and the file being
/// uploaded is still there (a failed download removes its half file;
/// an upload must never remove the student's own).
#[test]
fn a_silent_server_leaves_the_file_being_sent() {
    let (mine, main, mut client) = scripted();
    for _ in 0..5 {
        recv_datagram(&main);
    }
    let (status, _, said) = client.finish();
    assert_eq!(status.code(), Some(1));
    let main_addr = main.local_addr().unwrap();
    assert_eq!(
        said,
        format!("Error: no answer from {main_addr} after 5 tries\n")
    );
    assert!(mine.path().join("dir/homework.txt").exists(), "removed");
}
