//! The README's story is 28's (39 serving `hello.txt`, this lesson
//! downloading it, a missing file, a file never replaced), run against
//! this lesson: 28's test, included.

#[path = "../../28-tftp-client-part/tests/readme.rs"]
mod readme;
