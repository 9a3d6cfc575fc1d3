//! What the lessons' integration tests share: start a lesson's real binary,
//! read what it prints line by line (with a deadline, never a sleep), type
//! into it, and kill it when the test ends, whatever happens.

mod files;
mod load;
mod peers;
mod process;
mod procfs;
pub mod readme;
mod relay;
mod spoof;

pub use files::*;
pub use load::*;
pub use peers::*;
pub use process::*;
pub use procfs::*;
pub use relay::*;
pub use spoof::*;

use std::time::{Duration, Instant};

/// How long a test waits for any one thing before it fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Checks `done` every 10 ms until it holds or [`DEADLINE`] passes, and
/// says whether it holds then: the kit's one wait on what a test can only
/// look at (a process's end, a server back to idle, a file written).
pub fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + DEADLINE;
    while !done() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}
