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
        let limit = match &line[0] {
            name if name.starts_with("00-") => 180,
            name if name.contains("tftp") => 170,
            _ => 80,
        };
        assert!(code <= limit, "{}: {code} code lines", line[0]);
        let wide = text.lines().find(|l| l.chars().count() > 80);
        assert!(wide.is_none(), "{}: line over 80: {wide:?}", line[0]);
    }
}

/// Every README of the course: the top one and each lesson's.
fn readmes() -> Vec<PathBuf> {
    let mut all = vec![root().join("README.md")];
    for line in manifest() {
        all.push(root().join("lessons").join(&line[0]).join("README.md"));
    }
    all
}

/// The fenced code blocks of a Markdown text, fences included.
fn code_blocks(text: &str) -> Vec<String> {
    let mut blocks = vec![];
    let mut open: Option<String> = None;
    for line in text.lines() {
        match open.as_mut() {
            None if line.trim_start().starts_with("```") => {
                open = Some(format!("{line}\n"));
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
                if line.trim() == "```" {
                    blocks.push(open.take().unwrap_or_default());
                }
            }
            None => {}
        }
    }
    blocks
}

/// The `## ` headings, outside code blocks.
fn sections(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut found = vec![];
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with("## ") {
            found.push(line.to_string());
        }
    }
    found
}

/// A README and its Chinese twin say the same: the same sections in the
/// same order, the same code blocks (commands and transcripts), and each
/// links the other on its first line.
#[test]
fn every_chinese_twin_matches_its_readme() {
    for english in readmes() {
        let chinese = english.with_file_name("README.zh-CN.md");
        let Ok(zh) = fs::read_to_string(&chinese) else {
            continue;
        };
        let en = fs::read_to_string(&english).unwrap();
        let name = english.display();
        assert_eq!(
            en.lines().next(),
            Some("English | [简体中文](README.zh-CN.md)"),
            "{name}: first line"
        );
        assert_eq!(
            zh.lines().next(),
            Some("[English](README.md) | 简体中文"),
            "{name}: first line of the twin"
        );
        assert_eq!(
            sections(&en).len(),
            sections(&zh).len(),
            "{name}: sections {:?} vs {:?}",
            sections(&en),
            sections(&zh)
        );
        assert_eq!(code_blocks(&en), code_blocks(&zh), "{name}: code blocks");
    }
}

/// The table mapping the tutorial's Python steps to Rust lines names code
/// that is really in the lesson's `main.rs`: every `code` in its last
/// column, in both languages.
#[test]
fn step_tables_quote_the_real_code() {
    for line in manifest() {
        let dir = root().join("lessons").join(&line[0]);
        let main = fs::read_to_string(dir.join("src/main.rs")).unwrap();
        for name in ["README.md", "README.zh-CN.md"] {
            let Ok(readme) = fs::read_to_string(dir.join(name)) else {
                continue;
            };
            let table = readme
                .split("\n## ")
                .find(|s| s.starts_with("Python"))
                .unwrap_or("");
            let rows = table.lines().filter(|l| l.starts_with("| "));
            for row in rows.skip(2) {
                let rust = row.trim_end_matches('|').rsplit('|').next();
                let quoted = rust.unwrap_or("").split('`').skip(1).step_by(2);
                for code in quoted {
                    assert!(
                        main.contains(code),
                        "{}/{name}: `{code}` is not in main.rs",
                        line[0]
                    );
                }
            }
        }
    }
}

/// The clone holds the course and nothing left over from a run (a log, a
/// download): the top folder's tracked files are the ones named here.
/// Without git (a course unpacked from a ZIP) there is nothing to check.
#[test]
fn the_top_folder_holds_only_the_course() {
    let listed = std::process::Command::new("git")
        .args(["ls-files", "--", ":(top,glob)*"])
        .current_dir(root())
        .output();
    let listed = match listed {
        Ok(listed) if listed.status.success() => listed,
        _ => return, // not a git checkout
    };
    let expected = [
        ".gitignore",
        "Cargo.lock",
        "Cargo.toml",
        "README.md",
        "README.zh-CN.md",
        "rustfmt.toml",
    ];
    let listed = String::from_utf8(listed.stdout).unwrap();
    let stray: Vec<&str> =
        listed.lines().filter(|f| !expected.contains(f)).collect();
    assert!(stray.is_empty(), "files left in the top folder: {stray:?}");
}

/// Every lesson's `--help` fits an 80-column terminal or projector.
#[test]
fn every_usage_line_fits_80_columns() {
    for lesson in manifest() {
        let bin = testkit::lesson_bin(&lesson[0]);
        let out = std::process::Command::new(&bin).arg("--help").output();
        let out = String::from_utf8(out.unwrap().stdout).unwrap();
        assert!(out.starts_with("usage: "), "{bin}: {out}");
        for line in out.lines() {
            assert!(line.chars().count() <= 80, "{bin}: {line:?}");
        }
    }
}
