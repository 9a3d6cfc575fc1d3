//! Files for the tests: a temporary directory, a test file, a comparison.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

/// A fresh directory under the system's temp dir, removed on drop
/// (`tempfile` makes it; a test only needs `new` and `path`).
#[derive(Debug)]
pub struct TempDir(tempfile::TempDir);

impl TempDir {
    pub fn new() -> TempDir {
        let dir = tempfile::Builder::new().prefix("netlesson-").tempdir();
        TempDir(dir.expect("create temp dir"))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

impl TempDir {
    /// A fresh directory every user may write into (tests that run a peer
    /// as another user, or check who owns what is made there).
    pub fn open_to_all() -> TempDir {
        let dir = TempDir::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let everyone = std::fs::Permissions::from_mode(0o777);
            std::fs::set_permissions(dir.path(), everyone).unwrap();
        }
        dir
    }
}

impl Default for TempDir {
    fn default() -> Self {
        TempDir::new()
    }
}

/// Writes `size` bytes of a repeating, non-trivial pattern to `path`.
pub fn make_file(path: &Path, size: usize) {
    let block: Vec<u8> =
        (0..1 << 20).map(|i| (i * 7 + i / 251) as u8).collect();
    let mut file = std::fs::File::create(path).expect("create test file");
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len());
        file.write_all(&block[..n]).expect("write test file");
        left -= n;
    }
}

/// True when two files have the same bytes.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (mut a, mut b) = match (std::fs::File::open(a), std::fs::File::open(b))
    {
        (Ok(a), Ok(b)) => (BufReader::new(a), BufReader::new(b)),
        _ => return false,
    };
    loop {
        let (x, y) = (a.fill_buf().unwrap().to_vec(), b.fill_buf().unwrap());
        let n = x.len().min(y.len());
        if x[..n] != y[..n] {
            return false;
        }
        if n == 0 {
            return x.len() == y.len();
        }
        a.consume(n);
        b.consume(n);
    }
}
