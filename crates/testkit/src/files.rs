//! Files for the tests: a temporary directory, a test file, a comparison.

use std::path::Path;

/// The temporary directories of the tests, removed on drop.
pub use tempfile::TempDir;

/// A fresh directory under the system's temp dir, removed on drop.
pub fn temp_dir() -> TempDir {
    let dir = tempfile::Builder::new().prefix("netlesson-").tempdir();
    dir.expect("create temp dir")
}

/// A fresh directory every user may write into (tests that run a peer as
/// another user, or check who owns what is made there).
pub fn temp_dir_open_to_all() -> TempDir {
    let dir = temp_dir();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let everyone = std::fs::Permissions::from_mode(0o777);
        std::fs::set_permissions(dir.path(), everyone).unwrap();
    }
    dir
}

/// Writes `size` bytes of a repeating, non-trivial pattern to `path`.
pub fn make_file(path: &Path, size: usize) {
    let pattern = (0..size).map(|i| {
        let i = i % (1 << 20); // a block of 1 MiB, again and again
        (i * 7 + i / 251) as u8
    });
    std::fs::write(path, pattern.collect::<Vec<u8>>())
        .expect("write test file");
}

/// True when two files have the same bytes, now or within [`DEADLINE`]:
/// a server may write an upload's last block after its last ACK (atftpd,
/// under load). The largest file a test makes, 100 MiB, fits in memory
/// twice.
pub fn same_file(a: &Path, b: &Path) -> bool {
    crate::eventually(|| {
        let (a, b) = (std::fs::read(a).ok(), std::fs::read(b).ok());
        a.is_some() && a == b
    })
}
