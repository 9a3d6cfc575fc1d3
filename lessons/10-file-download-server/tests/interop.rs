//! 10-file-download-server (and 21, the end of its chain, which runs this
//! file too) with the tutorial's download client and nc.

use std::process::Command;
use testkit::{cmd, make_file, missing, python, run, temp_dir, Proc};

/// 10, or the lesson of its chain that includes this file
static BIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    testkit::this_lesson(env!("CARGO_MANIFEST_DIR"))
});

#[test]
fn with_the_tutorial_client() {
    if missing("python3") {
        return;
    }
    let served = temp_dir();
    std::fs::write(served.path().join("notes.txt"), "网络编程\n").unwrap();
    let dir = served.path().display().to_string();
    let server = Proc::server(cmd(&BIN, &["127.0.0.1:0", &dir]));
    let port = server.addr.port();
    let client_dir = temp_dir();
    let mut client = python("download_client.py", &[]);
    client.current_dir(client_dir.path());
    let answers = format!("127.0.0.1\n{port}\nnotes.txt\n");
    let (status, _, err) = run(client, answers.as_bytes());
    assert!(status.success(), "{err}");
    let saved = client_dir.path().join("[接收]notes.txt");
    assert_eq!(std::fs::read_to_string(saved).unwrap(), "网络编程\n");
}

#[test]
fn with_nc() {
    if missing("nc") {
        return;
    }
    let served = temp_dir();
    make_file(&served.path().join("data.bin"), 3 << 20);
    let dir = served.path().display().to_string();
    let server = Proc::server(cmd(&BIN, &["127.0.0.1:0", &dir]));
    let out = served.path().join("copy.bin");
    let script = format!(
        "printf data.bin | nc -N 127.0.0.1 {} > {}",
        server.addr.port(),
        out.display()
    );
    let mut nc = Command::new("sh");
    nc.args(["-c", &script]);
    let (status, _, _) = run(nc, b"");
    assert!(status.success());
    assert!(testkit::same_file(&served.path().join("data.bin"), &out));
}
