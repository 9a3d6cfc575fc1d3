//! What three or more lessons share, so that each `main.rs` reads like the
//! tutorial's Python: errors on one line, the command line, `input()`, the
//! text encoding, log lines safe to print. Nothing here opens, binds or
//! uses a socket: the lessons do that themselves. (A Part 2 server's
//! patience, its idle timeout and its accept, is crates/patience.)

use std::fmt::{self, Display};
use std::io::{self, BufRead, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::{borrow::Cow, process::exit, str::FromStr};

pub use anyhow::{anyhow, Context};

/// `bail!("...")` returns an error at once, as `anyhow::bail!` does.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => { return Err($crate::anyhow!($($arg)*).into()) };
}

/// What the lessons return: `?` turns any error into it, and `main` prints
/// it on ONE line, the context first, and exits with status 1.
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

/// The command line, read in the order the lesson asks: options first,
/// then the positional words in order, then `done()`. `--help` prints the
/// usage (a `\n` in it starts a line under the first argument), exit 0; a
/// malformed command line, `error: ...` and the usage, exit status 2.
pub struct Args {
    usage: &'static str,
    words: Vec<String>, // the words not taken yet
}

impl Args {
    pub fn new(usage: &'static str) -> Args {
        let words = std::env::args_os().skip(1);
        let words = words.map(|w| w.to_string_lossy().into_owned()).collect();
        let args = Args { usage, words };
        let help = |word: &String| word == "--help" || word == "-h";
        if args.words.iter().any(help) {
            println!("{}", args.usage());
            exit(0);
        }
        args
    }

    fn usage(&self) -> String {
        let indent =
            format!("\n{:1$}", "", 8 + self.usage.find(' ').unwrap_or(0));
        format!("usage: {}", self.usage.replace('\n', &indent))
    }

    pub fn fail(&self, message: impl Display) -> ! {
        eprintln!("error: {message}\n{}", self.usage());
        exit(2)
    }

    /// True when `--name` was given.
    pub fn flag(&mut self, name: &str) -> bool {
        let count = self.words.len();
        self.words.retain(|word| word != name);
        self.words.len() < count
    }

    /// The value of `--name VALUE` (the last if given twice), or `default`.
    pub fn option<T: FromStr>(&mut self, name: &str, default: T) -> T {
        let mut value = Ok(default);
        while let Some(i) = self.words.iter().position(|word| word == name) {
            if i + 1 == self.words.len() {
                self.fail(format!("{name} needs a value"));
            }
            let word = self.words.remove(i + 1);
            self.words.remove(i);
            value = word.parse().map_err(|_| word);
        }
        let bad = |word| self.fail(format!("bad value for {name}: {word:?}"));
        value.unwrap_or_else(bad)
    }

    /// The text encoding chosen with `--encoding LABEL` (default utf-8).
    pub fn encoding(&mut self) -> Codec {
        let label: String = self.option("--encoding", "utf-8".into());
        match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(encoding) => Codec(encoding),
            None => self.fail(format!("unknown encoding {label:?}")),
        }
    }

    /// The next positional word (USAGE calls it `name`), if there is one.
    pub fn next(&mut self, name: &str) -> Option<String> {
        debug_assert!(self.usage.contains(name), "{name} is not in USAGE");
        let option = |word: &&String| word.starts_with('-') && word.len() > 1;
        if let Some(word) = self.words.iter().find(option) {
            self.fail(format!("unknown option {word}")); // options came first
        }
        (!self.words.is_empty()).then(|| self.words.remove(0))
    }

    pub fn next_or(&mut self, name: &str, default: &str) -> String {
        self.next(name).unwrap_or_else(|| default.into())
    }

    pub fn next_required(&mut self, name: &str) -> String {
        let word = self.next(name);
        word.unwrap_or_else(|| self.fail(format!("missing {name}")))
    }

    /// The next word as an address: `PORT` (on the default's host),
    /// `IP:PORT`, `HOST:PORT` (looked up, IPv4 first) or `[IPv6]:PORT`.
    pub fn next_addr(&mut self, name: &str, default: &str) -> SocketAddr {
        let given = self.next_or(name, default);
        let text = match (given.parse::<u16>(), default.rsplit_once(':')) {
            (Ok(port), Some((host, _))) => format!("{host}:{port}"),
            _ => given.clone(),
        };
        if let Ok(addr) = text.parse() {
            return addr;
        }
        let (host, port) = text.rsplit_once(':').unwrap_or((&text, ""));
        let numeric = host.chars().all(|c| c.is_ascii_digit() || c == '.');
        if port.parse::<u16>().is_err() || numeric || host.contains(':') {
            let forms = "use PORT, IP:PORT, HOST:PORT or [IPv6]:PORT";
            self.fail(format!("bad {name} {given:?}: {forms}"));
        }
        let all: Vec<_> = match text.to_socket_addrs() {
            Ok(all) => all.collect(),
            Err(error) => {
                eprintln!("Error: cannot resolve {text}: {error}");
                exit(1)
            }
        };
        let first = all.iter().find(|addr| addr.is_ipv4()).or(all.first());
        *first.unwrap_or_else(|| self.fail(format!("no address for {text}")))
    }

    /// The end of the command line: a word left over is a usage error.
    pub fn done(&self) {
        match self.words.first() {
            Some(w) if w.starts_with('-') && w.len() > 1 => {
                self.fail(format!("unknown option {w}"))
            }
            Some(word) => self.fail(format!("unexpected argument {word:?}")),
            None => {}
        }
    }
}

