//! The few helpers that three or more lessons share, so that each lesson's
//! `main.rs` reads like the tutorial's Python program: the command line,
//! Python's `input()`, the text encoding switch, and Python's way of showing
//! raw bytes. Nothing here opens, binds or uses a socket: the lessons do that
//! themselves.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::io::{self, BufRead, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::exit;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

pub use anyhow::{anyhow, Context};

/// `bail!("...")` returns an error at once, as `anyhow::bail!` does, from
/// a function that returns this crate's `Result` (or anyhow's).
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::anyhow!($($arg)*).into())
    };
}

/// What `main` and the lessons' functions return. `?` turns any error into
/// it; `main` then prints it as ONE line, the context first
/// (`Error: 0.0.0.0:7788: Address already in use (os error 98)`), and
/// exits with status 1.
pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// An `anyhow::Error` that prints on one line, without a backtrace.
pub struct Error(anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for Error {
    fn from(error: E) -> Self {
        Error(error.into())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

/// The command line, read against the lesson's usage line, which declares
/// everything: `[DEST=127.0.0.1:8080]` is an optional positional argument
/// with its default, `FILE` a required one, `[--put]` a flag and
/// `[--blksize N]` an option that takes a value.
pub struct Args {
    usage: &'static str,
    names: Vec<(String, Option<String>, bool)>, // name, default, required
    positional: Vec<String>,
    options: Vec<(String, Option<String>)>,
}

impl Args {
    /// Reads the command line; `--help` prints the usage and exits 0, a
    /// malformed one prints an error and the usage and exits 2.
    pub fn parse(usage: &'static str) -> Args {
        let mut args = Args {
            usage,
            names: vec![],
            positional: vec![],
            options: vec![],
        };
        let mut known = vec![]; // (option, takes a value)
        let mut words = usage.split_whitespace().skip(1).peekable();
        while let Some(word) = words.next() {
            let name = word.trim_matches(|c| c == '[' || c == ']');
            if name.starts_with("--") {
                let takes = !word.ends_with(']') && words.peek().is_some();
                known.push((name, takes));
                words.next_if(|_| takes);
            } else if let Some((name, default)) = name.split_once('=') {
                args.names.push((name.into(), Some(default.into()), false));
            } else {
                let required = !word.starts_with('[');
                args.names.push((name.into(), None, required));
            }
        }
        let mut argv = std::env::args_os()
            .skip(1)
            .map(|w| w.to_string_lossy().into_owned());
        while let Some(word) = argv.next() {
            let option = known.iter().find(|(name, _)| *name == word);
            if word == "--help" || word == "-h" {
                println!("usage: {}", wrapped(usage));
                exit(0);
            } else if let Some(&(name, takes)) = option {
                let value = if takes { argv.next() } else { None };
                if takes && value.is_none() {
                    args.fail(format!("{name} needs a value"));
                }
                args.options.push((word, value));
            } else if word.starts_with('-') && word.len() > 1 {
                args.fail(format!("unknown option {word}"));
            } else if args.positional.len() < args.names.len() {
                args.positional.push(word);
            } else {
                args.fail(format!("unexpected argument {word:?}"));
            }
        }
        let missing = args.names.get(args.positional.len());
        if let Some((name, _, true)) = missing {
            args.fail(format!("missing {name}"));
        }
        args
    }

    /// Prints `error: MESSAGE` and the usage on stderr, exits 2.
    pub fn fail(&self, message: impl Display) -> ! {
        eprintln!("error: {message}\nusage: {}", wrapped(self.usage));
        exit(2)
    }

    /// The positional argument the usage calls `name`, or its default.
    pub fn get(&self, name: &str) -> Option<String> {
        let index = self.names.iter().position(|(n, ..)| n == name);
        let index = index.unwrap_or_else(|| panic!("{name} is not in usage"));
        let default = self.names[index].1.clone();
        self.positional.get(index).cloned().or(default)
    }

    /// True when `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(option, _)| option == name)
    }

    /// The value of `--name VALUE`, or `default` when it was not given.
    pub fn option<T: FromStr>(&self, name: &str, default: T) -> T {
        let given = self.options.iter().rev().find(|(o, _)| o == name);
        let Some((_, Some(value))) = given else {
            return default;
        };
        value.parse().unwrap_or_else(|_| {
            self.fail(format!("bad value for {name}: {value:?}"))
        })
    }

    /// The text encoding chosen with `--encoding LABEL` (default utf-8).
    pub fn encoding(&self) -> Codec {
        let label: String = self.option("--encoding", "utf-8".into());
        match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(encoding) => Codec(encoding),
            None => self.fail(format!("unknown encoding {label:?}")),
        }
    }

    /// The positional argument `name` as a socket address: `PORT` (on the
    /// host of its default), `IP:PORT`, `HOST:PORT` or `[IPv6]:PORT`. A
    /// malformed one is a usage error (exit 2); a host name is looked up
    /// here, preferring IPv4, and one that does not resolve exits 1.
    pub fn addr(&self, name: &str) -> SocketAddr {
        let given = self.get(name).unwrap_or_default();
        let default = self.names.iter().find(|(n, ..)| n == name);
        let host = default.and_then(|(_, d, _)| d.as_deref()?.rsplit_once(':'));
        let text = match (given.parse::<u16>(), host) {
            (Ok(port), Some((host, _))) => format!("{host}:{port}"),
            _ => given.clone(),
        };
        if let Ok(addr) = text.parse() {
            return addr;
        }
        let forms = "use PORT, IP:PORT, HOST:PORT or [IPv6]:PORT";
        let (host, port) = text.rsplit_once(':').unwrap_or((&text, ""));
        let numeric = host.chars().all(|c| c.is_ascii_digit() || c == '.');
        if port.parse::<u16>().is_err() || numeric || host.contains(':') {
            self.fail(format!("bad {name} {given:?}: {forms}"));
        }
        let resolved = text.to_socket_addrs().map(|all| {
            let all: Vec<SocketAddr> = all.collect();
            all.iter().find(|a| a.is_ipv4()).or(all.first()).copied()
        });
        match resolved {
            Ok(Some(addr)) => addr,
            Ok(None) => self.fail(format!("no address for {text}")),
            Err(error) => {
                eprintln!("Error: cannot resolve {text}: {error}");
                exit(1)
            }
        }
    }
}

/// The usage line folded to fit 80 columns after `usage: `: a bracketed
/// `[--option VALUE]` stays whole, and the lines after the first start
/// under the first argument.
fn wrapped(usage: &str) -> String {
    let depth = |text: &str| {
        let opened = text.matches(['[', '(']).count();
        opened as isize - text.matches([']', ')']).count() as isize
    };
    let mut groups: Vec<String> = vec![];
    for word in usage.split_whitespace() {
        match groups.last_mut() {
            Some(open) if depth(open) > 0 => {
                open.push(' ');
                open.push_str(word);
            }
            _ => groups.push(word.into()),
        }
    }
    let Some((name, args)) = groups.split_first() else {
        return String::new();
    };
    let indent = "usage: ".len() + name.len(); // then a space, an argument
    let (mut text, mut column) = (name.clone(), indent);
    for (i, group) in args.iter().enumerate() {
        if i > 0 && column + 1 + group.len() > 80 {
            text.push('\n');
            text.push_str(&" ".repeat(indent));
            column = indent;
        }
        text.push(' ');
        text.push_str(group);
        column += 1 + group.len();
    }
    text
}

/// The text encoding on the wire: utf-8 (Linux peers) or gbk (the
/// tutorial's Windows peers), or any other label encoding_rs knows.
#[derive(Clone, Copy, Debug)]
pub struct Codec(pub &'static encoding_rs::Encoding);

impl Codec {
    /// Like Python's `text.encode(...)`.
    pub fn encode<'a>(&self, text: &'a str) -> Cow<'a, [u8]> {
        self.0.encode(text).0
    }

    /// Like Python's `data.decode(..., errors="replace")`: never fails.
    pub fn decode<'a>(&self, data: &'a [u8]) -> Cow<'a, str> {
        self.0.decode_without_bom_handling(data).0
    }
}

