//! The README's story is 46's (39 serving `photo.jpg`, this lesson
//! downloading it), run against this lesson: 46's test, included.

#[path = "../../46-tftp-client-peer/tests/readme.rs"]
mod readme;
