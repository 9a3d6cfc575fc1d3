//! The README's story is 17's (this lesson in terminal 1, two 05s, and
//! `ps` showing one child for each client, none left once a client has
//! left), run against this lesson: 17's test, included.
#![cfg(unix)]

#[path = "../../17-multi-process-server/tests/readme.rs"]
mod readme;
