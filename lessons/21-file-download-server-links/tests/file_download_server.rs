//! 21-file-download-server-links: serves files inside DIR, and only those, to
//! raw clients of the test's own. 10's tests run against 21 too
//! (tests/from_10.rs): 21 still does everything 10 does.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use testkit::{cmd, make_file, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_21-file-download-server-links");

fn server(dir: &Path) -> Proc {
    let mut command = cmd(BIN, &["127.0.0.1:0", &dir.display().to_string()]);
    command.env("IDLE_TIMEOUT_SECS", "0.5");
    Proc::server(command)
}

/// Asks for `name` the way the tutorial's client does; returns the reply.
fn download(server: &Proc, name: &[u8]) -> Vec<u8> {
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.write_all(name).unwrap();
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
    assert_eq!(download(&server, b"hello.txt"), "你好\n".as_bytes());
    server.expect("sent 7 bytes");
    assert_eq!(download(&server, b"sub/inner.txt"), b"inner");
    assert_eq!(download(&server, b"hello.txt\n"), "你好\n".as_bytes());
    assert_eq!(download(&server, b"nope.txt"), b"");
    server.expect("\"nope.txt\"");
    server.expect("not found");
}

#[test]
fn refuses_names_that_lead_out_of_the_directory() {
    let outside = temp_dir();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "secret").unwrap();
    let dir = temp_dir();
    let served = dir.path().join("served");
    std::fs::create_dir(&served).unwrap();
    std::fs::write(dir.path().join("above.txt"), "above").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, served.join("link.txt")).unwrap();
    std::fs::create_dir(served.join("folder")).unwrap();
    let mut server = server(&served);
    let absolute = secret.display().to_string();
    for name in [absolute.as_str(), "../above.txt", "folder/../../above.txt"] {
        assert_eq!(download(&server, name.as_bytes()), b"", "{name}");
        server.expect("refused");
    }
    #[cfg(unix)]
    {
        assert_eq!(download(&server, b"link.txt"), b"");
        server.expect("refused \"link.txt\"");
    }
    assert_eq!(download(&server, b"folder"), b"");
    if testkit::testing_windows() {
        // Windows opens no folder as a file: Access is denied (os error 5)
        server.expect("\"folder\"");
        server.expect("not found: ");
    } else {
        server.expect("refused \"folder\"");
    }
}

#[test]
fn misbehaving_clients_do_not_stop_the_server() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("ok.txt"), "ok").unwrap();
    make_file(&dir.path().join("big.bin"), 8 << 20);
    let server = server(dir.path());
    // a name that is not UTF-8
    assert_eq!(download(&server, b"\xff\xfe"), b"");
    // a 10 MB name
    let mut huge = TcpStream::connect(server.addr).unwrap();
    let _ = huge.write_all(&vec![b'a'; 10 << 20]);
    drop(huge);
    assert_eq!(download(&server, b"ok.txt"), b"ok");
    // a client that leaves in the middle of a download
    let mut quitter = TcpStream::connect(server.addr).unwrap();
    quitter.write_all(b"big.bin").unwrap();
    let mut first = [0; 1000];
    quitter.read_exact(&mut first).unwrap();
    drop(quitter);
    assert_eq!(download(&server, b"ok.txt"), b"ok");
    // a client that connects and says nothing: the idle timeout ends it
    let idle = TcpStream::connect(server.addr).unwrap();
    assert_eq!(download(&server, b"ok.txt"), b"ok");
    drop(idle);
    // one that asks for a file and never reads it: the write times out
    let mut sleeper = TcpStream::connect(server.addr).unwrap();
    sleeper.write_all(b"big.bin").unwrap();
    assert_eq!(download(&server, b"ok.txt"), b"ok");
    drop(sleeper);
}

