//! 36-tftp-client-part's idea, a download that shows under its name only
//! when complete, against 35's: 64 KiB from 63 through a link with 10 ms
//! each way (a few seconds), looked at while it runs, and after the
//! client is killed halfway.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, make_file, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_36-tftp-client-part");

/// The names in `folder` once the client's first progress line has come
/// (a second into the download), sorted.
fn names_once_under_way(client: &Proc, folder: &Path) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !client.stderr_text().contains(" of 65536 (") {
        assert!(Instant::now() < deadline, "no progress line");
        std::thread::sleep(Duration::from_millis(20)); // a poll, not a sync
    }
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_half_download_never_has_the_files_name() {
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 64 << 10);
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    for (bin, named) in [
        (lesson_bin("35-tftp-client-ipv6"), true),
        (BIN.into(), false),
    ] {
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = testkit::LossyRelay::start(front, server.addr, loss, delay);
        let out = temp_dir();
        let mut command = cmd(&bin, &["photo.jpg", &relay.addr.to_string()]);
        command.current_dir(out.path());
        let mut client = Proc::start(command);
        let names = names_once_under_way(&client, out.path());
        client.kill(); // Ctrl-C halfway
        let photo = out.path().join("photo.jpg");
        if named {
            assert_eq!(names, ["photo.jpg"], "{bin}");
            let half = fs::metadata(&photo).unwrap().len();
            assert!(half < 64 << 10, "{bin}: {half} bytes");
        } else {
            let [part] = &names[..] else {
                panic!("{names:?}")
            };
            assert!(part.starts_with(".photo.jpg."), "{part}");
            assert!(part.ends_with(".part"), "{part}");
            assert!(!photo.exists(), "{bin}");
        }
    }
}
