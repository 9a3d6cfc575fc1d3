//! The README's story, run for real in a scratch folder that stands for
//! the student's: a server that sends 10 MiB whatever it is asked (`head
//! -c 10M /dev/zero | nc -N -l 7788` in the README, a thread of the
//! test's own here), which 09 saves whole and 22 stops at its cap,
//! leaving nothing (`ls -A`); then 22 downloads `hello.txt` from 21.
//! The clients run in `downloads/`, the server in the course folder.
//! Linux: what 22 leaves behind is Linux's story (O_TMPFILE).
#![cfg(target_os = "linux")]

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_22-file-download-client-safe");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";

/// A server of one connection that sends 10 MiB of zeros, as `head -c
/// 10M /dev/zero | nc -N -l` does, or less if the client closes first.
fn ten_mib_of_zeros() -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let handle = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let _ = conn.read(&mut [0; 1024]);
        for _ in 0..160 {
            if conn.write_all(&[0; 64 << 10]).is_err() {
                return;
            }
        }
    });
    (port, handle)
}

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = fs::canonicalize(scratch.path()).unwrap();
    let downloads = folder.join("downloads");
    fs::create_dir(&downloads).unwrap();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    let story = Story::default();
    story.text(folder.to_str().unwrap(), "/home/student/course");
    let run_in = |bin: &str, args: &[&str], typed: &str| {
        let mut command = cmd(bin, args);
        command.current_dir(&downloads);
        story.terminal(typed, command)
    };

    // 09 saves all the server sends; 22 stops at its cap
    let (port, server) = ten_mib_of_zeros();
    let mut t1 = run_in(
        &lesson_bin("09-file-download-client"),
        &[&port, "big.iso"],
        "cargo run --bin 09-file-download-client -- 7788 big.iso",
    );
    t1.wait_for("saved 10485760 bytes as received-big.iso\n");
    assert_eq!(t1.exit_code(), Some(0));
    server.join().unwrap();
    fs::remove_file(downloads.join("received-big.iso")).unwrap();
    let (port, server) = ten_mib_of_zeros();
    let mut t2 = run_in(
        BIN,
        &[&port, "big.iso", "--max-size", "1000000"],
        "cargo run --bin 22-file-download-client-safe -- 7788 big.iso \
         --max-size 1000000",
    );
    t2.wait_for("download stopped\n");
    assert_eq!(t2.exit_code(), Some(1));
    server.join().unwrap();
    let mut t3 = run_in("ls", &["-A"], "ls -A");
    assert_eq!(t3.exit_code(), Some(0));

    // 22 downloads from 21 as 09 does
    let mut server = cmd(&lesson_bin("21-file-download-server-links"), &[]);
    server.arg("0.0.0.0:0").current_dir(&folder);
    let typed = "cargo run --bin 21-file-download-server-links";
    let mut t4 = story.terminal(typed, server);
    let addr = t4.listening(7788).to_string();
    t4.wait_for("serving files in ");
    let mut t5 = run_in(
        BIN,
        &[&addr, "hello.txt", "--max-size", "1000000"],
        "cargo run --bin 22-file-download-client-safe -- 7788 hello.txt \
         --max-size 1000000",
    );
    t5.wait_for("saved 22 bytes as received-hello.txt\n");
    assert_eq!(t5.exit_code(), Some(0));
    t4.wait_for("sent 22 bytes\n");
    let saved = fs::read_to_string(downloads.join("received-hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4, t5]);
}
