//! 33-tftp-client-receive's idea, the loop as `receive_file`, which ends
//! a transfer the same way whatever stops it, against 32's loop in
//! `main`: a download whose file cannot grow past a few KiB (`ulimit -f`, a
//! full disk in small), from 63.

/// 32's `write_all(..)?` leaves `main` at once: 63 is never told and
/// sends its block again and again, and a half file stays under
/// the file's name. 33 tells the server (ERROR, with the reason) and
/// removes the half file, whatever ended the loop.
#[cfg(unix)] // ulimit, and a signal to ignore
#[test]
fn a_file_that_cannot_be_written_is_told_to_the_server() {
    use testkit::{cmd, lesson_bin, make_file, run, temp_dir, Proc};
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 64 << 10);
    let served = dir.path().to_str().unwrap();
    let mut command =
        cmd(&lesson_bin("63-tftp-server-safe"), &["127.0.0.1:0", served]);
    command.env("TFTP_TIMEOUT_MS", "100");
    let mut server = Proc::server(command);
    let addr = server.addr.to_string();
    for (bin, told) in [
        (lesson_bin("32-tftp-client-progress"), false),
        (env!("CARGO_BIN_EXE_33-tftp-client-receive").into(), true),
    ] {
        let out = temp_dir();
        // files of at most 8 blocks of 512 bytes; a write past that
        // fails (SIGXFSZ ignored: else the signal ends the program)
        let limited = "trap '' XFSZ; ulimit -f 8; exec \"$0\" photo.jpg \"$1\"";
        let mut command = std::process::Command::new("sh");
        command.args(["-c", limited, &bin, &addr]);
        command.current_dir(out.path());
        let (status, said, err) = run(command, b"");
        assert!(!status.success(), "{bin}: {said}");
        assert!(err.contains("File too large"), "{bin}: {err}");
        let line = server.expect(" get photo.jpg: ");
        let left = out.path().join("photo.jpg").exists();
        if told {
            assert!(
                line.contains("peer sent error 0: File too large"),
                "{line}"
            );
            assert!(!left, "{bin}: a half file left");
        } else {
            assert!(line.contains("sent again (try 2 of 5)"), "{line}");
            server.expect("after 5 tries");
            assert!(left, "{bin}");
        }
    }
}
