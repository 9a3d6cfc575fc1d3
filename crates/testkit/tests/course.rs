//! The course holds together: every lesson folder is in the manifest
//! (`lessons/lessons.tsv`) and the other way round, each has the binary
//! name, a README, a test and a `//!` header, grows from an earlier lesson,
//! and is linked from the top README's table.

use std::fs;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn manifest() -> Vec<Vec<String>> {
    let text = fs::read_to_string(root().join("lessons/lessons.tsv")).unwrap();
    let lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    lines
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

#[test]
fn every_lesson_folder_is_listed_and_every_listed_lesson_exists() {
    let listed: Vec<String> = manifest().iter().map(|l| l[0].clone()).collect();
    let mut folders: Vec<String> = fs::read_dir(root().join("lessons"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, folders, "lessons/lessons.tsv and lessons/ differ");
}

#[test]
fn every_lesson_is_complete() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let mut earlier: Vec<String> = vec!["-".into()];
    for line in manifest() {
        assert_eq!(line.len(), 4, "four tab-separated fields: {line:?}");
        let (name, from, other) = (&line[0], &line[1], &line[2]);
        let dir = root().join("lessons").join(name);
        let cargo = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(cargo.contains(&format!("name = \"{name}\"")), "{name} bin");
        let main = fs::read_to_string(dir.join("src/main.rs")).unwrap();
        assert!(main.starts_with(&format!("//! {name}: ")), "{name} header");
        assert!(dir.join("README.md").exists(), "{name} has no README");
        let tests = fs::read_dir(dir.join("tests")).map(|d| d.count());
        assert!(tests.unwrap_or(0) > 0, "{name} has no test");
        assert!(earlier.contains(from), "{name} grows from unknown {from}");
        let known = |n: &String| root().join("lessons").join(n).exists();
        assert!(known(other), "{name}: other end {other} is not a lesson");
        let link = format!("(lessons/{name}/README.md)");
        assert!(readme.contains(&link), "README does not link {name}");
        earlier.push(name.clone());
    }
}

#[test]
fn lessons_stay_projector_sized() {
    for line in manifest() {
        let path = root().join("lessons").join(&line[0]).join("src/main.rs");
        let text = fs::read_to_string(path).unwrap();
        let code = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .count();
        // TFTP's two ends implement a real protocol, options and all (the
        // rest of it lives in crates/tftp); 00 is a table of facts
        let long = line[0].contains("tftp") || line[0].starts_with("00-");
        let limit = if long { 170 } else { 80 };
        assert!(code <= limit, "{}: {code} code lines", line[0]);
        let wide = text.lines().find(|l| l.chars().count() > 80);
        assert!(wide.is_none(), "{}: line over 80: {wide:?}", line[0]);
    }
}
