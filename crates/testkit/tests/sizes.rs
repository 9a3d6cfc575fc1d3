//! The course is the biggest room of the house: counted in code lines (not
//! blank, not comments, tests left out), `lessons/` holds more than any
//! other top folder, the tools (`crates/tools`, `crates/testkit`,
//! `scripts/`) stay under half of it and at most 3,000 lines in all, with
//! no file over 600 lines, and the sizes the top READMEs give are today's
//! (within 3 %).

use std::fs;
use std::path::{Path, PathBuf};

const FILE_AT_MOST: usize = 600;
/// The tools in all (issue 20's aim): a new tool pays for itself.
const TOOLS_AT_MOST: usize = 3000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files under `dir` that are not tests, documentation or pictures.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" && name != "target" {
                sources(&path, found);
            }
        } else if name != "tests.rs" && name != "Cargo.lock" {
            let ext =
                path.extension().map(|e| e.to_string_lossy().into_owned());
            if !matches!(ext.as_deref(), Some("md" | "svg" | "png" | "txt")) {
                found.push(path);
            }
        }
    }
}

/// A file's code lines: not blank, not a comment, and for Rust not inside
/// a `#[cfg(test)] mod ... { }` block.
fn code_lines(path: &Path) -> usize {
    let text = fs::read_to_string(path).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
    let slashes = matches!(ext.as_deref(), Some("rs" | "js" | "css" | "c"));
    let (mut count, mut in_block, mut test_depth, mut cfg_test) =
        (0, false, 0i64, false);
    for line in text.lines() {
        let s = line.trim();
        if test_depth > 0 {
            test_depth += line.matches('{').count() as i64
                - line.matches('}').count() as i64;
            continue;
        }
        if cfg_test && s.starts_with("mod ") && s.ends_with('{') {
            test_depth = 1;
            cfg_test = false;
            continue;
        }
        cfg_test = s == "#[cfg(test)]";
        let comment = if slashes {
            s.starts_with("//")
        } else {
            s.starts_with('#') || s.starts_with("<!--")
        };
        if in_block || slashes && s.starts_with("/*") {
            in_block = !s.contains("*/");
        } else if !s.is_empty() && !comment && !cfg_test {
            count += 1;
        }
    }
    count
}

fn count(dirs: &[&str]) -> usize {
    let mut files = Vec::new();
    for dir in dirs {
        sources(&root().join(dir), &mut files);
    }
    files.iter().map(|f| code_lines(f)).sum()
}

/// The number the README gives after `label` ("the tools 2,950").
fn said(text: &str, label: &str) -> usize {
    let at = text.find(label).unwrap_or_else(|| {
        panic!("the README's sizes say nothing after {label:?}")
    });
    let digits: String = text[at + label.len()..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number after {label:?}"))
}

#[test]
fn the_course_outweighs_its_tools_and_the_readmes_say_how_much() {
    let lessons = count(&["lessons"]);
    let crates = count(&["crates"]);
    let scripts = count(&["scripts"]);
    assert!(
        lessons > crates && lessons > scripts,
        "lessons/ {lessons}, crates/ {crates}, scripts/ {scripts} code lines"
    );

    let tools = count(&["crates/tools", "crates/testkit/src", "scripts"]);
    assert!(
        tools * 2 < lessons && tools <= TOOLS_AT_MOST,
        "the tools are {tools} code lines (at most {TOOLS_AT_MOST}), \
         lessons/ {lessons}"
    );
    let mut files = Vec::new();
    for dir in ["crates/tools", "crates/testkit/src", "scripts"] {
        sources(&root().join(dir), &mut files);
    }
    for file in files {
        let lines = fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .count();
        assert!(
            lines <= FILE_AT_MOST,
            "{} has {lines} lines",
            file.display()
        );
    }

    let counts = [
        ("`lessons/`", count(&["lessons"])),
        ("`crates/tftp`", count(&["crates/tftp"])),
        ("`crates/netcommon`", count(&["crates/netcommon"])),
        ("`crates/patience`", count(&["crates/patience"])),
        ("tools", tools),
        ("`crates/tools`", count(&["crates/tools"])),
        ("`crates/testkit`", count(&["crates/testkit/src"])),
        ("`scripts/`", scripts),
    ];
    let today: Vec<String> =
        counts.iter().map(|(l, n)| format!("{l} {n}")).collect();
    for (readme, words) in [
        ("README.md", ["Sizes today", "the tools"]),
        ("README.zh-CN.md", ["现在的规模", "工具一共"]),
    ] {
        let text = fs::read_to_string(root().join(readme)).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = &text[text.find(words[0]).expect("the sizes are given")..];
        for (label, n) in counts {
            let label = match label {
                "tools" => words[1],
                _ => label,
            };
            let given = said(text, label);
            assert!(
                given.abs_diff(n) * 100 <= 3 * n,
                "{readme} gives {label} {given}; today: {}",
                today.join(", ")
            );
        }
    }
}

#[test]
fn code_lines_leave_out_comments_blanks_and_tests() {
    let dir = tempfile::tempdir().unwrap();
    let rs = dir.path().join("a.rs");
    fs::write(&rs, "//! doc\nfn a() {}\n\n/* x\n y */\n#[cfg(test)]\nmod tests {\n    fn b() {\n    }\n}\nfn c() {}\n").unwrap();
    assert_eq!(code_lines(&rs), 2);
    let sh = dir.path().join("a");
    fs::write(&sh, "#!/bin/sh\n# comment\n\necho // not a comment\n").unwrap();
    assert_eq!(code_lines(&sh), 1);
}
