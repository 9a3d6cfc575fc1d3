//! 00-ip-address: what an address says: class, kind, network and host.
//!
//! Tutorial: every note opens with "IP地址" (classes A to E, 私有IP, 子网掩码,
//! 端口号 and DNS). Give addresses on the command line or one per line:
//! `192.168.1.1/24`, `10.0.0.7/255.0.0.0`, `fe80::1/64`, `127.0.0.1:80`,
//! `[::1]:69`, `localhost`.
//!
//! Terminal: cargo run --bin 00-ip-address -- 192.168.1.103/24 [::1]:69

use netcommon::{anyhow, bail, Result};
use std::io::{self, BufRead, IsTerminal};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

const USAGE: &str =
    "00-ip-address ADDRESS[/PREFIX|/MASK][:PORT] ... (or on stdin)";
const TYPE_THEM: &str = "type addresses, one per line; Ctrl-D ends \
                         (Windows: Ctrl-Z then Enter)";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return println!("usage: {USAGE}");
    }
    if let Some(option) = args.iter().find(|a| a.starts_with('-')) {
        eprintln!("error: unknown option {option}\nusage: {USAGE}");
        std::process::exit(2);
    }
    if args.is_empty() && io::stdin().is_terminal() {
        println!("usage: {USAGE}\n{TYPE_THEM}");
    }
    // the addresses on the command line, or else the lines typed
    let typed = io::stdin().lock().lines().map_while(|line| line.ok());
    let typed = typed.filter(|l| !l.trim().is_empty());
    let typed = args.is_empty().then_some(typed).into_iter().flatten();
    let mut failed = false;
    for input in args.into_iter().chain(typed) {
        // one bad address: say so in one line, and go on with the rest
        if let Err(why) = explain(input.trim()) {
            eprintln!("error: {input}: {why}");
            failed = true;
        }
    }
    std::process::exit(failed as i32);
}

fn explain(input: &str) -> Result {
    // 1. split off the port: `[v6]:PORT`, or `v4:PORT` (one colon only)
    let (rest, port) = match input.rsplit_once(':') {
        Some((host, port)) if input.starts_with('[') || !host.contains(':') => {
            let port: u16 = port.parse().map_err(|_| anyhow!("bad port"))?;
            (host.trim_matches(['[', ']']), Some(port))
        }
        _ => (input, None),
    };
    // 2. split off the mask: `/24` or `/255.255.255.0`
    let mut parts = rest.splitn(2, '/');
    let (host, mask) = (parts.next().unwrap_or_default(), parts.next());
    // 3. an address, or a host name to look up first (DNS)
    let dotted = host.chars().all(|c| c.is_ascii_digit() || c == '.');
    let addrs: Vec<IpAddr> = match host.parse() {
        Ok(addr) => vec![addr],
        Err(_) if dotted => bail!("not an IPv4 address: four numbers 0 to 255"),
        Err(_) if host.contains(':') => bail!("not an IPv6 address"),
        Err(_) => {
            let found: Vec<IpAddr> =
                (host, 0).to_socket_addrs()?.map(|a| a.ip()).collect();
            let shown: Vec<_> = found.iter().map(|a| a.to_string()).collect();
            println!("{host}: a host name; DNS says {}", shown.join(", "));
            found
        }
    };
    for addr in addrs {
        let prefix = mask.map(|m| prefix_len(m, addr.is_ipv4())).transpose()?;
        println!("{addr}");
        match addr {
            IpAddr::V4(v4) => explain_v4(v4, prefix),
            IpAddr::V6(v6) => explain_v6(v6, prefix),
        }
    }
    if let Some(port) = port {
        println!("  port {}", port_kind(port));
    }
    Ok(())
}

/// `/24`, or for IPv4 a mask written out, `/255.255.255.0`.
fn prefix_len(mask: &str, v4: bool) -> Result<u32> {
    match (mask.parse::<u32>(), mask.parse::<Ipv4Addr>().map(u32::from)) {
        (Ok(prefix @ 0..=32), _) => Ok(prefix),
        (Ok(prefix @ 33..=128), _) if !v4 => Ok(prefix),
        // a mask is ones, then zeros: 255.255.255.0 is one, 255.0.255.0 not
        (_, Ok(m)) if v4 && m.leading_ones() + m.trailing_zeros() == 32 => {
            Ok(m.leading_ones())
        }
        _ if v4 => bail!("bad mask /{mask}"),
        _ => bail!("bad prefix /{mask}"),
    }
}