#[test]
fn a_client_that_never_reads_is_told_idle() {
    let dir = temp_dir();
    make_file(&dir.path().join("big.bin"), 32 << 20);
    let mut server = server(dir.path());
    // asks for 32 MB and reads none of it: the write side times out
    let mut sleeper = TcpStream::connect(server.addr).unwrap();
    sleeper.write_all(b"big.bin").unwrap();
    let me = sleeper.local_addr().unwrap();
    server.expect(&format!("{me} wants \"big.bin\""));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.5 s, closed")
    );
    // and one that says nothing: the read side
    let idle = TcpStream::connect(server.addr).unwrap();
    let me = idle.local_addr().unwrap();
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.5 s, closed")
    );
}

/// Swaps two names in `dir` (renameat2 RENAME_EXCHANGE) in a loop, from
/// Python's ctypes, until it is killed; None without python3.
#[cfg(unix)]
fn swapper(dir: &Path, a: &str, b: &str) -> Option<Proc> {
    if testkit::missing("python3") {
        return None;
    }
    let script = "import ctypes, os, sys\n\
        libc = ctypes.CDLL(None, use_errno=True)\n\
        a, b = (os.fsencode(n) for n in sys.argv[1:3])\n\
        print('swapping', flush=True)\n\
        while True:\n    \
            if libc.renameat2(-100, a, -100, b, 2) != 0:\n        \
                sys.exit(os.strerror(ctypes.get_errno()))\n";
    let mut command = std::process::Command::new("python3");
    command.args(["-c", script, a, b]).current_dir(dir);
    let mut swapper = Proc::start(command);
    assert_eq!(swapper.line(), "swapping");
    Some(swapper)
}

/// Asks for `name` again and again for about a second while it is being
/// swapped; returns every answer (each must come within the deadline).
#[cfg(unix)]
fn ask_while_swapped(server: &Proc, name: &[u8]) -> Vec<Vec<u8>> {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(1);
    let mut answers = vec![];
    while std::time::Instant::now() < end || answers.len() < 50 {
        let mut client = TcpStream::connect(server.addr).unwrap();
        client.set_read_timeout(Some(testkit::DEADLINE)).unwrap();
        client.write_all(name).unwrap();
        let mut data = vec![];
        client.read_to_end(&mut data).expect("an answer in time");
        answers.push(data);
    }
    answers
}

/// The check-then-open race: `file.txt` swapped with a symlink to a file
/// outside, over and over, while it is asked for.
#[cfg(unix)]
#[test]
fn a_name_swapped_for_a_symlink_out_never_serves_outside() {
    if testkit::not_on_windows(
        "Wine names an opened file by resolving its name again after \
         opening, so a swap in between still wins (Windows names the file \
         the handle holds)",
    ) {
        return;
    }
    let outside = temp_dir();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let dir = temp_dir();
    std::fs::write(dir.path().join("file.txt"), "inside").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), link)
        .unwrap();
    let server = server(dir.path());
    let Some(_swapper) = swapper(dir.path(), "file.txt", "link") else {
        return;
    };
    let answers = ask_while_swapped(&server, b"file.txt");
    let secret = answers.iter().filter(|a| a == &b"secret").count();
    let inside = answers.iter().filter(|a| a == &b"inside").count();
    assert_eq!(secret, 0, "served outside {secret} of {}", answers.len());
    assert!(inside > 0, "never served the file in {}", answers.len());
}

/// `file.txt` swapped with a FIFO: opening a FIFO waits for a writer, so
/// the server must never block in `open`.
#[cfg(unix)]
#[test]
fn a_name_swapped_for_a_fifo_never_blocks_the_server() {
    if testkit::not_on_windows("a FIFO in a folder is Unix's (mkfifo)") {
        return;
    }
    let dir = temp_dir();
    std::fs::write(dir.path().join("file.txt"), "inside").unwrap();
    let fifo = dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes());
    // SAFETY: a NUL-terminated name that lives across the call
    let made = unsafe { libc::mkfifo(name.unwrap().as_ptr(), 0o644) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
    let mut server = server(dir.path());
    // a FIFO asked for by name is refused at once
    assert_eq!(download(&server, b"fifo"), b"");
    server.expect("refused \"fifo\"");
    let Some(swapper) = swapper(dir.path(), "file.txt", "fifo") else {
        return;
    };
    let answers = ask_while_swapped(&server, b"file.txt");
    assert!(answers.iter().all(|a| a == b"inside" || a.is_empty()));
    drop(swapper);
    std::fs::write(dir.path().join("ok.txt"), "ok").unwrap();
    assert_eq!(download(&server, b"ok.txt"), b"ok");
}

