//! The server's folder: which names a request may use (lesson 10's rules:
//! nothing outside the folder), and uploads that appear whole or not at
//! all. Errors come as the TFTP error code and message to answer with.
//!
//! Checking a name and then opening it by name is a race: between the
//! two, another program on the machine can swap a file or a folder for a
//! symlink that leads out, or for a FIFO that blocks `open` forever. So
//! the check comes after the open, on what was opened:
//! - on Unix every step of the path is opened from the one before
//!   (`openat`), the served folder's handle first, never following a
//!   symlink (`O_NOFOLLOW`), the file itself without waiting
//!   (`O_NONBLOCK`: a FIFO or a device opens at once), and then the open
//!   file must be a regular file. A symlink inside the folder may still
//!   lead to a file inside it: the name is resolved first, then that
//!   resolved path is walked, which fails if anything was swapped;
//! - an upload is created, and later linked to its name, relative to its
//!   folder's handle: whatever is renamed meanwhile, it lands in the
//!   folder that was checked;
//! - elsewhere (Windows) the same checks run on paths: best effort.

use crate::packet::{
    ACCESS_VIOLATION, DISK_FULL, FILE_EXISTS, FILE_NOT_FOUND, NOT_DEFINED,
};
use anyhow::Context;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

pub type Refusal = (u16, String);

/// Uploads in progress are written under names that start with this:
/// such names are never served and never accepted for an upload, so a
/// half-written file (even one left by a server that was killed) is
/// never read, and never stands in the way of a new upload.
pub const TEMP_PREFIX: &str = ".tftp-upload.";

/// The files being uploaded now (folder and name): a second upload of
/// the same name is refused at once.
static UPLOADING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The served folder, opened once.
pub struct Root {
    path: PathBuf, // canonical: no symlink, no `..`
    dir: Dir,
}

impl Root {
    pub fn open(dir: &str) -> io::Result<Root> {
        let path = fs::canonicalize(dir)?;
        let dir = Dir::open_root(&path)?;
        Ok(Root { path, dir })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens `name` for a download: a regular file inside the folder.
    pub fn open_file(&self, name: &str) -> Result<File, Refusal> {
        let real = fs::canonicalize(self.inside(name)?).map_err(refusal)?;
        let relative = self.relative(&real)?;
        if relative.as_os_str().is_empty() {
            return Err(outside()); // the folder itself
        }
        let file = self.dir.open_file(relative).map_err(refusal)?;
        match file.metadata() {
            Ok(meta) if meta.is_file() && links(&meta) > 1 => Err((
                ACCESS_VIOLATION,
                "a file with more than one link is not served".into(),
            )),
            Ok(meta) if meta.is_file() => Ok(file),
            Ok(_) => Err(outside()),
            Err(error) => Err(refusal(error)),
        }
    }

    /// Starts an upload of `name`: a new file in this folder, written
    /// under a temporary name. The name must be plain (see `plain_name`).
    pub fn create(&self, name: &str) -> Result<Upload, Refusal> {
        let file_name = plain_name(name)?;
        let dir = self.dir.open_folder(Path::new("")).map_err(refusal)?;
        if dir.exists(file_name) {
            return Err((FILE_EXISTS, "file already exists".into()));
        }
        let key = self.path.join(file_name);
        let mut uploading =
            UPLOADING.lock().unwrap_or_else(PoisonError::into_inner);
        if uploading.contains(&key) {
            return Err((FILE_EXISTS, "file is being uploaded".into()));
        }
        let (temp, file) = dir.create_temp().map_err(refusal)?;
        uploading.push(key.clone());
        let name = file_name.to_owned();
        Ok(Upload {
            file,
            dir,
            temp,
            name,
            key,
        })
    }

    /// The path a request names, if it may name anything: relative, no
    /// `..`, not empty, not a temporary upload.
    fn inside(&self, name: &str) -> Result<PathBuf, Refusal> {
        let path = Path::new(name);
        let up = path.components().any(|c| c == Component::ParentDir);
        if path.is_absolute() || up || name.is_empty() || is_temp(path) {
            return Err(outside());
        }
        Ok(self.path.join(path))
    }

    /// `real` (a resolved path) relative to the folder, if inside it.
    fn relative<'p>(&self, real: &'p Path) -> Result<&'p Path, Refusal> {
        match real.strip_prefix(&self.path) {
            Ok(relative) if !is_temp(relative) => Ok(relative),
            _ => Err(outside()),
        }
    }
}

