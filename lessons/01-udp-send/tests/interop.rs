//! 01-udp-send to the tutorial's own receiver, which decodes GBK.

use testkit::{cmd, missing, python, Proc};

#[test]
fn the_tutorial_receiver_decodes_what_01_sends_in_gbk() {
    if missing("python3") {
        return;
    }
    let mut receiver = Proc::server(python("udp_recv.py", &[]));
    let dest = receiver.addr.to_string();
    let bin = env!("CARGO_BIN_EXE_01-udp-send");
    let mut sender = Proc::start(cmd(bin, &[&dest, "--encoding", "gbk"]));
    sender.send_line("你好");
    assert!(receiver.line().contains(r"b'\xc4\xe3\xba\xc3'"));
    assert_eq!(receiver.line(), "打印接收数据：你好");
}
