//! The README's story, run for real: 17 in terminal 1, two 05s in
//! terminals 2 and 3, and `ps` in terminal 4, once while both clients are
//! connected and once after the first has left (its child is gone: no
//! zombie). `ps` prints process ids in columns: each of its rows is shown
//! with the ids the README uses (the children's as in 17's own `child pid`
//! lines, 4242 and 4243, and the parent's as 4241). 69, whose README
//! tells the same story, runs this file as its own: `testkit::this_lesson`
//! and the folder's name say which lesson it is.
#![cfg(unix)]

use std::process::Command;
use testkit::readme::{Story, Terminal};
use testkit::{cmd, lesson_bin, missing, this_lesson};

const DIR: &str = env!("CARGO_MANIFEST_DIR");
const PARENT_SHOWN: u32 = 4241;

/// This lesson's name (its folder's): 17-multi-process-server or 69's
fn lesson() -> String {
    let folder = std::path::Path::new(DIR).file_name().unwrap();
    folder.to_string_lossy().into_owned()
}

/// Types `line` in a 05 and waits for the reply and the child's log line.
fn say(client: &mut Terminal, server: &mut Terminal, line: &str) {
    client.wait_for("data to send: ");
    client.type_line(line);
    client.wait_for(&format!("reply: received: {line}\n"));
    server.wait_for(&format!(": {line}\n"));
}

/// The process id in the server's next `client ADDR: child pid N` line.
fn child_pid(server: &mut Terminal) -> u32 {
    server.wait_for("new client ");
    server.wait_for("child pid ");
    server.wait_for("\n").trim().parse().unwrap()
}

/// `text` with its first number, right-aligned in its column, replaced.
fn replace_first_number(text: &str, number: u32) -> (String, &str) {
    let digits = text.trim_start();
    let width = text.len() - digits.len();
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap();
    let width = width + end;
    (format!("{number:>width$}"), &digits[end..])
}

/// `ps` lists the children of `parent` (the real pid): one row for each
/// of `children` (real pid, pid shown), which the README shows with the
/// pids shown.
fn ps(story: &Story, parent: u32, children: &[(u32, u32)]) -> Terminal {
    let mut command = Command::new("ps");
    let parent_arg = parent.to_string();
    command.args(["-o", "pid,ppid,s,comm", "--ppid", &parent_arg]);
    let nn = &lesson()[..2];
    let typed = format!(
        "ps -o pid,ppid,s,comm --ppid $(pgrep -o -u $(id -u) -f {nn}-multi)"
    );
    let mut terminal = story.terminal(&typed, command);
    terminal.wait_for("COMMAND\n");
    for _ in children {
        let row = terminal.wait_for("\n");
        let real: u32 = row.split_whitespace().next().unwrap().parse().unwrap();
        let (_, shown) = children.iter().find(|(pid, _)| *pid == real).unwrap();
        let (pid, rest) = replace_first_number(&row, *shown);
        assert!(rest.trim_start().starts_with(&parent_arg), "{row}");
        let (ppid, rest) = replace_first_number(rest, PARENT_SHOWN);
        assert!(rest.trim_start().starts_with("S "), "{row}");
        story.text(&row, &format!("{pid}{ppid}{rest}"));
    }
    assert_eq!(terminal.exit_code(), Some(0));
    terminal
}

#[test]
fn what_you_should_see() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    if missing("ps") {
        return;
    }
    let story = Story::default();
    let server_cmd = cmd(&this_lesson(DIR), &["0.0.0.0:0"]);
    let typed = format!("cargo run --bin {}", lesson());
    let mut t1 = story.terminal(&typed, server_cmd);
    let addr = t1.listening(7788).to_string();
    let client = || cmd(&lesson_bin("05-tcp-client"), &[&addr]);
    let typed = "cargo run --bin 05-tcp-client";

    // two clients, each served by a child of its own
    let mut t2 = story.terminal(typed, client());
    let first = child_pid(&mut t1);
    say(&mut t2, &mut t1, "hello from the first");
    let mut t3 = story.terminal(typed, client());
    let second = child_pid(&mut t1);
    say(&mut t3, &mut t1, "hello from the second");

    // ps: the two children (4242 and 4243, as the harness shows pids)
    let parent = testkit::processes()[&first].0;
    let t4 = ps(&story, parent, &[(first, 4242), (second, 4243)]);

    // the first client leaves: its child ends and is reaped at once
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" left\n");
    let t5 = ps(&story, parent, &[(second, 4243)]);

    t3.wait_for("data to send: ");
    t3.type_line("exit");
    assert_eq!(t3.exit_code(), Some(0));
    t1.wait_for(" left\n");
    story.check(DIR, vec![t1, t2, t3, t4, t5]);
}
