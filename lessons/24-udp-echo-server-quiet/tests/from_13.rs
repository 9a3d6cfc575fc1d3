//! 24-udp-echo-server-quiet still does everything 13 does: 13's
//! tests, run against it (`testkit::this_lesson` names the lesson whose
//! tests run).

#[path = "../../13-udp-echo-server/tests/udp_echo_server.rs"]
mod udp_echo_server;