/// The text encoding on the wire: utf-8 (Linux peers), gbk (the tutorial's
/// Windows peers), or any other label encoding_rs knows.
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

/// Like Python's `input(prompt)`, but `None` at the end of input (Ctrl-D,
/// or the end of a pipe) instead of an exception.
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

/// The lines typed after `prompt`, like Python's `while True: data =
/// input(prompt)`: empty lines skipped, the end at `exit` or end of input.
pub fn input_lines(prompt: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::from_fn(move || loop {
        match input(prompt) {
            Ok(Some(line)) if line.is_empty() => continue,
            Ok(Some(line)) if line != "exit" => return Some(line),
            _ => return None,
        }
    })
}

/// How many characters of a message `printable` shows.
pub const SHOWN: usize = 2000;

/// Text from the network, safe to print on one log line: control characters
/// (new lines, terminal escapes, direction overrides) escaped, `\n` or
/// `\x1b`; the rest, Chinese included, as it is; at most SHOWN characters,
/// then how many more (a flood cannot fill the screen or the disk).
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}'..='\u{2029}' | '\u{202a}'..='\u{202e}')
            || matches!(c, '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) && text.len() <= SHOWN {
        return Cow::Borrowed(text);
    }
    let mut shown = String::new();
    for c in text.chars().take(SHOWN) {
        match c {
            '\n' | '\r' | '\t' => shown.extend(c.escape_default()),
            _ if !unsafe_char(c) => shown.push(c),
            _ if (c as u32) < 0x100 => shown += &format!("\\x{:02x}", c as u32),
            _ => shown += &format!("\\u{{{:x}}}", c as u32),
        }
    }
    let more = text.chars().count().saturating_sub(SHOWN);
    if more > 0 {
        shown += &format!(" ... ({more} more characters)");
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(usage: &'static str, words: &[&str]) -> Args {
        let words = words.iter().map(|word| word.to_string()).collect();
        Args { usage, words }
    }

    #[test]
    fn options_first_then_the_words_in_order_each_with_its_default() {
        let usage = "14-tftp-client FILE [SERVER=127.0.0.1:6969] [--put] \
                     [--blksize N]\n[--windowsize N]";
        let line = ["f", "--blksize", "9", "--put", "--blksize", "512", "69"];
        let mut args = given(usage, &line);
        assert!(args.flag("--put"));
        assert!(!args.flag("--get"));
        assert_eq!(args.option("--blksize", 0), 512, "the last one given");
        assert_eq!(args.option("--windowsize", 4), 4, "not given");
        assert_eq!(args.next_required("FILE"), "f");
        let server = args.next_addr("SERVER", "127.0.0.1:6969");
        assert_eq!(server, "127.0.0.1:69".parse().unwrap(), "PORT alone");
        assert_eq!(args.next("SERVER"), None);
        args.done();
        assert_eq!(args.next_or("FILE", "."), ".");
        let text = args.usage();
        assert_eq!(
            text,
            "usage: 14-tftp-client FILE [SERVER=127.0.0.1:6969] [--put] \
             [--blksize N]\n                      [--windowsize N]"
        );
        assert!(text.lines().all(|line| line.len() <= 80));
        let mut v6 = given("01-udp-send [DEST=[::1]:8080]", &["[::1]:7"]);
        assert_eq!(v6.next_addr("DEST", "[::1]:8080").port(), 7);
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
