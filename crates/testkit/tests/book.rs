//! The course as a book (`scripts/book`): built once with mdBook, then read
//! in headless Chromium as a student reads it. Every lesson chapter, in
//! English and in Chinese, shows its README, its whole `main.rs`, its diff
//! against the lesson it grows from and its picture of packets (in the
//! chapter's language); every link of every page leads somewhere; search
//! finds a Chinese word; Chinese is drawn as glyphs, not boxes. Without
//! mdbook or chromium the tests print SKIPPED and pass (CI installs both
//! and sets REQUIRE_PEERS=1).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use testkit::{missing, run, skip, temp_dir, TempDir};

fn root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    dir.canonicalize().unwrap()
}

/// The lessons in course order, with the lesson each grows from.
fn lessons() -> Vec<(String, Option<String>)> {
    let tsv = fs::read_to_string(root().join("lessons/lessons.tsv")).unwrap();
    tsv.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut fields = l.split('\t');
            let name = fields.next().unwrap().to_string();
            let from = fields.next().filter(|f| *f != "-");
            (name, from.map(str::to_string))
        })
        .collect()
}

const LANGS: [&str; 2] = ["en", "zh-CN"];

/// The Markdown a page of a book is made from: in the Chinese book the
/// `.zh-CN.md` twin, or the English file while the twin is not written.
fn text_of(lang: &str, readme: &Path) -> String {
    let twin = readme.with_extension("zh-CN.md");
    let file = if lang == "zh-CN" && twin.exists() {
        twin
    } else {
        readme.to_path_buf()
    };
    fs::read_to_string(&file).unwrap()
}

/// The first `# ` title of a Markdown text, as the page shows it.
fn title_of(markdown: &str) -> String {
    let line = markdown.lines().find(|l| l.starts_with("# ")).unwrap();
    line[2..].replace(['`', '*'], "").trim().to_string()
}

/// The letters and digits of a text: a heading as written and as shown,
/// whatever mdBook made of its quotes and dashes (' becomes ’).
fn words(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The book, built once for all the tests of this file: once by this
/// process (`cargo test`), or once for the whole run when cargo-nextest
/// runs each test in a process of its own (the first builds it, under a
/// lock, and the others of the same run find it built).
fn book() -> &'static Path {
    static BOOK: OnceLock<PathBuf> = OnceLock::new();
    BOOK.get_or_init(|| {
        let target = root().join("target");
        fs::create_dir_all(&target).unwrap();
        let lock = fs::File::create(target.join("book.lock")).unwrap();
        lock.lock().unwrap(); // until this function returns
        let run = std::env::var("NEXTEST_RUN_ID").ok();
        let stamp = target.join("book.run");
        if run.is_none() || fs::read_to_string(&stamp).ok() != run {
            let out = Command::new(root().join("scripts/book")).output();
            let out = out.unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "scripts/book failed:\n{text}");
            assert!(text.contains("book: "), "{text}");
            fs::write(&stamp, run.unwrap_or_default()).unwrap();
        }
        target.join("book")
    })
}

/// True (after a SKIPPED line) without what builds the book: mdBook,
/// and python3 for its pages (scripts/book.d/course.py).
fn no_book_builder() -> bool {
    missing("mdbook") || missing("python3")
}

fn no_book_tools() -> bool {
    no_book_builder() || missing("chromium")
}

/// Headless Chromium with a profile of its own, and these arguments.
fn chromium(profile: &TempDir, args: &[&str]) -> Command {
    let mut command = Command::new("chromium");
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args);
    command
}

/// The DOM of a page after its scripts ran.
fn dump_dom(args: &[&str], url: &str) -> String {
    let profile = temp_dir();
    let mut all = vec!["--dump-dom"];
    all.extend_from_slice(args);
    all.push(url);
    let (status, dom, stderr) = run(chromium(&profile, &all), b"");
    assert!(status.success(), "chromium failed on {url}: {stderr}");
    dom
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `%E4%B8%89` -> 三 (how the harness and the pages encode text in URLs)
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| {
            u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
        });
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the harness page saw in one chapter, key by key.
type Seen = BTreeMap<String, Vec<String>>;

