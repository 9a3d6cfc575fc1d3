//! loadgen: the 200×50 load of the server tests, as a benchmark
//! (scripts/bench-servers).
//!
//! usage: loadgen ADDR CLIENTS ROUNDS [CGROUP]
//!
//! CLIENTS connect at once and each does ROUNDS request/reply round trips
//! (08's protocol: the reply is `received: TEXT`). Prints one line:
//! round trips per second, failed clients, and the peak memory of the
//! processes in CGROUP (the cgroup v2 folder the server and its children
//! run in) as the sum of their PSS, so that pages a forked child shares
//! with its parent count once (0 without CGROUP).
use std::time::{Duration, Instant};
use std::{env, fs, process, thread};

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let number = |i: usize| args.get(i).and_then(|text| text.parse().ok());
    let addr = args.first().and_then(|text| text.parse().ok());
    let (Some(addr), Some(clients), Some(rounds)) =
        (addr, number(1), number(2))
    else {
        eprintln!("usage: loadgen ADDR CLIENTS ROUNDS [CGROUP]");
        process::exit(2)
    };
    let cgroup = args.get(3).map(String::as_str);

    let start = Instant::now();
    let load = thread::spawn(move || {
        let load = testkit::load(addr, clients, rounds);
        (load, start.elapsed().as_secs_f64())
    });
    // the server's memory every 50 ms, while the clients run
    let mut peak_kib = 0;
    while !load.is_finished() {
        peak_kib = cgroup.map_or(0, pss_kib).max(peak_kib);
        thread::sleep(Duration::from_millis(50));
    }
    let ((failures, first), seconds) =
        load.join().expect("the clients panicked");
    let done = ((clients - failures) * rounds) as f64;
    let peak_mib = peak_kib as f64 / 1024.0;
    println!("{:.0}\t{failures}\t{peak_mib:.1}", done / seconds);
    if failures > 0 {
        eprintln!("first failure: {first}");
    }
}

/// Memory of the cgroup's processes in KiB, as the sum of their PSS.
fn pss_kib(cgroup: &str) -> u64 {
    let pss = |pid: &str| -> Option<u64> {
        let path = format!("/proc/{pid}/smaps_rollup");
        let rollup = fs::read_to_string(path).ok()?;
        let line = rollup.lines().find(|l| l.starts_with("Pss:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let procs = fs::read_to_string(format!("{cgroup}/cgroup.procs"));
    procs.unwrap_or_default().lines().filter_map(pss).sum()
}
