//! 22-file-download-client-safe still does everything 09 does: 09's
//! tests, run against 22 (`testkit::this_lesson` names the lesson whose
//! tests run).

#[path = "../../09-file-download-client/tests/file_download_client.rs"]
mod file_download_client;