/// Opens the lesson chapters of a book as frames of one page, a dozen at
/// a time (one Chromium run each: the whole course at once outgrew the
/// test's deadline on a loaded machine), and reports what each shows.
fn read_chapters(book: &Path, lang: &str) -> HashMap<String, Seen> {
    let names: Vec<String> = lessons().into_iter().map(|(n, _)| n).collect();
    let mut seen: HashMap<String, Seen> = HashMap::new();
    for chunk in names.chunks(12) {
        seen.extend(read_some_chapters(book, lang, chunk));
    }
    seen
}

/// What each of these chapters shows, from one Chromium run.
fn read_some_chapters(
    book: &Path,
    lang: &str,
    names: &[String],
) -> HashMap<String, Seen> {
    let dir = temp_dir();
    let mut frames = String::new();
    for name in names {
        let page = book.join(lang).join("lessons").join(name);
        frames += &format!(
            "<iframe data-page=\"{lang}/{name}\" src=\"{}\" \
             width=\"1280\" height=\"900\"></iframe>\n",
            url(&page.join("index.html"))
        );
    }
    let harness = dir.path().join("harness.html");
    fs::write(&harness, HARNESS.replace("FRAMES", &frames)).unwrap();
    let dom = dump_dom(&["--allow-file-access-from-files"], &url(&harness));
    let report = dom
        .split("<pre id=\"report\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_else(|| panic!("no report in the harness page: {dom}"));
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut page = String::new();
    for line in report.lines() {
        let (key, value) = line.split_once('\t').unwrap_or((line, ""));
        let value = percent_decode(value);
        if key == "page" {
            page = value;
            continue;
        }
        let chapter = seen.entry(page.clone()).or_default();
        chapter.entry(key.to_string()).or_default().push(value);
    }
    seen
}

const HARNESS: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
FRAMES
<pre id="report"></pre>
<script>
// the code block that follows the heading with this id
function block(doc, id) {
    let node = doc.getElementById(id);
    while (node && (node = node.nextElementSibling)) {
        if (node.tagName === 'PRE') return node.querySelector('code');
        if (/^H[1-3]$/.test(node.tagName)) return null;
    }
    return null;
}
window.addEventListener('load', function () {
    const out = [];
    const put = (key, value) => out.push(key + '\t' + encodeURIComponent(value));
    for (const frame of document.querySelectorAll('iframe')) {
        put('page', frame.dataset.page);
        try {
            const doc = frame.contentDocument;
            const main = doc.querySelector('main');
            put('title', main.querySelector('h1').textContent);
            for (const h of main.querySelectorAll('h2')) put('h2', h.textContent);
            const program = block(doc, 'main-rs');
            if (program) {
                put('program', program.textContent);
                put('program-class', program.className);
            }
            const diff = block(doc, 'diff');
            if (diff) {
                put('diff', diff.textContent);
                put('diff-class', diff.className);
                put('diff-marked', diff.querySelectorAll(
                    '.hljs-addition, .hljs-deletion').length);
            }
            for (const img of main.querySelectorAll('img')) {
                const shown = img.complete && img.naturalWidth > 0;
                put('img', img.getAttribute('src') + (shown ? ' shown' : ' broken'));
            }
            const other = doc.querySelector('a.lang-switch');
            if (other) {
                const where = other.closest('#mdbook-menu-bar') ? 'menu' : 'elsewhere';
                put('switch', other.href + ' ' + where);
            }
            put('note', doc.querySelector('.fallback-note') ? 'yes' : 'no');
        } catch (error) {
            put('error', String(error));
        }
    }
    document.getElementById('report').textContent = out.join('\n');
});
</script>
</body></html>
"#;

#[test]
fn every_lesson_chapter_shows_its_readme_code_diff_and_picture() {
    if no_book_tools() {
        return;
    }
    let book = book();
    let mut seen = read_chapters(book, "en");
    seen.extend(read_chapters(book, "zh-CN"));
    let root = root();
    for (name, from) in lessons() {
        let dir = root.join("lessons").join(&name);
        let code = fs::read_to_string(dir.join("src/main.rs")).unwrap();
        for lang in LANGS {
            let page = format!("{lang}/{name}");
            let chapter = seen.get(&page).unwrap_or_else(|| panic!("{page}"));
            let one = |key: &str| -> &str {
                match chapter.get(key).map(Vec::as_slice) {
                    Some([value]) => value,
                    other => panic!("{page}: {key}: {other:?}; {chapter:?}"),
                }
            };
            let all = |key: &str| chapter.get(key).cloned().unwrap_or_default();
            assert!(!chapter.contains_key("error"), "{page}: {chapter:?}");

            // the README: its title and every one of its sections
            let readme = dir.join("README.md");
            let text = text_of(lang, &readme);
            assert_eq!(words(one("title")), words(&title_of(&text)), "{page}");
            let shown: Vec<String> =
                all("h2").iter().map(|h| words(h)).collect();
            for heading in text.lines().filter_map(|l| l.strip_prefix("## ")) {
                assert!(shown.contains(&words(heading)), "{page}: {heading}");
            }
            let twin = readme.with_extension("zh-CN.md").exists();
            let note = lang == "zh-CN" && !twin;
            assert_eq!(one("note"), if note { "yes" } else { "no" }, "{page}");

            // main.rs, whole, highlighted as Rust
            assert_eq!(one("program").trim_end(), code.trim_end(), "{page}");
            assert!(one("program-class").contains("language-rust"), "{page}");
            assert!(one("program-class").contains("hljs"), "{page}");

            // the teaching diff: code only, highlighted, the very lines
            // scripts/diff-lessons shows a teacher in the terminal
            match &from {
                Some(from) => {
                    let diff = one("diff");
                    // (the page drops the space of an empty context line)
                    let lines = |text: &str| -> Vec<String> {
                        text.trim_end()
                            .lines()
                            .map(|l| l.trim_end().to_string())
                            .collect()
                    };
                    let shown = diff_lessons(from, &name);
                    assert_eq!(lines(diff), lines(&shown), "{page}");
                    let new = format!("+++ lessons/{name}/src/main.rs");
                    let old = format!("--- lessons/{from}/src/main.rs");
                    assert!(
                        diff.contains(&new) && diff.contains(&old),
                        "{diff}"
                    );
                    let added: Vec<&str> = diff
                        .lines()
                        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
                        .collect();
                    assert!(!added.is_empty(), "{page}: {diff}");
                    for line in &added {
                        assert!(code.contains(&line[1..]), "{page}: {line}");
                    }
                    for line in diff.lines() {
                        let file =
                            line.starts_with("+++") || line.starts_with("---");
                        let Some(body) = line.strip_prefix(['+', '-']) else {
                            continue;
                        };
                        let header = body.starts_with("//!")
                            || body.starts_with("const USAGE");
                        assert!(file || !header, "{page}: {line}");
                    }
                    assert!(
                        one("diff-class").contains("language-diff"),
                        "{page}"
                    );
                    let marked: usize = one("diff-marked").parse().unwrap();
                    assert!(marked >= added.len(), "{page}: not highlighted");
                }
                None => assert!(!chapter.contains_key("diff"), "{page}"),
            }

            // the picture of its packets, where the lesson has one, in the
            // chapter's language: the Chinese text shows the Chinese one
            let images = all("img");
            if dir.join("packets.svg").exists() {
                let (mine, other) = match (lang, twin) {
                    ("zh-CN", true) => ("packets.zh-CN.svg", "packets.svg"),
                    _ => ("packets.svg", "packets.zh-CN.svg"),
                };
                assert!(dir.join(mine).exists(), "{page}: no {mine}");
                let shown = |name: &str| {
                    images.iter().any(|i| *i == format!("{name} shown"))
                };
                assert!(shown(mine), "{page}: no {mine} shown: {images:?}");
                assert!(!shown(other), "{page}: {other} shown: {images:?}");
            }
            for image in &images {
                assert!(image.ends_with(" shown"), "{page}: {image}");
            }

            // the language switch: in the menu bar, to this very chapter
            let other = if lang == "en" { "zh-CN" } else { "en" };
            let target =
                book.join(other).join(format!("lessons/{name}/index.html"));
            let expected = format!("{} menu", url(&target));
            assert_eq!(one("switch"), expected, "{page}");
            assert!(target.exists(), "{}", target.display());
        }
    }
}

/// What `scripts/diff-lessons FROM NAME` prints, from its `---` line on
/// (before it: the two names and a note for the terminal).
fn diff_lessons(from: &str, name: &str) -> String {
    static SHOWN: OnceLock<std::sync::Mutex<HashMap<String, String>>> =
        OnceLock::new();
    let mut shown = SHOWN.get_or_init(Default::default).lock().unwrap();
    let key = format!("{from} {name}");
    let text = shown.entry(key).or_insert_with(|| {
        let script = root().join("scripts/diff-lessons");
        let command = testkit::cmd(script.to_str().unwrap(), &[from, name]);
        let (status, out, error) = run(command, b"");
        assert!(status.success(), "diff-lessons {from} {name}: {error}");
        let at = out.find("\n--- ").map_or(0, |at| at + 1);
        out[at..].to_string()
    });
    text.clone()
}

/// Every `href` and `src` of a page, as written.
fn links(html: &str) -> Vec<String> {
    let mut found = vec![];
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            let value = &rest[at + attr.len()..];
            let end = value.find('"').unwrap_or(value.len());
            let before = rest[..at].chars().last();
            if before.is_none_or(|c| c.is_whitespace()) {
                found.push(value[..end].replace("&amp;", "&"));
            }
            rest = &value[end..];
        }
    }
    found
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
}

