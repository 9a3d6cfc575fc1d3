//! 09-file-download-client writes a download under a temporary name
//! first (22, later in its chain, hides it better: its own tests).

use std::io::Write;
use std::net::TcpListener;
use testkit::{cmd, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_09-file-download-client");

#[test]
fn a_killed_download_never_leaves_the_final_name() {
    let dir = temp_dir();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut command = cmd(BIN, &[&addr, "slow.bin"]);
    command.current_dir(dir.path());
    let mut client = Proc::start(command);
    let (mut conn, _) = listener.accept().unwrap();
    conn.write_all(&[7; 4096]).unwrap();
    // the first bytes have arrived in the temporary file: kill the client
    let deadline = std::time::Instant::now() + testkit::DEADLINE;
    let part = loop {
        assert!(std::time::Instant::now() < deadline, "no .part file");
        let names = std::fs::read_dir(dir.path()).unwrap();
        let names: Vec<String> = names
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        if let Some(name) = names.iter().find(|n| n.ends_with(".part")) {
            if std::fs::metadata(dir.path().join(name)).unwrap().len() > 0 {
                break name.clone();
            }
        }
        std::thread::yield_now();
    };
    client.kill();
    assert!(part.starts_with(".received-slow.bin."), "{part}");
    assert!(!dir.path().join("received-slow.bin").exists());
}
