//! The README's story, run for real: 00 explains a few addresses given on
//! its command line (a one-shot program: no server, no other end). No
//! host name here: what `localhost` resolves to differs between machines.

use testkit::cmd;
use testkit::readme::Story;

const BIN: &str = env!("CARGO_BIN_EXE_00-ip-address");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    // ports typed on the command line are shown as they are
    story.port(8080, 8080);
    story.port(53, 53);
    let args = [
        "192.168.1.103/24",
        "10.0.0.7/255.0.0.0",
        "300.1.1.1",
        "127.0.0.1:8080",
        "8.8.8.8:53",
        "fe80::1/64",
    ];
    let typed = format!("cargo run --bin 00-ip-address -- {}", args.join(" "));
    let mut t1 = story.terminal(&typed, cmd(BIN, &args));
    // one bad address: the others are explained, the exit code says it
    assert_eq!(t1.exit_code(), Some(1));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1]);
}
