//! A server's patience, which the Part 2 servers that defend themselves
//! share (20, 21, 65, 66, 68, 69): how long a silent client may take,
//! the error said plainly when it took too long, and an `accept` tried
//! again after a failure instead of in a busy loop. Nothing here opens,
//! binds or uses a socket: the lessons do that themselves.

use netcommon::{anyhow, Error};
use std::{io, sync::OnceLock, thread, time::Duration};

static IDLE: OnceLock<Duration> = OnceLock::new();

/// How long a server waits on a silent client before it gives up on it:
/// `default_secs`, or `IDLE_TIMEOUT_SECS` from the environment.
pub fn idle_timeout(default_secs: u64) -> Duration {
    *IDLE.get_or_init(|| match std::env::var("IDLE_TIMEOUT_SECS") {
        Err(_) => Duration::from_secs(default_secs),
        Ok(given) => match given.trim().parse::<f64>() {
            Ok(s) if s.is_finite() && s > 0.0 && s < 1e6 => {
                Duration::from_secs_f64(s)
            }
            _ => {
                eprintln!(
                    "IDLE_TIMEOUT_SECS={given:?} is not a number of seconds \
                     above 0: {default_secs} s it is"
                );
                Duration::from_secs(default_secs)
            }
        },
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

/// A server's `accept`, called until it gives a client. It fails when the
/// process is out of file descriptors, or on Windows for a client that left
/// first; the first failure is said (`accept failed: Too many open files
/// (os error 24), trying again`), then it tries every 100 ms.
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
        thread::sleep(Duration::from_millis(100));
    }
}
