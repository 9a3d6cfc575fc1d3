//! The README's story is 36's (63 serving `hello.txt`, this lesson
//! downloading it, a missing file, a file never replaced), run against
//! this lesson: 36's test, included.

#[path = "../../36-tftp-client-part/tests/readme.rs"]
mod readme;
