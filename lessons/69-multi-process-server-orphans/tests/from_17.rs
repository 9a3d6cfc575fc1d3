//! 69-multi-process-server-orphans still does everything 17 does: 17's
//! tests, run against 69 (`testkit::this_lesson` names the lesson whose
//! tests run).

#[path = "../../17-multi-process-server/tests/multi_process_server.rs"]
mod multi_process_server;