/// An upload's name is one plain file name: no folder (`/`, `\\`, or a
/// drive's `:`), no control character, not hidden and not an option
/// (`.` or `-` first). A stranger's upload can then never be a
/// `build.rs` in a crate, a `.cargo/config.toml` or a `.bashrc`: nothing
/// a build or a shell runs on its own.
fn plain_name(name: &str) -> Result<&OsStr, Refusal> {
    let bad = |c: char| matches!(c, '/' | '\\' | ':') || c.is_control();
    if name.is_empty() || name.starts_with(['.', '-']) || name.contains(bad) {
        let why = "upload names are plain file names (no /, no . or - first)";
        return Err((ACCESS_VIOLATION, why.into()));
    }
    Ok(OsStr::new(name))
}

/// A temporary upload's name, in any case: on a case-insensitive folder
/// (a Windows share, WSL's /mnt/c, a USB stick) `.TFTP-UPLOAD.` opens the
/// same file (issue 21 row 11).
fn is_temp(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.to_lowercase().starts_with(TEMP_PREFIX)
}

/// How many names a file has. A hard link inside the folder to a file
/// outside it is a way out where the system lets a user link others'
/// files (macOS, the BSDs, Linux with protected_hardlinks=0): such a
/// file is refused (issue 21 row 10). Windows: not checked (std cannot
/// tell there).
#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_meta: &fs::Metadata) -> u64 {
    1
}

fn outside() -> Refusal {
    (ACCESS_VIOLATION, "not a file in the served folder".into())
}

/// The refusal for an error of the system.
fn refusal(error: io::Error) -> Refusal {
    #[cfg(unix)]
    if let Some(libc::ELOOP | libc::ENOTDIR) = error.raw_os_error() {
        return outside(); // a symlink where a folder or file was checked
    }
    #[cfg(unix)]
    if let Some(libc::EMFILE | libc::ENFILE) = error.raw_os_error() {
        return (NOT_DEFINED, "busy: try later".into()); // out of fds
    }
    match error.kind() {
        ErrorKind::NotFound => (FILE_NOT_FOUND, "file not found".into()),
        ErrorKind::PermissionDenied => (ACCESS_VIOLATION, error.to_string()),
        ErrorKind::StorageFull => (DISK_FULL, error.to_string()),
        _ => (NOT_DEFINED, error.to_string()),
    }
}

/// An upload in progress: written to a temporary name in its folder.
pub struct Upload {
    pub file: File,
    dir: Dir,
    temp: OsString,
    name: OsString,
    key: PathBuf,
}

impl Upload {
    /// Gives the complete upload its name, unless that name was taken
    /// meanwhile (ERROR 6: never replaced). Call it before the final ACK:
    /// a client told "done" has its file.
    pub fn keep(self) -> Result<(), Refusal> {
        match self.dir.link(&self.temp, &self.name) {
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                Err((FILE_EXISTS, "file already exists".into()))
            }
            linked => linked.map_err(refusal),
        }
    }
}

impl Drop for Upload {
    /// The temporary name goes, kept or not; the name is free again.
    fn drop(&mut self) {
        let _ = self.dir.remove(&self.temp);
        let mut uploading =
            UPLOADING.lock().unwrap_or_else(PoisonError::into_inner);
        uploading.retain(|key| *key != self.key);
    }
}

/// 14's download in progress: written to `.NAME.PID.part` in the
/// current folder, which goes away unless the download is kept. The name
/// is easy to guess, so it is created new: never through a symlink or
/// over a file that another user of the folder put there.
pub struct Part {
    file: BufWriter<File>,
    path: PathBuf,
    name: String,
    kept: bool,
}

impl Part {
    pub fn create(name: &str) -> anyhow::Result<Part> {
        let path = format!(".{name}.{}.part", std::process::id());
        let mut options = File::options();
        let file = options.write(true).create_new(true).open(&path);
        let file = file.context(path.clone())?;
        Ok(Part {
            file: BufWriter::with_capacity(256 << 10, file),
            path: path.into(),
            name: name.into(),
            kept: false,
        })
    }

