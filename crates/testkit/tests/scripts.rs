//! The teacher's scripts under `scripts/`: each one run for real. The lab
//! and the capture need root (network namespaces, packet capture); without
//! it they print SKIPPED and pass. CI runs as root.

use std::path::PathBuf;
use std::process::{Command, Output};
use testkit::{free_udp_port, missing, missing_root, Proc};

fn script(name: &str) -> Command {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut command = Command::new(root.join("scripts").join(name));
    command.env_remove("RUST_BACKTRACE");
    command
}

fn output(command: &mut Command) -> (bool, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    let text =
        String::from_utf8_lossy(&stdout) + String::from_utf8_lossy(&stderr);
    (status.success(), text.into_owned())
}

#[test]
fn every_script_explains_itself() {
    for name in [
        "lesson",
        "diff-lessons",
        "demo",
        "capture",
        "lab",
        "bench-download",
        "bench-servers",
        "bench-tftp",
    ] {
        let (ok, text) = output(script(name).arg("--help"));
        assert!(ok && text.contains("usage: scripts/"), "{name}: {text}");
    }
}

#[test]
fn lesson_runs_a_lesson_by_number() {
    let (ok, text) = output(script("lesson").args(["01", "--help"]));
    assert!(ok && text.starts_with("usage: 01-udp-send"), "{text}");
    let (ok, text) = output(script("lesson").arg("99"));
    assert!(!ok && text.contains("no lesson 99"), "{text}");
}

#[test]
fn diff_lessons_shows_one_new_idea() {
    let (ok, text) = output(script("diff-lessons").arg("16"));
    assert!(ok, "{text}");
    assert!(text.starts_with("08-tcp-server-multi -> 16-multi-thread-server"));
    assert!(text.contains("+use std::{sync::Arc, thread};"), "{text}");
    assert!(
        text.contains("thread::Builder::new().spawn(move || {"),
        "{text}"
    );
    let side = script("diff-lessons")
        .args(["--side-by-side", "16", "17"])
        .output();
    let side = String::from_utf8(side.unwrap().stdout).unwrap();
    let changed = side.lines().filter(|l| l.contains(" | ")).count();
    assert!(changed > 3, "{side}");
    let (ok, text) = output(script("diff-lessons").arg("01"));
    assert!(!ok && text.contains("grows from no lesson"), "{text}");
}

#[test]
fn capture_names_the_handshake_and_the_teardown() {
    if missing("tcpdump") || missing_root("capture packets") {
        return;
    }
    let (ok, text) = output(script("capture").arg("05"));
    assert!(ok, "{text}");
    let flags: Vec<&str> = text
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(5))
        .collect();
    assert_eq!(&flags[..3], ["SYN", "SYN-ACK", "ACK"], "{text}");
    assert!(flags.contains(&"PSH-ACK"), "{text}");
    assert_eq!(
        flags.iter().filter(|f| **f == "FIN-ACK").count(),
        2,
        "{text}"
    );
    assert!(text.contains("handshake 3: yes"), "{text}");
}

#[test]
fn demo_starts_both_ends_in_tmux() {
    if missing("tmux") {
        return;
    }
    let session = format!("test-demo-{}", std::process::id());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    drop(listener); // free: the demo's server binds it
    let (ok, text) = output(
        script("demo")
            .args(["05", &port])
            .env("DEMO_SESSION", &session),
    );
    struct Kill(String);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["kill-session", "-t", &self.0])
                .status();
        }
    }
    let _kill = Kill(session.clone());
    assert!(ok, "{text}");
    let pane = |n: u8| format!("{session}:0.{n}");
    let screen = |n: u8| {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &pane(n)])
            .output();
        String::from_utf8_lossy(&out.unwrap().stdout).into_owned()
    };
    let wait_for = |n: u8, text: &str| {
        let deadline = std::time::Instant::now() + testkit::DEADLINE;
        while !screen(n).contains(text) {
            assert!(std::time::Instant::now() < deadline, "{}", screen(n));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait_for(1, "data to send:");
    let keys = ["send-keys", "-t", &pane(1), "hello demo", "Enter"];
    Command::new("tmux").args(keys).status().unwrap();
    wait_for(1, "reply: received: hello demo");
    wait_for(0, "received: hello demo");
}

/// The lab's hosts, removed on drop.
struct Lab(String);

impl Lab {
    fn run(&self, host: &str, args: &[&str]) -> Command {
        let mut command = script("lab");
        command
            .env("LAB_PREFIX", &self.0)
            .args(["run", host])
            .args(args);
        command
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = script("lab")
            .env("LAB_PREFIX", &self.0)
            .arg("down")
            .output();
    }
}

#[test]
fn lab_broadcast_and_tftp_through_loss_between_two_hosts() {
    if missing("ip") || missing_root("create network namespaces") {
        return;
    }
    let lab = Lab(format!("nl{}", std::process::id() % 100_000));
    let (ok, text) = output(script("lab").env("LAB_PREFIX", &lab.0).arg("up"));
    assert!(ok && text.contains("192.168.1.103"), "{text}");
    // 02 on b hears a broadcast from a
    let mut recv = Proc::server(lab.run("b", &["02", "0.0.0.0:0"]));
    let dest = format!("192.168.1.255:{}", recv.addr.port());
    let mut send = Proc::start(lab.run("a", &["12", &dest]));
    send.send_line("hello from a");
    send.close_stdin();
    assert!(send.wait().success(), "{}", send.stderr_text());
    recv.expect("from 192.168.1.90:");
    // TFTP from a to b through a relay on a that loses 10% each way
    let dir = testkit::TempDir::new();
    testkit::make_file(&dir.path().join("file"), 50_000);
    let served = dir.path().to_str().unwrap();
    let mut server = lab.run("a", &["15", "0.0.0.0:0", served]);
    server.env("TFTP_TIMEOUT_MS", "50"); // as short as the client's
    let server = Proc::server(server);
    let target = format!("192.168.1.90:{}", server.addr.port());
    let relay_port = free_udp_port().to_string();
    let relay = lab.run("a", &["relay", &relay_port, &target, "10"]);
    let relay = Proc::server(relay);
    let out = testkit::TempDir::new();
    let mut client =
        lab.run("b", &["14", "file", &format!("192.168.1.90:{relay_port}")]);
    client.current_dir(out.path()).env("TFTP_TIMEOUT_MS", "50");
    let (ok, text) = output(&mut client);
    assert!(ok, "{text}");
    assert!(testkit::same_file(
        &dir.path().join("file"),
        &out.path().join("file")
    ));
    drop((recv, server, relay));
    let (ok, _) = output(script("lab").env("LAB_PREFIX", &lab.0).arg("down"));
    assert!(ok);
    let (_, left) = output(Command::new("ip").args(["netns", "list"]));
    assert!(!left.contains(&lab.0), "namespaces left: {left}");
}
