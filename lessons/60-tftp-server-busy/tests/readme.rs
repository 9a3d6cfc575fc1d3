//! The README's story is 57's (a 9-byte `shared/notes.txt` served, 14
//! downloading it), run against this lesson: 57's test, included.

#[path = "../../57-tftp-server-floor/tests/readme.rs"]
mod readme;