    /// Writes the rest and gives the file its name, never replacing a
    /// file that exists: a hard link fails if it does (where the file
    /// system has no hard links: a rename, after a check).
    pub fn keep(mut self) -> anyhow::Result<()> {
        self.file.flush().context(self.name.clone())?;
        let (part, name) = (&self.path, Path::new(&self.name));
        let kept = match fs::hard_link(part, name) {
            Ok(()) => fs::remove_file(part),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
            Err(_) if name.symlink_metadata().is_ok() => {
                Err(ErrorKind::AlreadyExists.into())
            }
            Err(_) => fs::rename(part, name),
        };
        match kept {
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                anyhow::bail!("{} exists here: not replaced", self.name)
            }
            kept => kept.context(self.name.clone())?,
        }
        self.kept = true;
        Ok(())
    }
}

impl Write for Part {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Part {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A folder: a handle on Unix (see the top of this file), a path
/// elsewhere.
struct Dir(sys::Handle);

static TEMP_COUNT: AtomicU64 = AtomicU64::new(0);

/// A name no other upload uses: the process and a count.
fn temp_name() -> OsString {
    let count = TEMP_COUNT.fetch_add(1, Ordering::Relaxed);
    format!("{TEMP_PREFIX}{}.{count}", std::process::id()).into()
}

impl Dir {
    /// Creates a new file under a temporary name, opened for writing.
    fn create_temp(&self) -> io::Result<(OsString, File)> {
        loop {
            let temp = temp_name();
            match self.create_new(&temp) {
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                file => return Ok((temp, file?)),
            }
        }
    }
}

#[cfg(unix)]
mod sys {
    use super::Dir;
    use std::ffi::{CString, OsStr};
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    pub type Handle = File;