#[test]
fn every_link_of_the_book_leads_somewhere() {
    if no_book_builder() {
        return;
    }
    let book = book();
    let mut pages = vec![];
    html_files(book, &mut pages);
    // 404.html is for a web server: its links start from the site's root
    pages.retain(|p| !p.ends_with("404.html"));
    assert!(pages.len() > 2 * lessons().len(), "{pages:?}");
    let mut ids: HashMap<PathBuf, String> = HashMap::new();
    let mut broken = vec![];
    let mut checked = 0;
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        for link in links(&html) {
            let scheme = link.split_once(':').is_some_and(|(s, _)| {
                !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())
            });
            if scheme || link.is_empty() {
                continue;
            }
            let link = link.split('?').next().unwrap();
            let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
            let mut target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(percent_decode(path))
            };
            if target.is_dir() {
                target = target.join("index.html");
            }
            checked += 1;
            if !target.exists() {
                broken.push(format!("{}: {link}", page.display()));
                continue;
            }
            let html_target = target.extension().is_some_and(|e| e == "html");
            if anchor.is_empty() || !html_target {
                continue;
            }
            let text = ids
                .entry(target.clone())
                .or_insert_with(|| fs::read_to_string(&target).unwrap());
            let id = format!("id=\"{}\"", percent_decode(anchor));
            if !text.contains(&id) {
                broken.push(format!("{}: {link} (no {id})", page.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(checked > 1000, "only {checked} links checked");

    // the print page is the whole course: every lesson, in order
    for lang in LANGS {
        let print =
            fs::read_to_string(book.join(lang).join("print.html")).unwrap();
        let mut at = 0;
        for (name, _) in lessons() {
            let dir = root().join("lessons").join(&name);
            // each chapter's title, in the order of the course
            let title = title_of(&text_of(lang, &dir.join("README.md")));
            let found = print[at..].split("<h1 id=").skip(1).position(|h1| {
                let shown = h1.split("</h1>").next().unwrap_or("");
                words(&strip_tags(shown)).ends_with(&words(&title))
            });
            let found = found.unwrap_or_else(|| panic!("{lang}: {title}"));
            let skip = print[at..].match_indices("<h1 id=").nth(found);
            at += skip.unwrap().0 + 1;
        }
    }
}

/// The text of some HTML, without its tags.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The chapters a search of the book lists, by their page paths.
fn search(book: &Path, lang: &str, term: &str) -> Vec<String> {
    let index = book.join(lang).join("index.html");
    let query = format!("{}?search={}", url(&index), term);
    let dom = dump_dom(&["--virtual-time-budget=5000"], &query);
    let results = dom
        .split("id=\"mdbook-searchresults\"")
        .nth(1)
        .and_then(|r| r.split("</ul>").next())
        .unwrap_or_else(|| panic!("no search results in the page: {dom}"));
    links(results)
        .into_iter()
        .map(|l| l.split(['?', '#']).next().unwrap().to_string())
        .collect()
}

#[test]
fn search_finds_chinese_words_in_the_chinese_book() {
    if no_book_tools() {
        return;
    }
    let book = book();
    // 文件传输 (file transfer) stands inside 简单文件传输协议, TFTP's
    // Chinese name: no space around it, which mdBook alone cannot find
    let tftp = root().join("lessons/14-tftp-client/README.md");
    let term = "文件传输";
    assert!(
        text_of("zh-CN", &tftp).contains(term),
        "14-tftp-client's README no longer says {term}: pick another word"
    );
    let found = search(book, "zh-CN", term);
    let chapter = "lessons/14-tftp-client/index.html".to_string();
    assert!(found.contains(&chapter), "{term}: {found:?}");
    // and English still works as mdBook made it
    let found = search(book, "en", "broadcast");
    let chapter = "lessons/12-udp-broadcast/index.html".to_string();
    assert!(found.contains(&chapter), "broadcast: {found:?}");
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let number = |at: usize| {
        u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]])
    };
    (number(16), number(20))
}

