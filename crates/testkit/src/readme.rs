//! README transcripts that stay true. A lesson's README shows what a
//! student sees in each terminal as ```` ```console ```` blocks; a test
//! runs the same story for real (both ends, typing where the student
//! types) and compares, block by block, with the README and its Chinese
//! twin (`README.zh-CN.md`, whose code blocks are the same).
//!
//! Ports, process ids and temporary paths differ from run to run, and
//! tests never use the lessons' fixed ports: the test runs a server on
//! port 0 and says which port the README shows instead (`listening(8080)`);
//! every other port (a client's, chosen by the system) is shown as 50412,
//! 50413 ... in order of appearance. Decimal numbers (times, rates) match
//! any decimal number. `UPDATE_READMES=1 cargo test` writes the real
//! transcripts into both READMEs instead of comparing.

use crate::{Proc, DEADLINE};
use regex::{Captures, Regex};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, LazyLock, Mutex};

/// The first port given to a port the system chose.
const FIRST_PORT: u32 = 50412;
/// The first process id shown for a real one.
const FIRST_PID: u32 = 4242;

/// What the screens of one story share: which real ports, process ids and
/// paths are shown as what.
#[derive(Clone, Default)]
pub struct Story(Arc<Mutex<Shown>>);

#[derive(Default)]
struct Shown {
    ports: HashMap<u32, u32>,
    pids: HashMap<u32, u32>,
    texts: Vec<(String, String)>,
}

impl Story {
    /// Shows the real `port` as `as_port` (a server's port 0 as its
    /// default port).
    pub fn port(&self, port: u16, as_port: u32) {
        self.0.lock().unwrap().ports.insert(port.into(), as_port);
    }

    /// Shows `text` (a temporary folder, say) as `as_text`. A Windows
    /// build run by Wine sees a Linux path `/tmp/x` as `Z:\tmp\x`: that
    /// form is shown as `as_text` too.
    pub fn text(&self, text: &str, as_text: &str) {
        let mut shown = self.0.lock().unwrap();
        if crate::testing_windows() && text.starts_with('/') {
            let wine = format!("Z:{}", text.replace('/', "\\"));
            shown.texts.push((wine, as_text.to_string()));
        }
        shown.texts.push((text.to_string(), as_text.to_string()));
        shown.texts.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    }

    /// Starts `command` in a new terminal, shown as the student types it
    /// (`cargo run --bin 02-udp-recv`).
    pub fn terminal(&self, typed: &str, command: Command) -> Terminal {
        // the typed command first, before any output can arrive
        let proc = Proc::with(command, Some(&format!("$ {typed}\n")));
        Terminal {
            story: self.clone(),
            proc,
        }
    }

