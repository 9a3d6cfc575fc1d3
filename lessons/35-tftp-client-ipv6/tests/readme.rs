//! The README's story is 28's (63 serving `photo.jpg`, this lesson
//! downloading it), run against this lesson: 28's test, included.

#[path = "../../28-tftp-client-peer/tests/readme.rs"]
mod readme;
