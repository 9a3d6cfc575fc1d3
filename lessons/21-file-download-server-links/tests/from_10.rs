//! 21-file-download-server-links still does everything 10 does: 10's
//! tests, run against 21 (`testkit::this_lesson` names the lesson whose
//! tests run).

#[path = "../../10-file-download-server/tests/file_download_server.rs"]
mod file_download_server;
#[path = "../../10-file-download-server/tests/interop.rs"]
mod interop;
