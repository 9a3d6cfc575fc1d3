//! 05-tcp-client against the tutorial's server (08, in GBK) and socat.

use std::process::Command;
use testkit::{cmd, missing, python, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_05-tcp-client");

#[test]
fn against_the_tutorial_server_in_gbk() {
    if missing("python3") {
        return;
    }
    let mut server = Proc::server(python("tcp_server.py", &[]));
    let addr = server.addr.to_string();
    let mut client = Proc::start(cmd(BIN, &[&addr, "--encoding", "gbk"]));
    client.send_line("你好");
    client.expect("reply: 收到数据");
    assert_eq!(server.expect("你好"), "你好");
    client.send_line("exit");
    assert!(client.finish().0.success());
    server.expect("当前服务完成");
}

#[test]
fn against_a_socat_echo_server() {
    if missing("socat") {
        return;
    }
    // socat picks a free port and says which on stderr
    let mut socat = Command::new("socat");
    socat.args(["-d", "-d", "TCP-LISTEN:0,bind=127.0.0.1,fork", "EXEC:cat"]);
    let echo = Proc::start(socat);
    let port = echo.stderr_until("listening on AF=2 127.0.0.1:");
    let mut client = Proc::start(cmd(BIN, &[&port]));
    client.send_line("echo me");
    client.expect("reply: echo me");
}