/// The same race one level up: the folder `sub` swapped with a symlink to
/// a folder outside that holds a `file.txt` of its own.
#[cfg(unix)]
#[test]
fn a_folder_swapped_for_a_symlink_out_never_serves_outside() {
    if testkit::not_on_windows(
        "Wine names an opened file by resolving its name again after \
         opening, so a swap in between still wins (Windows names the file \
         the handle holds)",
    ) {
        return;
    }
    let outside = temp_dir();
    std::fs::write(outside.path().join("file.txt"), "secret").unwrap();
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/file.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link"))
        .unwrap();
    let server = server(dir.path());
    let Some(_swapper) = swapper(dir.path(), "sub", "link") else {
        return;
    };
    let answers = ask_while_swapped(&server, b"sub/file.txt");
    let secret = answers.iter().filter(|a| a == &b"secret").count();
    let inside = answers.iter().filter(|a| a == &b"inside").count();
    assert_eq!(secret, 0, "served outside {secret} of {}", answers.len());
    assert!(inside > 0, "never served the file in {}", answers.len());
}

/// A failed `accept` (no file descriptor left for the client's socket)
/// is said and tried again; once descriptors are free, the waiting
/// client gets its file (the old server ended with `Error: Too many open
/// files`).
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_is_said_and_tried_again() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("hello.txt"), "hello").unwrap();
    let command = cmd(BIN, &["127.0.0.1:0", dir.path().to_str().unwrap()]);
    let ready = Some("serving files in");
    let Some((_server, mut client)) =
        testkit::accept_fails_at_first(&command, ready)
    else {
        return;
    };
    client.write_all(b"hello.txt").unwrap();
    let mut data = vec![];
    client.read_to_end(&mut data).unwrap();
    assert_eq!(data, b"hello");
}

/// The folder race again, with a FIFO outside where `sub/file.txt` leads
/// once `sub` is swapped for a symlink: the server may see that name lead
/// out, but it never opens anything there (it used to open whatever was
/// there before checking it: a FIFO's writer woke up, and a device, say a
/// watchdog or a tape, would have acted on being opened). Only a handle is
/// taken first, opened for reading once it is a regular file.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_swapped_for_a_symlink_out_never_opens_anything_there() {
    if testkit::not_on_windows("a FIFO in a folder is Unix's (mkfifo)") {
        return;
    }
    use std::os::unix::fs::OpenOptionsExt;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let outside = temp_dir();
    let fifo = outside.path().join("file.txt");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes());
    // SAFETY: a NUL-terminated name that lives across the call
    let made = unsafe { libc::mkfifo(name.unwrap().as_ptr(), 0o644) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/file.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link"))
        .unwrap();
    // a writer waits for the FIFO to be opened for reading, again and again
    let (stop, opened) = (Arc::new(AtomicBool::new(false)), Arc::default());
    let writer = std::thread::spawn({
        let (stop, opened, fifo) =
            (stop.clone(), Arc::clone(&opened), fifo.clone());
        move || {
            let opened: Arc<AtomicUsize> = opened;
            while !stop.load(Ordering::SeqCst) {
                if std::fs::OpenOptions::new().write(true).open(&fifo).is_ok() {
                    opened.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    });
    let server = server(dir.path());
    if let Some(_swapper) = swapper(dir.path(), "sub", "link") {
        let answers = ask_while_swapped(&server, b"sub/file.txt");
        assert!(answers.iter().all(|a| a == b"inside" || a.is_empty()));
    }
    let by_server = opened.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    // let the writer out of its wait: open the FIFO for reading ourselves
    let reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo);
    writer.join().unwrap();
    drop(reader);
    assert_eq!(by_server, 0, "the server opened the FIFO outside");
}
