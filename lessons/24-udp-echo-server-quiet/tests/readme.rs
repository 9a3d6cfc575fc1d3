//! The README's story is 13's (this lesson in terminal 1, 11 sending to
//! it from terminal 2), run against this lesson: 13's test, included.

#[path = "../../13-udp-echo-server/tests/readme.rs"]
mod readme;
