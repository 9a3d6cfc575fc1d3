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

use std::time::Duration;

/// How long a test waits for any one thing before it fails.
pub const DEADLINE: Duration = Duration::from_secs(20);