/// Like Python's `input(prompt)`, but `None` at the end of input
/// (Ctrl-D, or the end of a pipe) instead of an exception.
pub fn input(prompt: &str) -> io::Result<Option<String>> {
    print!("{prompt}");
    io::stdout().flush()?;
    let mut line = Vec::new();
    if io::stdin().lock().read_until(b'\n', &mut line)? == 0 {
        println!();
        return Ok(None);
    }
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// The lines typed after `prompt`, one by one, like Python's
/// `while True: data = input(prompt)`; empty lines are skipped, and the
/// lines end at `exit` or at the end of input.
pub fn input_lines(prompt: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::from_fn(move || loop {
        match input(prompt) {
            Ok(Some(line)) if line.is_empty() => continue,
            Ok(Some(line)) if line != "exit" => return Some(line),
            _ => return None,
        }
    })
}

/// Raw bytes the way Python prints them: `b'\xc4\xe3\xba\xc3'`.
pub fn py_bytes(data: &[u8]) -> String {
    let quote = match data.contains(&b'\'') && !data.contains(&b'"') {
        true => b'"',
        false => b'\'',
    };
    let mut shown = format!("b{}", quote as char);
    for &byte in data {
        match byte {
            b'\\' => shown.push_str("\\\\"),
            b'\t' => shown.push_str("\\t"),
            b'\n' => shown.push_str("\\n"),
            b'\r' => shown.push_str("\\r"),
            _ if byte == quote => shown.extend(['\\', quote as char]),
            0x20..=0x7e => shown.push(byte as char),
            _ => shown.push_str(&format!("\\x{byte:02x}")),
        }
    }
    shown.push(quote as char);
    shown
}

static IDLE: OnceLock<Duration> = OnceLock::new();

/// How long a server waits on a silent client before it gives up on it:
/// `default_secs`, or `IDLE_TIMEOUT_SECS` from the environment.
pub fn idle_timeout(default_secs: u64) -> Duration {
    *IDLE.get_or_init(|| {
        let Ok(given) = std::env::var("IDLE_TIMEOUT_SECS") else {
            return Duration::from_secs(default_secs);
        };
        let secs = given.trim().parse::<f64>().ok();
        match secs.filter(|s| s.is_finite() && *s > 0.0 && *s < 1e6) {
            Some(secs) => Duration::from_secs_f64(secs),
            None => {
                eprintln!(
                    "IDLE_TIMEOUT_SECS={given:?} is not a number of seconds \
                     above 0: {default_secs} s it is"
                );
                Duration::from_secs(default_secs)
            }
        }
    })
}

/// A failed read or write on a client's socket, said plainly: when the
/// idle timeout ran out, `idle for 30 s, closed`.
pub fn idle(error: io::Error) -> Error {
    match (error.kind(), IDLE.get()) {
        (io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut, Some(t)) => {
            anyhow!("idle for {} s, closed", t.as_secs_f64()).into()
        }
        _ => error.into(),
    }
}

/// A server's `accept`, called again until it gives a client: a failed
/// `accept` is not the end of the server. It fails when the process is
/// out of file descriptors (more clients than `ulimit -n` allows; the
/// clients wait in the listen queue meanwhile), and on Windows or BSD
/// for a client that left before it was accepted. The first failure is
/// said (`accept failed: Too many open files (os error 24), trying
/// again`); then it tries every 100 ms, and goes on once a client leaves.
pub fn until_accepted<T>(mut accept: impl FnMut() -> io::Result<T>) -> T {
    let mut said = false;
    loop {
        match accept() {
            Ok(client) => return client,
            Err(error) if !said => {
                println!("accept failed: {error}, trying again");
                said = true;
            }
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Text from the network, safe to print on one log line: control
/// characters (new lines, terminal escapes, direction overrides) are
/// shown escaped, `\n` or `\x1b`; everything printable, Chinese
/// included, stays as it is. A line shows at most SHOWN characters of
/// the text and says how many more there were, so that a flood of big
/// messages cannot fill the screen or the disk with the log.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}')
            || matches!(c, '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) && text.len() <= SHOWN {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len().min(SHOWN) + 8);
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN {
            let more = text.chars().count() - SHOWN;
            shown.push_str(&format!(" ... ({more} more characters)"));
            break;
        }
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            _ if (c as u32) < 0x100 && unsafe_char(c) => {
                shown.push_str(&format!("\\x{:02x}", c as u32))
            }
            _ if unsafe_char(c) => {
                shown.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            _ => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// How many characters of a message `printable` shows.
pub const SHOWN: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_usage_line_folds_before_80_columns() {
        let usage = "14-tftp-client FILE [SERVER=127.0.0.1:6969] [--put] \
                     [--blksize N] [--windowsize N]";
        let text = format!("usage: {}", wrapped(usage));
        assert_eq!(
            text,
            "usage: 14-tftp-client FILE [SERVER=127.0.0.1:6969] [--put] \
             [--blksize N]\n                      [--windowsize N]"
        );
        let short = "01-udp-send [DEST=127.0.0.1:8080] [--encoding LABEL]";
        assert_eq!(wrapped(short), short);
    }

    #[test]
    fn bytes_show_as_python_does() {
        assert_eq!(py_bytes(b"\xc4\xe3\xba\xc3"), r"b'\xc4\xe3\xba\xc3'");
        assert_eq!(py_bytes(b"hi\n\t\\"), r"b'hi\n\t\\'");
        assert_eq!(py_bytes(b"it's"), r#"b"it's""#);
        assert_eq!(py_bytes(b"'\""), r#"b'\'"'"#);
        assert_eq!(py_bytes(b"\x00\x7f"), r"b'\x00\x7f'");
    }

    #[test]
    fn a_long_message_shows_its_start_and_how_much_more() {
        let long = "好".repeat(SHOWN + 5);
        let shown = printable(&long);
        let start = "好".repeat(SHOWN);
        assert_eq!(shown, format!("{start} ... (5 more characters)"));
        let controls = "\x01".repeat(65_507);
        let shown = printable(&controls);
        assert!(shown.len() < 4 * SHOWN + 40, "{}", shown.len());
        assert!(shown.ends_with(" ... (63507 more characters)"));
        assert_eq!(printable(&start), start, "up to SHOWN: all of it");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let forged = "\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged";
        assert_eq!(
            printable(forged),
            r"\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged"
        );
        assert_eq!(printable("你好, tab\there"), r"你好, tab\there");
        assert_eq!(printable("a\u{202e}b\u{85}"), r"a\u{202e}b\x85");
        assert!(matches!(printable("你好 hello"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_error_prints_on_one_line_context_first() {
        let refused = io::Error::from(io::ErrorKind::AddrInUse);
        let error: Error = Err::<(), _>(refused)
            .context("0.0.0.0:7788")
            .map_err(Error::from)
            .unwrap_err();
        assert_eq!(format!("{error:?}"), "0.0.0.0:7788: address in use");
    }

    #[test]
    fn gbk_round_trip() {
        let gbk = Codec(encoding_rs::GBK);
        assert_eq!(&*gbk.encode("你好"), b"\xc4\xe3\xba\xc3");
        assert_eq!(gbk.decode(b"\xc4\xe3\xba\xc3"), "你好");
        let utf8 = Codec(encoding_rs::UTF_8);
        assert_eq!(utf8.decode(b"ok\xff"), "ok\u{fffd}");
    }
}
