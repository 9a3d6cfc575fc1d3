//! 10-file-download-server: serves files inside DIR, streamed, to raw
//! clients of the test's own and to 09-file-download-client; a name that
//! leads out of DIR by itself (absolute, `..`, empty) is refused. 21,
//! the end of 10's chain, runs these tests too.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use testkit::{cmd, lesson_bin, make_file, run, same_file, temp_dir, Proc};

/// 10, or the lesson of its chain that includes this file
static BIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    testkit::this_lesson(env!("CARGO_MANIFEST_DIR"))
});

fn server(dir: &Path) -> Proc {
    Proc::server(cmd(&BIN, &["127.0.0.1:0", &dir.display().to_string()]))
}

/// Asks for `name` the way the tutorial's client does; returns the reply.
fn download(server: &Proc, name: &[u8]) -> Vec<u8> {
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.write_all(name).unwrap();
    client.shutdown(Shutdown::Write).unwrap(); // an empty name: just this
    let mut data = vec![];
    client.read_to_end(&mut data).unwrap();
    data
}

#[test]
fn serves_a_file_and_nothing_for_a_missing_one() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("hello.txt"), "你好\n").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/inner.txt"), "inner").unwrap();
    let mut server = server(dir.path());
    server.expect("serving files in");
    assert_eq!(download(&server, b"hello.txt"), "你好\n".as_bytes());
    server.expect("sent 7 bytes");
    assert_eq!(download(&server, b"sub/inner.txt"), b"inner");
    server.expect("sent 5 bytes");
    assert_eq!(download(&server, b"hello.txt\n"), "你好\n".as_bytes());
    server.expect("sent 7 bytes");
    assert_eq!(download(&server, b"nope.txt"), b"");
    server.expect("\"nope.txt\"");
    server.expect("not found");
}

#[test]
fn refuses_names_that_lead_out_of_the_directory() {
    let dir = temp_dir();
    let served = dir.path().join("served");
    std::fs::create_dir_all(served.join("folder")).unwrap();
    std::fs::write(dir.path().join("above.txt"), "above").unwrap();
    let absolute = dir.path().join("above.txt").display().to_string();
    let mut server = server(&served);
    let names = [&absolute, "../above.txt", "folder/../../above.txt", ""];
    for name in names {
        assert_eq!(download(&server, name.as_bytes()), b"", "{name}");
        let refused = format!("refused {name:?}: not a file inside the dir");
        server.expect(&refused);
    }
}

/// Windows' names for a place out of the folder (`..\`, a drive, a
/// share) and for a device (`NUL`, `CON`), and a trailing dot or space
/// (which Windows drops from a name): each serves nothing, and the server
/// goes on. The folder is canonical (`\\?\C:\...` on Windows), so a name
/// joined to it is taken as written: `NUL` there is a file name, which
/// is not found. On Linux each is a name with no such file.
#[test]
fn windows_names_serve_nothing() {
    let dir = temp_dir();
    let served = dir.path().join("served");
    std::fs::create_dir(&served).unwrap();
    std::fs::write(dir.path().join("above.txt"), "above").unwrap();
    std::fs::write(served.join("hello.txt"), "hello").unwrap();
    let mut server = server(&served);
    let names = [
        "..\\above.txt",
        "sub\\..\\..\\above.txt",
        "C:\\Windows\\win.ini",
        "C:above.txt",
        "\\\\127.0.0.1\\c$\\Windows\\win.ini",
        "NUL",
        "CON",
        "hello.txt.",
        "hello.txt ",
    ];
    for name in names {
        assert_eq!(download(&server, name.as_bytes()), b"", "{name:?}");
        server.expect(&format!("{name:?}"));
        server.line(); // refused, or not found
    }
    assert_eq!(download(&server, b"hello.txt"), b"hello");
}

#[test]
fn pairs_with_09_for_a_100_mib_file_in_constant_memory() {
    let dir = temp_dir();
    let original = dir.path().join("big.bin");
    make_file(&original, 100 << 20);
    let mut server = server(dir.path());
    let mut client = cmd(
        &lesson_bin("09-file-download-client"),
        &[&server.addr.to_string(), "big.bin"],
    );
    // the client saves into the directory the server serves from
    client.current_dir(dir.path());
    let (status, stdout, stderr) = run(client, b"");
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("saved 104857600 bytes as received-big.bin"));
    assert!(same_file(&original, &dir.path().join("received-big.bin")));
    server.expect("sent 104857600 bytes");
    let peak = testkit::peak_kib(server.pid());
    assert!(peak < 16 * 1024, "server peak memory {peak} KiB");
}

#[test]
fn a_client_that_leaves_midway_does_not_stop_the_server() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("ok.txt"), "ok").unwrap();
    make_file(&dir.path().join("big.bin"), 8 << 20);
    let mut server = server(dir.path());
    let mut quitter = TcpStream::connect(server.addr).unwrap();
    quitter.write_all(b"big.bin").unwrap();
    let mut first = [0; 1000];
    quitter.read_exact(&mut first).unwrap();
    drop(quitter);
    assert_eq!(download(&server, b"ok.txt"), b"ok");
    server.expect("sent 2 bytes");
}

#[test]
fn a_missing_directory_is_one_line() {
    let (status, _, stderr) = run(cmd(&BIN, &["0", "/no/such/dir"]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/no/such/dir"));
}
