//! The README's story is 49's (an upload of `homework.txt` from 25),
//! run against this lesson: 49's test, included.

#[path = "../../49-tftp-server-strangers/tests/readme.rs"]
mod readme;