    /// The text as the README shows it: ports, pids and paths replaced.
    fn normalise(&self, text: &str) -> String {
        let mut shown = self.0.lock().unwrap();
        let mut text = text.to_string();
        for (real, as_text) in &shown.texts {
            text = text.replace(real, as_text);
        }
        let text =
            renumber(&text, r"(pid )(\d{1,9})\b", &mut shown.pids, FIRST_PID);
        // the port of every `IPv4:PORT` and `[IPv6]:PORT` that starts a word
        let ipv4 = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}";
        let ipv6 = r"\[[0-9A-Fa-f:.]+\]";
        let ports =
            format!(r"((?:^|[^0-9A-Za-z.])(?:{ipv4}|{ipv6}):)(\d{{1,5}})\b");
        renumber(&text, &ports, &mut shown.ports, FIRST_PORT)
    }

    /// Compares each terminal's transcript with the README's console
    /// blocks, in order, in `README.md` and `README.zh-CN.md` (when it
    /// exists) of `folder`; with `UPDATE_READMES=1`, writes them instead.
    pub fn check(&self, folder: &str, terminals: Vec<Terminal>) {
        let transcripts: Vec<String> = terminals
            .into_iter()
            .map(|mut terminal| self.normalise(&terminal.transcript()))
            .collect();
        let update = std::env::var_os("UPDATE_READMES").is_some();
        for name in ["README.md", "README.zh-CN.md"] {
            let path = Path::new(folder).join(name);
            let Ok(readme) = std::fs::read_to_string(&path) else {
                assert_ne!(name, "README.md", "{folder} has no README.md");
                continue;
            };
            let found = CONSOLE_BLOCK.find_iter(&readme).count();
            let (shown, at) = (transcripts.len(), path.display());
            assert_eq!(
                found, shown,
                "{at}: {found} console blocks, the test shows {shown} terminals"
            );
            // the README, each block that differs replaced by the real run
            let mut reals = transcripts.iter().enumerate();
            let updated =
                CONSOLE_BLOCK.replace_all(&readme, |block: &Captures| {
                    let (n, real) = reals.next().unwrap();
                    let (start, old, end) = (&block[1], &block[2], &block[3]);
                    let same = loose(old) == loose(real);
                    assert!(
                        same || update,
                        "{at} console block {} is not what the program shows \
                         (UPDATE_READMES=1 cargo test rewrites it).\n\
                         README:\n{old}\nreal run:\n{real}",
                        n + 1
                    );
                    format!("{start}{}{end}", if same { old } else { real })
                });
            if updated != readme {
                std::fs::write(&path, updated.as_bytes())
                    .expect("write README");
            }
        }
    }
}

/// One terminal: a program's output as the student sees it (stdout and
/// stderr together), with what was typed where it was typed.
pub struct Terminal {
    story: Story,
    proc: Proc,
}

impl Terminal {
    /// Waits until the program has printed `needle` (after what earlier
    /// waits saw) and returns the screen's text up to it.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let found = self.proc.out.until(needle);
        found.unwrap_or_else(|| {
            let screen = self.proc.out.text(false);
            panic!("no {needle:?} on the screen; it shows:\n{screen}")
        })
    }

    /// Waits for a server's `listening on ADDR` line; the README shows
    /// its port as `as_port`. Returns the address to reach it on loopback.
    pub fn listening(&mut self, as_port: u32) -> SocketAddr {
        self.wait_for("listening on ");
        let line = self.wait_for("\n");
        let addr: SocketAddr = line.trim().parse().expect("an address");
        self.story.port(addr.port(), as_port);
        crate::process::reachable(addr)
    }

    /// Types a line: it shows on the screen (the terminal echoes it) and
    /// goes to the program's stdin.
    pub fn type_line(&mut self, line: &str) {
        self.proc.out.show(format!("{line}\n").as_bytes());
        self.proc.send_line(line);
    }

    /// Ctrl-C: shows `^C` and ends the program.
    pub fn interrupt(&mut self) {
        self.proc.out.show(b"^C\n");
        self.proc.kill();
    }

    /// Waits for the program to end by itself and returns its exit code.
    pub fn exit_code(&mut self) -> Option<i32> {
        self.proc.close_stdin();
        self.proc.wait().code()
    }

    /// Everything the terminal showed, once the program has ended.
    fn transcript(&mut self) -> String {
        if self.proc.child.try_wait().ok().flatten().is_none() {
            self.interrupt();
        }
        self.proc.out.ended(DEADLINE);
        self.proc.out.text(false)
    }
}

/// A ```console block of a README: its opening fence, body and closing fence.
static CONSOLE_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ms)(^```console[ \t]*\n)(.*?)(^```[ \t]*$)").unwrap()
});

