//! The glossary (`lessons/GLOSSARY.md` and its Chinese twin) holds
//! together: both files carry the same table, every row links a lesson
//! that exists, and the Rust each row names is really in that lesson's
//! `main.rs`.

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
    let target = cell.split_once("](").map(|(_, t)| t.trim_end_matches(')'));
    let target = target.unwrap_or_else(|| panic!("no link in {cell:?}"));
    assert!(target.ends_with("/README.md"), "link to a README: {cell}");
    target.split('/').next().unwrap_or_default()
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
    assert_eq!(rows(&en), rows(&zh), "the two tables differ");
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
