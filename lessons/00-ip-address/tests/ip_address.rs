//! 00-ip-address: the facts the tutorial teaches, computed.

use testkit::{cmd, run};

const BIN: &str = env!("CARGO_BIN_EXE_00-ip-address");

fn explain(args: &[&str], stdin: &str) -> (i32, String, String) {
    let (status, out, err) = run(cmd(BIN, args), stdin.as_bytes());
    (status.code().unwrap_or(-1), out, err)
}

#[test]
fn ipv4_classes_kinds_and_masks() {
    let (code, out, err) = explain(
        &["192.168.1.103/24", "10.1.2.3/255.255.0.0", "172.16.0.9/31"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    for fact in [
        "class C (192.0.0.0 to 223.255.255.255",
        "classes are history",
        "private (192.168.0.0/16)",
        "network 192.168.1.0, host number 0.0.0.103",
        "broadcast 192.168.1.255, 254 usable host addresses",
        "class A",
        "mask 255.255.0.0 (/16): network 10.1.0.0, host number 0.0.2.3",
        "broadcast 10.1.255.255, 65534 usable",
        "class B",
        "private (172.16.0.0/12)",
        "2 usable host addresses",
    ] {
        assert!(out.contains(fact), "missing {fact:?} in\n{out}");
    }
    let (_, out, _) = explain(&["224.0.0.1", "240.0.0.1", "8.8.8.8"], "");
    assert!(
        out.contains("class D") && out.contains("multicast"),
        "{out}"
    );
    assert!(out.contains("class E") && out.contains("reserved"), "{out}");
    assert!(out.contains("public"), "{out}");
}

#[test]
fn ipv6_forms_and_kinds() {
    let (code, out, err) =
        explain(&["fe80::1/64", "fd00::7", "ff02::1", "2001:db8::1"], "");
    assert_eq!(code, 0, "{err}");
    for fact in [
        "full fe80:0000:0000:0000:0000:0000:0000:0001, compressed fe80::1",
        "link-local (fe80::/10)",
        "prefix /64: network fe80::/64",
        "unique-local",
        "multicast (ff00::/8)",
        "global unicast",
    ] {
        assert!(out.contains(fact), "missing {fact:?} in\n{out}");
    }
}

#[test]
fn ports_and_host_names() {
    let (code, out, err) = explain(
        &["[::1]:69", "127.0.0.1:80", "127.0.0.1:8080", "localhost"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("loopback (::1)"), "{out}");
    assert!(out.contains("port 69: well-known (0-1023) (TFTP)"), "{out}");
    assert!(out.contains("port 80: well-known (0-1023) (HTTP)"), "{out}");
    assert!(out.contains("port 8080: dynamic"), "{out}");
    assert!(
        out.contains("localhost: a host name; DNS says 127.0.0.1"),
        "{out}"
    );
}

#[test]
fn bad_input_is_one_line_each_and_the_rest_goes_on() {
    let input = "300.1.1.1\n1.2.3.4/33\n\n1.2.3.4:99999\n1.2.3.4/255.0.255.0\n\
                 1:2:3\n127.0.0.1/8\n";
    let (code, out, err) = explain(&[], input);
    assert_eq!(code, 1);
    let errors: Vec<&str> = err.lines().collect();
    assert_eq!(errors.len(), 5, "{err}");
    for (line, bad) in
        errors
            .iter()
            .zip(["300.1.1.1", "1.2.3.4/33", "1.2.3.4:99999"])
    {
        assert!(line.starts_with(&format!("error: {bad}: ")), "{line}");
    }
    assert!(out.contains("network 127.0.0.0"), "the last one: {out}");
    let (code, out, _) = explain(&["--help"], "");
    assert_eq!((code, out.starts_with("usage: 00-ip-address")), (0, true));
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let (code, out, err) = explain(&["--no-such-option"], "");
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: unknown option --no-such-option\nusage: 00-ip-address \
         ADDRESS[/PREFIX|/MASK][:PORT] ... (or on stdin)\n"
    );
}

/// Started from a terminal with no argument, it says what it wants
/// instead of waiting silently (`script` gives it a terminal).
#[cfg(unix)]
#[test]
fn from_a_terminal_it_says_what_it_wants() {
    if testkit::missing("script") {
        return;
    }
    let (status, out, err) = run(
        cmd("script", &["-qec", BIN, "/dev/null"]),
        b"10.0.0.1\n\x04",
    );
    assert!(status.success(), "{out} {err}");
    // (the terminal echoes the typed line whenever it comes: before,
    // between or after these two lines)
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    for line in [
        "usage: 00-ip-address ADDRESS[/PREFIX|/MASK][:PORT] ... (or on stdin)",
        "type addresses, one per line; Ctrl-D ends (Windows: Ctrl-Z then Enter)",
    ] {
        assert!(lines.contains(&line), "{out:?}");
    }
    assert!(out.contains("class A"), "{out}");
}