/// A transcript as compared: every decimal number (a time, a rate) `#.#`,
/// and a rate's unit (KiB/s or MiB/s, as fast as the run was) left open,
/// so that a run at another speed still matches.
fn loose(text: &str) -> String {
    let text = text.replace(" KiB/s", " MiB/s");
    // how many packets went again (`0 ACKs`, `1 ACK`) is the machine's load
    let resent = Regex::new(r"\d+ (\w+?)s? sent again").unwrap();
    let text = resent.replace_all(&text, "# $1 sent again");
    // a run of digits and dots is a decimal when it is `D.D` (`1.2.3.4`
    // is an address)
    let runs = Regex::new(r"[0-9.]+").unwrap();
    let decimal = Regex::new(r"^[0-9]+\.[0-9]+$").unwrap();
    let text = runs.replace_all(&text, |run: &Captures| {
        match decimal.is_match(&run[0]) {
            true => "#.#".to_string(),
            false => run[0].to_string(),
        }
    });
    // columns of numbers of another width: compare without the padding
    let lines: Vec<String> = text
        .lines()
        // and without resends: a loaded machine adds one where the README
        // shows none (TFTP's wait follows a loopback round trip, 10 ms at
        // least); the lessons' own tests check their lines
        .filter(|l| !l.contains(" sent again (try "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // with Windows builds under test, the same but for the words and
    // number of each OS error (`No such file or directory (os error 2)`
    // is `File not found. (os error 2)` in Wine; the README shows Linux's)
    crate::os_errors_unsaid(&lines.join("\n"))
}

/// Each number (group 2) after its context (group 1) of a match of
/// `pattern` shown as `shown` says, or else as the next number from
/// `first` on, in order of appearance (ports the system chose, pids).
fn renumber(
    text: &str,
    pattern: &str,
    shown: &mut HashMap<u32, u32>,
    first: u32,
) -> String {
    let numbers = Regex::new(pattern).unwrap();
    let text = numbers.replace_all(text, |n: &Captures| {
        let given = shown.values().filter(|number| **number >= first);
        let next = first + given.count() as u32;
        let real = n[2].parse().unwrap();
        format!("{}{}", &n[1], shown.entry(real).or_insert(next))
    });
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_pids_and_times_are_normalised() {
        let story = Story::default();
        story.port(43215, 8080);
        let text = "listening on 0.0.0.0:43215\nfrom 127.0.0.1:39001: hi \
                    [::1]:39002 127.0.0.1:39001 child pid 777\n\
                    sent in 0.25 s (12.5 MiB/s)\nversion 1.2.3.4:5\n";
        assert_eq!(
            story.normalise(text),
            "listening on 0.0.0.0:8080\nfrom 127.0.0.1:50412: hi \
             [::1]:50413 127.0.0.1:50412 child pid 4242\n\
             sent in 0.25 s (12.5 MiB/s)\nversion 1.2.3.4:50414\n"
        );
        assert_eq!(loose("in 0.25 s, 1.2.3.4:80"), "in #.# s, 1.2.3.4:80");
        assert_eq!(loose("a   12.5\n b"), "a #.#\nb");
        assert_eq!(loose("(67.4 KiB/s)"), loose("(0.1 MiB/s)"));
        let resent = "a\nx: timeout: ACK 1 sent again (try 2 of 5)\nb";
        assert_eq!(loose(resent), loose("a\nb"));
        let counted = loose("in 0.1 s, 0 ACKs sent again\n1 block sent again");
        assert_eq!(counted, "in #.# s, # ACK sent again\n# block sent again");
    }

    #[test]
    fn os_errors_are_said_in_the_systems_words() {
        let linux = "a\nnot found: No such file or directory (os error 2)\n";
        let wine = "a\nnot found: File not found. (os error 2)\n";
        let unsaid = crate::os_errors_said_in_no_words;
        assert_eq!(unsaid(linux), "a\nnot found: (an OS error)\n");
        assert_eq!(unsaid(linux), unsaid(wine));
        let two = "x: File exists (os error 17); y: z (os error 80)";
        assert_eq!(unsaid(two), "x: (an OS error); y: (an OS error)");
    }

    #[test]
    fn finds_console_blocks_only() {
        let readme = "x\n```sh\nno\n```\n```console\n$ a\nb\n```\n";
        let blocks = CONSOLE_BLOCK.captures_iter(readme);
        let bodies: Vec<String> = blocks.map(|b| b[2].to_string()).collect();
        assert_eq!(bodies, ["$ a\nb\n"]);
    }
}