fn screenshot(page: &str, file: &Path, size: &str, env: &[(&str, &Path)]) {
    let profile = temp_dir();
    let shot = format!("--screenshot={}", file.display());
    let size = format!("--window-size={size}");
    let mut command = chromium(&profile, &[&shot, &size, page]);
    for (key, value) in env {
        command.env(key, value);
    }
    let (status, _, stderr) = run(command, b"");
    assert!(
        status.success() && file.exists(),
        "screenshot {page}: {stderr}"
    );
}

/// Two words as pictures: when Chinese is drawn as empty boxes, both are
/// the same four boxes.
fn two_words_differ(dir: &Path, fontconfig: &[(&str, &Path)]) -> bool {
    let mut pictures = vec![];
    for word in ["三次握手", "四次挥手"] {
        let page = dir.join(format!("{word}.html"));
        let html = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">\
             <body style=\"font: 64px sans-serif\">{word}</body></html>"
        );
        fs::write(&page, html).unwrap();
        let file = dir.join(format!("{word}.png"));
        screenshot(&url(&page), &file, "400,120", fontconfig);
        pictures.push(fs::read(&file).unwrap());
    }
    pictures[0] != pictures[1]
}

#[test]
fn screenshots_show_chinese_as_glyphs() {
    if no_book_tools() || missing("fc-list") {
        return;
    }
    let cjk = Command::new("fc-list")
        .args([":lang=zh", "family"])
        .output();
    let cjk = String::from_utf8_lossy(&cjk.unwrap().stdout).into_owned();
    if cjk.trim().is_empty()
        && skip("no Chinese font (.ci/run installs fonts-noto-cjk)")
    {
        return;
    }
    let book = book();
    let shots = root().join("target/book-screenshots");
    fs::create_dir_all(&shots).unwrap();
    for name in ["05-tcp-client", "14-tftp-client"] {
        let page = book.join(format!("zh-CN/lessons/{name}/index.html"));
        let file = shots.join(format!("zh-CN-{name}.png"));
        let _ = fs::remove_file(&file);
        screenshot(&url(&page), &file, "1280,900", &[]);
        let png = fs::read(&file).unwrap();
        assert_eq!(png_size(&png), (1280, 900), "{}", file.display());
        // a blank page is about 5 KB; a page of text, code and colour
        // is well over 50 KB
        assert!(
            png.len() > 50_000,
            "{}: {} bytes",
            file.display(),
            png.len()
        );
    }

    // Glyphs, not boxes: two different words make two different pictures,
    // and they do not without a Chinese font (the check can tell).
    let dir = temp_dir();
    assert!(
        two_words_differ(dir.path(), &[]),
        "Chinese is drawn as boxes"
    );
    let fonts = dir.path().join("no-cjk-fonts.conf");
    fs::write(
        &fonts,
        "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\
         <fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>\
         <cachedir>CACHE</cachedir></fontconfig>"
            .replace("CACHE", &dir.path().join("cache").display().to_string()),
    )
    .unwrap();
    let without = dir.path().join("without");
    fs::create_dir_all(&without).unwrap();
    let control = [("FONTCONFIG_FILE", fonts.as_path())];
    assert!(
        !two_words_differ(&without, &control),
        "the boxes check cannot tell glyphs from boxes any more"
    );
}

