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
            // Part 2 (19 and up): each step at most 40 changed code lines
            // (../shared/tools/lesson-size --caps), whatever the size
            name if name[..2] >= *"19" => usize::MAX,
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
        ".gitattributes",
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

/// A Chinese character: CJK punctuation, kana and ideographs (U+3000 to
/// U+9FFF) or a fullwidth form (U+FF00 to U+FFEF), the ranges the book's
/// own join step (`scripts/book.d/course.py`) uses.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// The line numbers (from 1) where a line of prose that ends on a Chinese
/// character is followed by one that goes on with the same paragraph on
/// a Chinese character: GitHub shows such a line break as a stray space.
/// Code blocks, tables, headings, hard breaks (two trailing spaces) and a
/// next line that starts a block of its own (a list item, a quote, HTML)
/// are left alone; in a quote, the `>` of the next line is skipped.
fn cjk_line_breaks(text: &str) -> Vec<usize> {
    let starts_block = |line: &str| {
        let mut chars = line.chars();
        let first = chars.next().unwrap_or(' ');
        let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
        matches!(first, '#' | '>' | '|' | '<')
            || line.starts_with("```")
            || line.starts_with("~~~")
            || (matches!(first, '-' | '*' | '+') && chars.next() == Some(' '))
            || (digits.len() < line.len()
                && (digits.starts_with(". ") || digits.starts_with(") ")))
    };
    let mut found = vec![];
    let mut fenced = false;
    let lines: Vec<&str> = text.lines().collect();
    for (i, pair) in lines.windows(2).enumerate() {
        let (line, next) = (pair[0], pair[1].trim_start());
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let prose = line.trim_start();
        if fenced || prose.starts_with('|') || prose.starts_with('#') {
            continue;
        }
        let quote = line.starts_with('>') && next.starts_with('>');
        let body = if quote {
            next[1..].trim_start()
        } else if starts_block(next) {
            continue;
        } else {
            next
        };
        let ends = line.chars().next_back().is_some_and(is_cjk);
        let goes_on = body.chars().next().is_some_and(is_cjk);
        if ends && goes_on {
            found.push(i + 1);
        }
    }
    found
}

/// Every `*.zh-CN.md` of the course (the build's `target/` left out).
fn chinese_texts(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() && !name.starts_with('.') && name != "target" {
            chinese_texts(&path, found);
        } else if name.ends_with(".zh-CN.md") {
            found.push(path);
        }
    }
}

/// Chinese prose has no line break between two Chinese characters: write
/// a paragraph's Chinese on one line (a break beside ASCII text is fine).
#[test]
fn chinese_prose_never_breaks_a_line_between_two_chinese_characters() {
    let mut texts = vec![];
    chinese_texts(&root(), &mut texts);
    assert!(texts.len() > 20, "{texts:?}");
    let mut bad = vec![];
    for path in texts {
        let text = fs::read_to_string(&path).unwrap();
        for line in cjk_line_breaks(&text) {
            let shown = path.strip_prefix(root()).unwrap_or(&path).display();
            bad.push(format!("{shown}:{line}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} line breaks between two Chinese characters (GitHub shows a \
         space there; join the lines):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn a_line_break_between_two_chinese_characters_is_found() {
    assert_eq!(cjk_line_breaks("这是第一行，\n  接着写。\n"), [1]);
    assert_eq!(cjk_line_breaks("> 引用的第一行\n> 第二行\n"), [1]);
    assert_eq!(cjk_line_breaks("- 一项\n  接着写\n"), [1]);
    // a break beside ASCII text, a new block, code, a table: all fine
    let fine = "中文 `code`\n中文\n\n中文\n`code` 中文\n\n标题前\n## 标题\n\n\
                列表前\n- 一项\n1. 第一\n\n```text\n代码\n代码\n```\n\n\
                | 表 |\n| 格 |\n\n硬换行  \n下一行\n";
    assert_eq!(cjk_line_breaks(fine), [] as [usize; 0]);
}

/// The commands a README gives a reader to type: each inline code span
/// of its prose, and each line of its ```` ```powershell ```` blocks.
fn commands_given(text: &str) -> Vec<String> {
    let (mut prose, mut given, mut fence) = (String::new(), vec![], None);
    for line in text.lines() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            fence = match fence {
                None => Some(info.trim().to_string()),
                Some(_) => None,
            };
        } else if fence.as_deref() == Some("powershell") {
            given.push(line.trim().to_string());
        } else if fence.is_none() {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let spans = prose.split('`').skip(1).step_by(2);
    given.extend(
        spans.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")),
    );
    given
}

/// cmd.exe's syntax, which the Windows shell the READMEs give (PowerShell,
/// what Windows Terminal opens) runs as something else or refuses: `del a
/// b`, `rmdir /s` and `for /l` fail there, and `set X=1` sets no
/// environment variable. PowerShell's own: `Remove-Item a, b`, `Get-Content`,
/// `Copy-Item`, `$env:X = "1"`.
fn cmd_only(command: &str) -> bool {
    let lower = command.to_lowercase();
    let lower = lower.trim_start_matches(['(', '@']);
    let mut words = lower.split_whitespace();
    let (first, second) = (words.next().unwrap_or(""), words.next());
    let switch = second.is_some_and(|w| w.starts_with('/'));
    match first {
        "del" | "erase" => true,
        "type" | "copy" => second.is_some(), // alone: an English word
        "rmdir" | "rd" | "dir" | "for" => switch,
        "set" => second.is_some_and(|w| w.contains('=')),
        _ => false,
    }
}

/// Issue 19: a Windows reader is given PowerShell's commands, never
/// cmd.exe's.
#[test]
fn no_readme_gives_a_cmd_only_command() {
    let mut bad = vec![];
    for readme in readmes() {
        let twin = readme.with_file_name("README.zh-CN.md");
        for path in [readme, twin] {
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let shown = path.strip_prefix(root()).unwrap_or(&path).display();
            for command in commands_given(&text) {
                if cmd_only(&command) {
                    bad.push(format!("{shown}: `{command}`"));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "cmd.exe commands where PowerShell's are meant:\n{}",
        bad.join("\n")
    );
}

#[test]
fn a_cmd_only_command_is_found() {
    let text = "on Windows `del a b`, `rmdir /s\nout`, `set X=1` or\n\
                ```powershell\ntype notes.txt\n```\n\
                ```sh\ndel a\n```\n`Remove-Item a, b`, `dir`, `type`s, `del`\n\
                `(for /l %i in (1,1,8) do @echo %i)`, `for i in 1 2`\n";
    let found: Vec<String> = commands_given(text)
        .into_iter()
        .filter(|c| cmd_only(c))
        .collect();
    assert_eq!(
        found,
        [
            "type notes.txt",
            "del a b",
            "rmdir /s out",
            "set X=1",
            "del",
            "(for /l %i in (1,1,8) do @echo %i)"
        ]
    );
}