    fn c_name(name: &OsStr) -> io::Result<CString> {
        CString::new(name.as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    }

    fn check(result: libc::c_int) -> io::Result<libc::c_int> {
        match result {
            -1 => Err(io::Error::last_os_error()),
            ok => Ok(ok),
        }
    }

    /// `openat`: `name` in the folder `dir`, never through a symlink.
    fn open_at(
        dir: &File,
        name: &OsStr,
        flags: libc::c_int,
    ) -> io::Result<File> {
        let name = c_name(name)?;
        let flags = flags | libc::O_CLOEXEC | libc::O_NOFOLLOW;
        let mode: libc::c_uint = 0o644; // for a file it creates
                                        // SAFETY: a valid folder descriptor and a NUL-terminated name
        let fd = check(unsafe {
            libc::openat(dir.as_raw_fd(), name.as_ptr(), flags, mode)
        })?;
        // SAFETY: the descriptor is new, and owned by this File alone
        Ok(unsafe { File::from_raw_fd(fd) })
    }

    const FOLDER: libc::c_int = libc::O_RDONLY | libc::O_DIRECTORY;

    impl Dir {
        pub(super) fn open_root(path: &Path) -> io::Result<Dir> {
            let path = c_name(path.as_os_str())?;
            let flags = FOLDER | libc::O_CLOEXEC;
            // SAFETY: a NUL-terminated path
            let fd = check(unsafe { libc::open(path.as_ptr(), flags) })?;
            // SAFETY: the descriptor is new, and owned by this File alone
            Ok(Dir(unsafe { File::from_raw_fd(fd) }))
        }

        /// The folders of `relative`, one step after the other.
        fn walk<'p>(
            &self,
            relative: &'p Path,
        ) -> io::Result<(Option<File>, Option<&'p OsStr>)> {
            let mut steps = relative.iter();
            let last = steps.next_back();
            let mut dir: Option<File> = None;
            for step in steps {
                let at = dir.as_ref().unwrap_or(&self.0);
                dir = Some(open_at(at, step, FOLDER)?);
            }
            Ok((dir, last))
        }

        /// The file at `relative`, opened step by step, without waiting
        /// (a FIFO or a device opens at once, to be refused).
        pub(super) fn open_file(&self, relative: &Path) -> io::Result<File> {
            let (dir, name) = self.walk(relative)?;
            let name = name.ok_or(io::ErrorKind::NotFound)?;
            let flags = libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY;
            open_at(dir.as_ref().unwrap_or(&self.0), name, flags)
        }

        /// The folder at `relative` (this one when empty), step by step.
        pub(super) fn open_folder(&self, relative: &Path) -> io::Result<Dir> {
            let (dir, name) = self.walk(relative)?;
            let at = dir.as_ref().unwrap_or(&self.0);
            match name {
                Some(name) => Ok(Dir(open_at(at, name, FOLDER)?)),
                None => Ok(Dir(self.0.try_clone()?)),
            }
        }

        pub(super) fn exists(&self, name: &OsStr) -> bool {
            let Ok(name) = c_name(name) else {
                return false;
            };
            let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
            let (fd, flags) = (self.0.as_raw_fd(), libc::AT_SYMLINK_NOFOLLOW);
            // SAFETY: a valid descriptor, a NUL-terminated name, and room
            // for the answer (which is not read)
            let found = unsafe {
                libc::fstatat(fd, name.as_ptr(), stat.as_mut_ptr(), flags)
            };
            found == 0
        }

        pub(super) fn create_new(&self, name: &OsStr) -> io::Result<File> {
            let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL;
            open_at(&self.0, name, flags)
        }

        /// A second name for `from`; fails if `to` exists.
        pub(super) fn link(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
            let (from, to, fd) =
                (c_name(from)?, c_name(to)?, self.0.as_raw_fd());
            // SAFETY: a valid descriptor and two NUL-terminated names
            check(unsafe {
                libc::linkat(fd, from.as_ptr(), fd, to.as_ptr(), 0)
            })
            .map(drop)
        }

        pub(super) fn remove(&self, name: &OsStr) -> io::Result<()> {
            let (name, fd) = (c_name(name)?, self.0.as_raw_fd());
            // SAFETY: a valid descriptor and a NUL-terminated name
            check(unsafe { libc::unlinkat(fd, name.as_ptr(), 0) }).map(drop)
        }
    }
}

/// Best effort where there is no `openat`: paths, resolved again.
#[cfg(not(unix))]
mod sys {
    use super::Dir;
    use std::ffi::OsStr;
    use std::fs::{self, File};
    use std::io;
    use std::path::{Path, PathBuf};

    pub type Handle = PathBuf;

    impl Dir {
        pub(super) fn open_root(path: &Path) -> io::Result<Dir> {
            Ok(Dir(path.into()))
        }

        /// `relative` resolved again: still inside this folder?
        fn resolve(&self, relative: &Path) -> io::Result<PathBuf> {
            let path = fs::canonicalize(self.0.join(relative))?;
            match path.starts_with(&self.0) {
                true => Ok(path),
                false => Err(io::ErrorKind::PermissionDenied.into()),
            }
        }

        pub(super) fn open_file(&self, relative: &Path) -> io::Result<File> {
            File::open(self.resolve(relative)?)
        }

        pub(super) fn open_folder(&self, relative: &Path) -> io::Result<Dir> {
            Ok(Dir(self.resolve(relative)?))
        }

        pub(super) fn exists(&self, name: &OsStr) -> bool {
            self.0.join(name).symlink_metadata().is_ok()
        }

        pub(super) fn create_new(&self, name: &OsStr) -> io::Result<File> {
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true).open(self.0.join(name))
        }

        pub(super) fn link(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
            fs::hard_link(self.0.join(from), self.0.join(to))
        }

        pub(super) fn remove(&self, name: &OsStr) -> io::Result<()> {
            fs::remove_file(self.0.join(name))
        }
    }
}

/// A writer that takes at most `left` bytes: past that, an error of kind
/// StorageFull, which the transfer answers with ERROR 3 (15's
/// `--max-size`).
pub struct Capped<W> {
    pub inner: W,
    pub left: u64,
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.len() as u64 > self.left {
            let why = "the upload is larger than the server takes";
            return Err(io::Error::new(ErrorKind::StorageFull, why));
        }
        let n = self.inner.write(buf)?;
        self.left -= n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
