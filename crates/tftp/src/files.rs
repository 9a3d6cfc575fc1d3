//! The server's folder: which names a request may use (lesson 10's rules:
//! nothing outside the folder), and uploads that appear whole or not at
//! all. Errors come as the TFTP error code and message to answer with.

use crate::packet::{ACCESS_VIOLATION, FILE_EXISTS, FILE_NOT_FOUND};
use std::fs::{self, File, OpenOptions};
use std::path::{Component, Path, PathBuf};

pub type Refusal = (u16, String);

fn inside(root: &Path, name: &str) -> Result<PathBuf, Refusal> {
    let path = Path::new(name);
    let up = path.components().any(|c| c == Component::ParentDir);
    if path.is_absolute() || up || name.is_empty() {
        return Err((ACCESS_VIOLATION, "outside the served folder".into()));
    }
    Ok(root.join(path))
}

/// Opens `name` for a download: a regular file inside `root` (a symlink
/// may not lead out).
pub fn open(root: &Path, name: &str) -> Result<File, Refusal> {
    let path = fs::canonicalize(inside(root, name)?);
    let path = path.map_err(|_| (FILE_NOT_FOUND, "file not found".into()))?;
    if !path.starts_with(root) || !path.is_file() {
        return Err((
            ACCESS_VIOLATION,
            "not a file in the served folder".into(),
        ));
    }
    File::open(&path).map_err(|e| (ACCESS_VIOLATION, e.to_string()))
}

/// An upload in progress: written to a temporary name beside its real one.
pub struct Upload {
    pub file: File,
    part: PathBuf,
    path: PathBuf,
}

/// Starts an upload of `name`, a new file in a folder inside `root`.
/// `tag` keeps temporary names of simultaneous uploads apart.
pub fn create(root: &Path, name: &str, tag: u16) -> Result<Upload, Refusal> {
    let path = inside(root, name)?;
    let folder = path.parent().map(fs::canonicalize);
    if !matches!(&folder, Some(Ok(folder)) if folder.starts_with(root)) {
        return Err((ACCESS_VIOLATION, "no such folder".into()));
    }
    if path.symlink_metadata().is_ok() {
        return Err((FILE_EXISTS, "file already exists".into()));
    }
    let part = PathBuf::from(format!("{}.{tag}.part", path.display()));
    let file = OpenOptions::new().write(true).create_new(true).open(&part);
    let file = file.map_err(|e| (ACCESS_VIOLATION, e.to_string()))?;
    Ok(Upload { file, part, path })
}

impl Upload {
    /// Gives a complete upload its name (unless another upload of the same
    /// name finished first), or removes an incomplete one.
    pub fn finish(self, complete: bool) -> std::io::Result<()> {
        let linked = match complete {
            true => fs::hard_link(&self.part, &self.path),
            false => Ok(()),
        };
        fs::remove_file(&self.part)?;
        linked
    }
}
