//! 66-multi-thread-server-quiet still does everything 16 does: 16's
//! tests, run against it (`testkit::this_lesson` names the lesson whose
//! tests run).

#[path = "../../16-multi-thread-server/tests/multi_thread_server.rs"]
mod multi_thread_server;
