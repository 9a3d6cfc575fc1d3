//! loadgen: the 200×50 load of the server tests, as a benchmark.
//!
//! usage: loadgen ADDR [CLIENTS=200] [ROUNDS=50] [SERVER_PID]
//!
//! CLIENTS connect at once and each does ROUNDS request/reply round trips
//! (08's protocol: the reply is `received: TEXT`). Prints one line:
//! round trips per second, failed clients, and with SERVER_PID the
//! server's CPU seconds per 10,000 round trips and its peak memory, both
//! summed over the server and all its descendant processes (memory as
//! PSS, so pages a forked child shares with its parent count once).
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::{Duration, Instant};
use std::{env, fs, process, thread};
use testkit::processes;

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let arg = |i: usize, default: u32| match args.get(i) {
        None => default,
        Some(text) => text.parse().unwrap_or_else(|_| usage(text)),
    };
    let Some(addr) = args.first().and_then(|a| a.parse().ok()) else {
        usage(args.first().map_or("no ADDR", |a| a));
    };
    let (clients, rounds, pid) = (arg(1, 200), arg(2, 50), arg(3, 0));

    let cpu_before = cpu_seconds(pid);
    let running = AtomicBool::new(true);
    let ((failures, first), seconds, peak_kib) = thread::scope(|scope| {
        // the server's memory every 50 ms, while the clients run
        let sampler = scope.spawn(|| {
            let mut peak_kib = 0;
            while pid != 0 && running.load(Relaxed) {
                peak_kib = pss_kib(pid).max(peak_kib);
                thread::sleep(Duration::from_millis(50));
            }
            peak_kib
        });
        let start = Instant::now();
        let load = testkit::load(addr, clients as usize, rounds as usize);
        let seconds = start.elapsed().as_secs_f64();
        running.store(false, Relaxed);
        (load, seconds, sampler.join().unwrap_or(0))
    });
    settle(pid);
    let done = f64::from((clients - failures as u32) * rounds);
    print!("{:.0}\t{failures}", done / seconds);
    if pid != 0 {
        let cpu = cpu_seconds(pid) - cpu_before;
        let peak_mib = peak_kib as f64 / 1024.0;
        print!("\t{:.2}\t{peak_mib:.1}", cpu / done * 10_000.0);
    }
    println!();
    if failures > 0 {
        eprintln!("first failure: {first}");
    }
}

fn usage(bad: &str) -> ! {
    eprintln!("loadgen: bad argument: {bad}");
    eprintln!("usage: loadgen ADDR [CLIENTS=200] [ROUNDS=50] [SERVER_PID]");
    process::exit(2)
}

/// `pid` and all its descendants.
fn tree(pid: u32, all: &HashMap<u32, (u32, Vec<String>)>) -> Vec<u32> {
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(all.iter().filter(|p| p.1 .0 == parent).map(|p| *p.0));
        i += 1;
    }
    found
}

/// CPU seconds of the tree: each process's own, plus what the root has
/// collected from children it already reaped.
fn cpu_seconds(pid: u32) -> f64 {
    let all = processes();
    // after ')': state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14
    let ticks = |pid: u32, field: usize| -> u64 {
        let fields = all.get(&pid).map(|(_, fields)| fields);
        fields.and_then(|f| f.get(field)?.parse().ok()).unwrap_or(0)
    };
    let tree = tree(pid, &all);
    let own: u64 = tree.iter().map(|&p| ticks(p, 11) + ticks(p, 12)).sum();
    (own + ticks(pid, 13) + ticks(pid, 14)) as f64 / 100.0 // USER_HZ
}

/// Memory of the tree in KiB, as the sum of each process's PSS.
fn pss_kib(pid: u32) -> u64 {
    let all = processes();
    let pss = |pid: &u32| -> Option<u64> {
        let path = format!("/proc/{pid}/smaps_rollup");
        let rollup = fs::read_to_string(path).ok()?;
        let line = rollup.lines().find(|l| l.starts_with("Pss:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    tree(pid, &all).iter().filter_map(pss).sum()
}

/// Wait (at most 2 s) until no descendant is still running, so the CPU
/// count includes every child that served a client.
fn settle(pid: u32) {
    for _ in 0..200 {
        let all = processes();
        let busy = tree(pid, &all).iter().skip(1).any(|p| {
            all.get(p)
                .is_some_and(|(_, f)| f.first().is_some_and(|s| s != "Z"))
        });
        if !busy {
            return;
        }
        thread::sleep(Duration::from_millis(10));
    }
}
