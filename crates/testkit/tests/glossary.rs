//! The glossary (`lessons/GLOSSARY.md` and its Chinese twin) holds
//! together: both files carry the same table (the Chinese one linking
//! each lesson's Chinese README), every row links a lesson that exists,
//! and the Rust each row names is really in that lesson's `main.rs`.

use std::fs;
use std::path::{Path, PathBuf};

fn lessons() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

/// The table's rows (header and separator left out), each split into
/// its cells.
fn table(text: &str) -> Vec<Vec<String>> {
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert!(rows.len() > 2, "no table");
    let cells = |row: &str| {
        let row = row.trim().trim_start_matches('|').trim_end_matches('|');
        row.split('|').map(|c| c.trim().to_string()).collect()
    };
    rows[2..].iter().map(|row| cells(row)).collect()
}

/// The `code` spans of a cell.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The folder a row's lesson link points to: `[05](05-tcp-client/README.md)`
/// gives `05-tcp-client`.
fn linked_lesson(cell: &str) -> &str {
    let target = link_target(cell);
    assert!(target.ends_with("/README.md"), "link to a README: {cell}");
    target.split('/').next().unwrap_or_default()
}

/// Where the link of a cell points: `05-tcp-client/README.md`.
fn link_target(cell: &str) -> &str {
    let target = cell.split_once("](").map(|(_, t)| t.trim_end_matches(')'));
    target.unwrap_or_else(|| panic!("no link in {cell:?}"))
}

/// `main` uses the API `code` names: as written, or, for `Type::method`,
/// as a method call (`tcp_server_socket.accept()` for
/// `TcpListener::accept`).
fn uses(main: &str, code: &str) -> bool {
    if main.contains(code) {
        return true;
    }
    match code.rsplit_once("::") {
        Some((_, method)) => main.contains(&format!(".{method}(")),
        None => false,
    }
}

#[test]
fn both_glossaries_have_the_same_table() {
    let en = fs::read_to_string(lessons().join("GLOSSARY.md")).unwrap();
    let zh = fs::read_to_string(lessons().join("GLOSSARY.zh-CN.md")).unwrap();
    assert_eq!(
        en.lines().next(),
        Some("English | [简体中文](GLOSSARY.zh-CN.md)")
    );
    assert_eq!(zh.lines().next(), Some("[English](GLOSSARY.md) | 简体中文"));
    let rows = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with('|'))
            .map(String::from)
            .collect()
    };
    let (en, zh) = (rows(&en), rows(&zh));
    assert!(zh.len() > 2, "no table");
    let mut zh_as_en = zh[..2].to_vec();
    for row in &zh[2..] {
        let row = as_english(row).unwrap_or_else(|e| panic!("{e}"));
        zh_as_en.push(row);
    }
    assert_eq!(en, zh_as_en, "the two tables differ");
    for row in table(&zh.join("\n")) {
        let target = link_target(&row[3]);
        let readme = lessons().join(target);
        assert!(readme.exists(), "{}: no {target}", row[0]);
    }
}

/// A row of the Chinese table as the English table has it: the Chinese
/// row links the lesson's Chinese README (`05-tcp-client/README.zh-CN.md`)
/// where the English one links `05-tcp-client/README.md`, and the rest is
/// the same. An error when the Chinese row links anything else.
fn as_english(zh_row: &str) -> Result<String, String> {
    let (before, link) = zh_row
        .rsplit_once("](")
        .ok_or_else(|| format!("no lesson link: {zh_row}"))?;
    let (target, after) = link
        .split_once(')')
        .ok_or_else(|| format!("a link never closed: {zh_row}"))?;
    let folder = target.strip_suffix("/README.zh-CN.md").ok_or_else(|| {
        format!("link the lesson's README.zh-CN.md here: {zh_row}")
    })?;
    Ok(format!("{before}]({folder}/README.md){after}"))
}

#[test]
fn every_row_names_a_lesson_and_rust_it_really_uses() {
    let text = fs::read_to_string(lessons().join("GLOSSARY.md")).unwrap();
    let rows = table(&text);
    assert!(rows.len() >= 30, "{} rows", rows.len());
    for row in rows {
        assert_eq!(row.len(), 4, "four columns: {row:?}");
        let lesson = linked_lesson(&row[3]);
        let dir = lessons().join(lesson);
        assert!(dir.join("README.md").exists(), "{lesson}: no such lesson");
        let main = fs::read_to_string(dir.join("src/main.rs")).unwrap();
        let rust = &row[2];
        let spans = code_spans(rust);
        assert!(
            rust == "—" || !spans.is_empty(),
            "{}: the Rust column is `code` or —, not {rust:?}",
            row[0]
        );
        for code in spans {
            assert!(
                uses(&main, code),
                "{}: `{code}` is not in {lesson}/src/main.rs",
                row[0]
            );
        }
    }
}

#[test]
fn a_method_call_counts_for_type_and_method() {
    let main = "let (s, a) = tcp_server_socket.accept()?;";
    assert!(uses(main, "TcpListener::accept"));
    assert!(!uses(main, "TcpListener::bind"));
    assert!(!uses(main, "set_broadcast"));
    assert_eq!(code_spans("`a`, `b::c` (x)"), ["a", "b::c"]);
    assert_eq!(
        linked_lesson("[12](12-udp-broadcast/README.md)"),
        "12-udp-broadcast"
    );
}

#[test]
fn a_chinese_row_links_the_chinese_readme() {
    let zh = "| 广播 | broadcast | `set_broadcast` | \
              [12](12-udp-broadcast/README.zh-CN.md) |";
    let en = "| 广播 | broadcast | `set_broadcast` | \
              [12](12-udp-broadcast/README.md) |";
    assert_eq!(as_english(zh).as_deref(), Ok(en));
    // the Chinese glossary sending a reader to the English README fails
    assert!(as_english(en).is_err());
    assert!(as_english("| 广播 | broadcast | — | 12 |").is_err());
}
