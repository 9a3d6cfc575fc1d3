//! 22-file-download-client-safe against the tutorial's download server:
//! 09's test, run against 22.

#[path = "../../09-file-download-client/tests/interop.rs"]
mod interop;
