//! 58's idea, `--max-size`, against 57, which has no cap (nor the
//! option): a 5,000-byte upload is stored by 57; 58 started with
//! `--max-size 4096` refuses it with ERROR 3 and leaves nothing in the
//! folder, and takes it under `--max-size 5000`.

use std::fs;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, make_file, run, temp_dir, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_58-tftp-server-max-size");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "57-tftp-server-floor";
const CLIENT: &str = "25-tftp-client-put";

/// Uploads a 5,000-byte `big.bin` to `bin` run with `args`; returns the
/// client's success and words, and the names left in the upload folder.
fn upload(bin: &str, args: &[&str]) -> (bool, String, Vec<String>) {
    let (scratch, home) = (temp_dir(), temp_dir());
    fs::create_dir(scratch.path().join("uploads")).unwrap();
    make_file(&home.path().join("big.bin"), 5_000);
    let mut all = vec!["127.0.0.1:0", ".", "--write", "uploads"];
    all.extend(args);
    let mut command = cmd(bin, &all);
    command.current_dir(scratch.path());
    let server = Proc::server(command);
    let addr = server.addr.to_string();
    let mut client = cmd(&lesson_bin(CLIENT), &["big.bin", &addr, "--put"]);
    client.current_dir(home.path());
    let (status, out, err) = run(client, b"");
    let names = || -> Vec<String> {
        let folder = fs::read_dir(scratch.path().join("uploads")).unwrap();
        let name = |e: fs::DirEntry| e.file_name().to_string_lossy().into();
        folder.map(|e| name(e.unwrap())).collect()
    };
    // a refused upload's temporary file goes as its thread ends, which
    // may be a moment after the client has its ERROR
    let end = Instant::now() + DEADLINE;
    while names().iter().any(|n| n.starts_with('.')) && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    (status.success(), out + &err, names())
}

#[test]
fn an_upload_past_the_cap_is_stored_by_57_and_refused_by_58() {
    let (ok, said, names) = upload(&lesson_bin(PREV), &[]);
    assert!(ok, "{said}");
    assert_eq!(names, ["big.bin"]);
    let (ok, said, names) = upload(BIN, &["--max-size", "4096"]);
    assert!(!ok, "{said}");
    assert!(said.contains("server error 3: "), "{said}");
    assert!(names.is_empty(), "{names:?}");
    // and under the cap, as before
    let (ok, said, names) = upload(BIN, &["--max-size", "5000"]);
    assert!(ok, "{said}");
    assert_eq!(names, ["big.bin"]);
}