#[test]
fn every_readme_has_its_chinese_twin_once_the_twins_exist() {
    let root = root();
    let mut readmes = vec![root.join("README.md")];
    for (name, _) in lessons() {
        readmes.push(root.join("lessons").join(name).join("README.md"));
    }
    for glossary in ["GLOSSARY.md", "lessons/GLOSSARY.md"] {
        if root.join(glossary).exists() {
            readmes.push(root.join(glossary));
        }
    }
    let (twinned, alone): (Vec<_>, Vec<_>) = readmes
        .iter()
        .partition(|r| r.with_extension("zh-CN.md").exists());
    if twinned.is_empty() {
        // the Chinese book shows the English text, with a note, until the
        // first twin is written; from then on every README needs one
        eprintln!("note: no README.zh-CN.md yet: the Chinese book is English");
        return;
    }
    let alone: Vec<String> = alone
        .iter()
        .map(|r| r.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    if !alone.is_empty() {
        skip(&format!("no Chinese twin for {}", alone.join(", ")));
    }
}

#[test]
fn book_explains_itself() {
    let script = root().join("scripts/book");
    let (status, help, _) =
        run(testkit::cmd(script.to_str().unwrap(), &["--help"]), b"");
    assert!(
        status.success() && help.contains("usage: scripts/book"),
        "{help}"
    );
    let (status, _, error) =
        run(testkit::cmd(script.to_str().unwrap(), &["--pdf"]), b"");
    assert_eq!(status.code(), Some(2), "{error}");
    assert!(error.contains("unknown argument: --pdf"), "{error}");
}

/// The book's table of contents has the course's two parts, in both
/// languages: Part 1 the tutorial's lessons (00-18), Part 2 those that
/// grow from them against a hostile network (19 and up), each lesson
/// under its part.
#[test]
fn the_book_has_the_two_parts() {
    if no_book_tools() {
        return;
    }
    book();
    let names: Vec<String> = lessons().into_iter().map(|(n, _)| n).collect();
    let part2_starts = names.iter().position(|n| n.as_str() >= "19");
    for (lang, part1, part2) in [
        ("en", "# Part 1: the tutorial", "# Part 2: when the network"),
        ("zh-CN", "# 第一部分：教程", "# 第二部分："),
    ] {
        let summary =
            root().join(format!("target/book-src/{lang}/src/SUMMARY.md"));
        let summary = fs::read_to_string(summary).unwrap();
        let at = |needle: &str| summary.find(needle);
        let first = at(part1).unwrap_or_else(|| panic!("{lang}: no Part 1"));
        let link = |name: &str| format!("](lessons/{name}/index.md)");
        let second = at(part2);
        for (i, name) in names.iter().enumerate() {
            let place =
                at(&link(name)).unwrap_or_else(|| panic!("{lang}: {name}"));
            match part2_starts {
                Some(start) if i >= start => {
                    let second = second.expect("a Part 2 heading");
                    assert!(place > second, "{lang}: {name} not in Part 2");
                }
                _ => {
                    assert!(place > first, "{lang}: {name} before Part 1");
                    assert!(second.is_none_or(|s| place < s), "{lang}: {name}");
                }
            }
        }
        assert_eq!(second.is_some(), part2_starts.is_some(), "{lang}");
    }
}

/// Each teacher script has a page in both books: its `--help`, and in the
/// Chinese book a Chinese page before it (scripts/book.d/zh-CN/scripts).
#[test]
fn every_teacher_script_has_a_page_in_each_language() {
    if no_book_builder() {
        return;
    }
    let book = book();
    let mut names = vec![];
    for entry in fs::read_dir(root().join("scripts")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && !name.ends_with(".sh") {
            names.push(name);
        }
    }
    assert!(names.len() >= 8, "{names:?}");
    let cjk = |text: &str| {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    };
    for name in &names {
        let script = root().join("scripts").join(name);
        let command = testkit::cmd(script.to_str().unwrap(), &["--help"]);
        let (status, help, error) = run(command, b"");
        assert!(status.success(), "scripts/{name} --help: {error}");
        let first = help.lines().next().unwrap();
        for lang in LANGS {
            let page = book.join(lang).join(format!("scripts/{name}.html"));
            let html = fs::read_to_string(&page)
                .unwrap_or_else(|_| panic!("{}", page.display()));
            let main = html.split("<main>").nth(1).unwrap();
            let main = main.split("</main>").next().unwrap();
            let text = strip_tags(main).replace("&#x27;", "'");
            // the whole --help, as the script prints it
            assert!(text.contains(first.trim()), "{lang} {name}: {text}");
            let (before, _) = text.split_once(first.trim()).unwrap();
            assert_eq!(cjk(before), lang == "zh-CN", "{lang} {name}: {before}");
        }
    }
}
