//! 35-tftp-client-ipv6's idea against 34's: a server on IPv6 (63 on
//! [::1]), and a --blksize that TFTP cannot carry.

use testkit::{cmd, lesson_bin, make_file, run, same_file, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_35-tftp-client-ipv6");

/// 34's socket is IPv4 whatever the server's address: the request
/// cannot even be sent to [::1]. 35's socket takes the server's family.
#[test]
fn a_server_on_ipv6_is_reached() {
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 16 << 10);
    let served = dir.path().to_str().unwrap();
    let args = ["[::1]:0", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    let addr = server.addr.to_string();
    assert!(addr.starts_with("[::1]:"), "{addr}");
    for (bin, reached) in [
        (lesson_bin("34-tftp-client-rate"), false),
        (BIN.into(), true),
    ] {
        let out = temp_dir();
        let mut command = cmd(&bin, &["photo.jpg", &addr]);
        command.current_dir(out.path());
        let (status, said, err) = run(command, b"");
        let got = out.path().join("photo.jpg");
        if reached {
            assert!(status.success(), "{bin}: {said} {err}");
            assert!(same_file(&got, &dir.path().join("photo.jpg")));
        } else {
            assert!(!status.success(), "{bin}: {said}");
            assert!(err.starts_with("Error: send: "), "{bin}: {err}");
            assert!(!got.exists());
        }
    }
}

/// `--blksize 4` (less than the RFC's 8): 34 asks for it, 63 leaves the
/// option out of its answer, and the transfer runs with 512 bytes
/// without a word. 35 says so before it sends anything: exit status 2,
/// with the usage.
#[test]
fn a_block_size_out_of_range_is_a_usage_error() {
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 16 << 10);
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    let addr = server.addr.to_string();
    for (bin, refused) in [
        (lesson_bin("34-tftp-client-rate"), false),
        (BIN.into(), true),
    ] {
        for blksize in ["4", "100000"] {
            let out = temp_dir();
            let args = ["photo.jpg", &addr, "--blksize", blksize];
            let mut command = cmd(&bin, &args);
            command.current_dir(out.path());
            let (status, said, err) = run(command, b"");
            if refused {
                assert_eq!(status.code(), Some(2), "{bin}: {said}");
                let why = "error: --blksize must be 8 to 65464";
                assert!(err.starts_with(why), "{err}");
                assert_eq!(said, "");
            } else {
                assert!(status.success(), "{bin}: {said} {err}");
            }
        }
    }
}
