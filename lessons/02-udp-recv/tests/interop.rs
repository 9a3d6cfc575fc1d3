//! 02-udp-recv receives from the tutorial's sender, from nc and socat.

use std::process::Command;
use testkit::{cmd, missing, python, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_02-udp-recv");

#[test]
fn from_the_tutorial_sender() {
    if missing("python3") {
        return;
    }
    let mut receiver = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let port = receiver.addr.port().to_string();
    let input = "nihao\n你好\nexit\n".as_bytes();
    let (status, _, err) =
        run(python("udp_send.py", &["127.0.0.1", &port]), input);
    assert!(status.success(), "{err}");
    assert!(receiver.line().ends_with("b'nihao'"));
    assert_eq!(receiver.line(), "nihao");
    receiver.expect(r"b'\xe4\xbd\xa0\xe5\xa5\xbd'");
    assert_eq!(receiver.line(), "你好");
}

#[test]
fn from_nc_and_socat() {
    if missing("nc") {
        return;
    }
    if missing("socat") {
        return;
    }
    let mut receiver = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let port = receiver.addr.port().to_string();
    let mut nc = Command::new("nc");
    nc.args(["-u", "-w1", "127.0.0.1", &port]);
    let (status, _, _) = run(nc, b"from nc");
    assert!(status.success());
    receiver.expect("b'from nc'");
    let mut socat = Command::new("socat");
    socat.args(["-u", "-", &format!("UDP:127.0.0.1:{port}")]);
    let (status, _, _) = run(socat, b"from socat");
    assert!(status.success());
    receiver.expect("b'from socat'");
}
