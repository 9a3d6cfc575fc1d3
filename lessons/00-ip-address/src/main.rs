//! 00-ip-address: what an address says: class, kind, network and host.
//!
//! Tutorial: every note opens with "IP地址" (classes A to E, 私有IP, 子网掩码,
//! 端口号 and DNS). Give addresses on the command line or one per line:
//! `192.168.1.1/24`, `10.0.0.7/255.0.0.0`, `fe80::1/64`, `127.0.0.1:80`,
//! `[::1]:69`, `localhost`.
//!
//! Terminal: cargo run --bin 00-ip-address -- 192.168.1.103/24 [::1]:69

use std::io::{self, BufRead, IsTerminal};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

const USAGE: &str =
    "00-ip-address ADDRESS[/PREFIX|/MASK][:PORT] ... (or on stdin)";
const TYPE_THEM: &str = "type addresses, one per line; Ctrl-D ends \
                         (Windows: Ctrl-Z then Enter)";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: {USAGE}");
        return;
    }
    if let Some(option) = args.iter().find(|a| a.starts_with('-')) {
        eprintln!("error: unknown option {option}\nusage: {USAGE}");
        std::process::exit(2);
    }
    if args.is_empty() && io::stdin().is_terminal() {
        println!("usage: {USAGE}\n{TYPE_THEM}");
    }
    let lines = io::stdin().lock().lines().map_while(|line| line.ok());
    let inputs: Box<dyn Iterator<Item = String>> = match args.is_empty() {
        true => Box::new(lines.filter(|l| !l.trim().is_empty())),
        false => Box::new(args.into_iter()),
    };
    let mut failed = false;
    for input in inputs {
        // one bad address: say so in one line, and go on with the rest
        if let Err(why) = explain(input.trim()) {
            eprintln!("error: {input}: {why}");
            failed = true;
        }
    }
    std::process::exit(failed as i32);
}

fn explain(input: &str) -> Result<(), String> {
    // 1. split off the port: `[v6]:PORT`, or `v4:PORT` (one colon only)
    let (rest, port) = match input.rsplit_once(':') {
        Some((host, port)) if input.starts_with('[') || !host.contains(':') => {
            (host.trim_matches(|c| c == '[' || c == ']'), Some(port))
        }
        _ => (input, None),
    };
    let port = port.map(str::parse::<u16>).transpose();
    let port = port.map_err(|_| "bad port")?;
    // 2. split off the mask: `/24` or `/255.255.255.0`
    let mut parts = rest.splitn(2, '/');
    let (host, mask) = (parts.next().unwrap_or_default(), parts.next());
    // 3. an address, or a host name to look up first (DNS)
    let addrs: Vec<IpAddr> = match host.parse() {
        Ok(addr) => vec![addr],
        Err(_) if host.chars().all(|c| c.is_ascii_digit() || c == '.') => {
            return Err("not an IPv4 address: four numbers 0 to 255".into());
        }
        Err(_) if host.contains(':') => {
            return Err("not an IPv6 address".into())
        }
        Err(_) => {
            let found =
                (host, 0).to_socket_addrs().map_err(|e| e.to_string())?;
            let found: Vec<IpAddr> = found.map(|a| a.ip()).collect();
            let shown: Vec<String> =
                found.iter().map(|a| a.to_string()).collect();
            println!("{host}: a host name; DNS says {}", shown.join(", "));
            found
        }
    };
    for addr in addrs {
        match addr {
            IpAddr::V4(v4) => explain_v4(v4, mask)?,
            IpAddr::V6(v6) => explain_v6(v6, mask)?,
        }
    }
    if let Some(port) = port {
        println!("  port {}", port_kind(port));
    }
    Ok(())
}

fn explain_v4(addr: Ipv4Addr, mask: Option<&str>) -> Result<(), String> {
    // a prefix (/24) or a mask (255.255.255.0); a mask is ones, then zeros
    let prefix =
        match mask.map(|m| (m, m.parse::<u32>(), m.parse::<Ipv4Addr>())) {
            None => None,
            Some((_, Ok(prefix @ 0..=32), _)) => Some(prefix),
            Some((_, _, Ok(mask))) if ones_then_zeros(mask.into()) => {
                Some(u32::from(mask).leading_ones())
            }
            Some((mask, ..)) => return Err(format!("bad mask /{mask}")),
        };
    println!("{addr}");
    // the tutorial's classes, by the first number
    let class = match addr.octets()[0] {
        0..=127 => "A (0.0.0.0 to 127.255.255.255: network 8 bits, host 24)",
        128..=191 => {
            "B (128.0.0.0 to 191.255.255.255: network 16 bits, host 16)"
        }
        192..=223 => {
            "C (192.0.0.0 to 223.255.255.255: network 24 bits, host 8)"
        }
        224..=239 => "D (224.0.0.0 to 239.255.255.255: multicast)",
        _ => "E (240.0.0.0 to 255.255.255.255: reserved)",
    };
    println!("  class {class}");
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
    let Some(prefix) = prefix else { return Ok(()) };
    let bits = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    let (ip, mask) = (u32::from(addr), Ipv4Addr::from(bits));
    let network = Ipv4Addr::from(ip & bits);
    let host = Ipv4Addr::from(ip & !bits);
    let broadcast = Ipv4Addr::from(ip | !bits);
    println!(
        "  mask {mask} (/{prefix}): network {network}, host number {host}"
    );
    let usable = match prefix {
        32 => 1,
        31 => 2, // a point-to-point link needs no broadcast (RFC 3021)
        _ => (1u64 << (32 - prefix)) - 2,
    };
    println!("  broadcast {broadcast}, {usable} usable host addresses");
    Ok(())
}

/// 255.255.255.0 is a mask; 255.0.255.0 is not.
fn ones_then_zeros(mask: u32) -> bool {
    mask.leading_ones() + mask.trailing_zeros() == 32
}

fn explain_v6(addr: Ipv6Addr, prefix: Option<&str>) -> Result<(), String> {
    let prefix = match prefix.map(|p| (p, p.parse::<u32>())) {
        None => None,
        Some((_, Ok(prefix @ 0..=128))) => Some(prefix),
        Some((prefix, _)) => return Err(format!("bad prefix /{prefix}")),
    };
    println!("{addr}");
    let full: Vec<String> =
        addr.segments().iter().map(|s| format!("{s:04x}")).collect();
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
    if let Some(prefix) = prefix {
        let bits = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
        let network = Ipv6Addr::from(u128::from(addr) & bits);
        println!("  prefix /{prefix}: network {network}/{prefix}");
    }
    Ok(())
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