fn explain_v4(addr: Ipv4Addr, prefix: Option<u32>) {
    // the tutorial's classes, by the first number
    let (class, first, last, what) = match addr.octets()[0] {
        0..=127 => ("A", 0, 127, "network 8 bits, host 24"),
        128..=191 => ("B", 128, 191, "network 16 bits, host 16"),
        192..=223 => ("C", 192, 223, "network 24 bits, host 8"),
        224..=239 => ("D", 224, 239, "multicast"),
        _ => ("E", 240, 255, "reserved"),
    };
    println!("  class {class} ({first}.0.0.0 to {last}.255.255.255: {what})");
    println!("  (classes are history: CIDR replaced them in 1993)");
    let kind = match addr.octets() {
        [127, ..] => "loopback (127.0.0.0/8): this machine itself",
        [10, ..] => "private (10.0.0.0/8): a local network, not the Internet",
        [172, 16..=31, ..] => "private (172.16.0.0/12): a local network",
        [192, 168, ..] => "private (192.168.0.0/16): a local network",
        [169, 254, ..] => "link-local (169.254.0.0/16): no DHCP answered",
        [100, 64..=127, ..] => "shared (100.64.0.0/10): the carrier's NAT",
        [224..=239, ..] => "multicast (224.0.0.0/4): one sender, a group",
        [255, 255, 255, 255] => "broadcast: every host on this segment",
        [0, ..] | [240..=255, ..] => "reserved",
        _ => "public: reachable from the Internet",
    };
    println!("  {kind}");
    let Some(prefix) = prefix else { return };
    let bits = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    let ip = u32::from(addr);
    let [mask, network, host, broadcast] =
        [bits, ip & bits, ip & !bits, ip | !bits].map(Ipv4Addr::from);
    print!("  mask {mask} (/{prefix}): ");
    println!("network {network}, host number {host}");
    // all host numbers, less the network's (all zeros) and broadcast (ones);
    // a /31 is a point-to-point link with no broadcast (RFC 3021)
    let usable = (1u64 << (32 - prefix)) - if prefix < 31 { 2 } else { 0 };
    println!("  broadcast {broadcast}, {usable} usable host addresses");
}

fn explain_v6(addr: Ipv6Addr, prefix: Option<u32>) {
    let full = addr.segments().map(|s| format!("{s:04x}"));
    println!("  full {}, compressed {addr}", full.join(":"));
    let kind = match addr.segments() {
        _ if addr.is_loopback() => "loopback (::1): this machine itself",
        _ if addr.is_unspecified() => "unspecified (::): any address",
        [0xfe80..=0xfebf, ..] => "link-local (fe80::/10): this link only",
        [0xfc00..=0xfdff, ..] => "unique-local (fc00::/7): a private network",
        [0xff00..=0xffff, ..] => "multicast (ff00::/8)",
        [0, 0, 0, 0, 0, 0xffff, ..] => "IPv4-mapped (::ffff:0:0/96)",
        [0x2000..=0x3fff, ..] => "global unicast (2000::/3): the Internet",
        _ => "reserved",
    };
    println!("  {kind}");
    let Some(prefix) = prefix else { return };
    let bits = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    let network = Ipv6Addr::from(u128::from(addr) & bits);
    println!("  prefix /{prefix}: network {network}/{prefix}");
}

/// The tutorial's port ranges and well-known services (端口号).
fn port_kind(port: u16) -> String {
    let service = match port {
        20 | 21 => " (FTP)",
        22 => " (SSH)",
        23 => " (Telnet)",
        25 => " (SMTP: sending mail)",
        53 => " (DNS)",
        69 => " (TFTP)",
        80 => " (HTTP)",
        109 | 110 => " (POP: receiving mail)",
        137 | 138 => " (NetBIOS over UDP)",
        139 => " (file and printer sharing)",
        443 => " (HTTPS)",
        _ => "",
    };
    match port {
        0..=1023 => format!("{port}: well-known (0-1023){service}"),
        _ => format!("{port}: dynamic (1024-65535), free for any program"),
    }
}
