#!/usr/bin/env python3
# The course book's pages, and the book built from them.
#
# usage: course.py MDBOOK NAME:FROM...   (scripts/book runs it, with the
# lessons of lessons/lessons.tsv in course order, each with the lesson it
# grows from)
#
# For each language it writes the pages to target/book-src/LANG/src and
# builds them with mdBook into target/book/LANG, as Comprehensive Rust
# builds its translations (MDBOOK_BOOK__LANGUAGE). The chapters are the
# repository's READMEs, each at its README's place (lessons/05-tcp-client/
# README.md is the page lessons/05-tcp-client/index.md), so that their
# relative links already point where they should, except:
# - a link to a README goes to its page (index.md), in the reader's book: a
#   Chinese text that links ../05-tcp-client/README.md leads to 05's page of
#   the Chinese book. Only a link between a text and its own translation
#   (the first line, "English | 简体中文") crosses to the other book, and so
#   does a link to a .zh-CN.md file from English text;
# - a picture is copied beside the page; any other file of the repository
#   gets a page of its own under "Source files";
# - a link to nothing is an error: the book is not built with a broken link.
# And a line break between two Chinese characters is taken out (a browser
# shows it as a space). The book's own text is in the pieces of
# scripts/book.d/LANG, their $words filled in here.
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from string import Template

REPO = Path(__file__).resolve().parents[2]
CONF = REPO / "scripts/book.d"  # the book's own text, configuration and look
GEN = REPO / "target/book-src"
OUT = REPO / "target/book"
PICTURE = re.compile(r"\.(svg|png|jpe?g|gif|webp)$", re.I)
CJK = "\u3000-\u9fff\uff00-\uffef"
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LINK = re.compile(r"\]\(([^ )]*)")
NOT_PARAGRAPH = re.compile(r"^([#>|<]|[-*+][ \t]|[0-9]+[.)][ \t])")
# the teacher scripts (the executable files of scripts/): the course's own
# first, then the others
FIRST_SCRIPTS = ["lesson", "diff-lessons", "demo", "capture", "lab", "book"]


# What a script of the course prints (without its last line break, as
# mdBook's {{#include}} takes a file); the book is not built without it.
def output(*command):
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"book: {' '.join(command)} failed:\n{done.stderr}")
    return done.stdout.removesuffix("\n")


def fill(piece, **words):
    return Template((CONF / piece).read_text()).safe_substitute(words)


# Each line of Markdown, and whether it is text (not in a fenced code block).
def text_lines(lines):
    fence = None
    for line in lines:
        if fence:
            yield line, False
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
        else:
            opening = FENCE.match(line)
            fence = opening and opening.group(1)
            yield line, not fence


# The first "# " title of a Markdown file, as plain text.
def title(file):
    lines = (REPO / file).read_text().split("\n")
    line = next(line for line, text in text_lines(lines) if text and line.startswith("# "))
    return re.sub(r"[`*]", "", re.sub(r" *\{#[^}]*\} *$", "", line[2:].strip()))


# Whether a line of text goes on with the line before it, as Chinese text
# does across a line break.
def goes_on(before, line):
    return (re.search(f"[{CJK}]$", before) and not before.startswith("#")
            and re.match(f"[{CJK}]", line) and not NOT_PARAGRAPH.match(line))


class Book:
    def __init__(self, lang, lessons):
        self.lang = lang
        self.src = GEN / lang / "src"
        self.lessons = lessons
        # the pages that show a README (the others link no repository file)
        self.pages = {"index.md", "lessons/GLOSSARY.md"}
        self.pages |= {f"lessons/{name}/index.md" for name, _ in lessons}
        self.sources = set()  # the files the chapters link
        self.untranslated = []  # the English texts it shows for want of a twin

    # The file the book shows for an English text: in the Chinese book its
    # twin, while there is one.
    def shown(self, english):
        twin = english[: -len(".md")] + ".zh-CN.md"
        return twin if self.lang == "zh-CN" and (REPO / twin).is_file() else english

    # The page that shows a README, the glossary or their twins (None for
    # any other file), and the book whose language it is in.
    def page_of(self, target):
        page = re.sub(r"\.zh-CN\.md$", ".md", target)
        page = re.sub(r"(^|/)README\.md$", r"\1index.md", page)
        if page not in self.pages:
            return None, None
        return page, "zh-CN" if target.endswith(".zh-CN.md") else "en"

    # Where a link of a page leads in the book (original: the English text
    # the page translates, when it does). A broken link stops the book.
    def resolve(self, dest, page, original):
        if not dest or dest.startswith("#") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", dest):
            return dest
        folder = posixpath.dirname(page)
        path, start = dest.split("#")[0], folder or "."
        anchor = dest[len(path):]
        target = posixpath.normpath(posixpath.join(folder, path))
        if path.startswith("/") or target.startswith(".."):
            sys.exit(f"book: {page}: link {dest} leads out of the repository")
        shows, lang = self.page_of(target)
        if lang == "en" and target != original:
            lang = self.lang  # an English text is the reader's book's text
        if shows:
            # in this book, or in the other one (its HTML: mdBook maps this
            # book's pages only)
            shows = shows if lang == self.lang else f"../{lang}/{shows[:-3]}.html"
            return posixpath.relpath(shows, start) + anchor
        if not (REPO / target).is_file():
            sys.exit(f"book: {page}: link {dest}: no such file")
        if PICTURE.search(target):
            (self.src / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / target, self.src / target)
            return posixpath.relpath(target, start) + anchor
        self.sources.add(target)
        return posixpath.relpath(target + ".md", start) + anchor

    def write(self, page, text):
        (self.src / page).parent.mkdir(parents=True, exist_ok=True)
        (self.src / page).write_text(text)

    # A page that shows a README (its Chinese twin in the Chinese book, or
    # the English text with a note while there is none), with insert at
    # its third "## " heading (a lesson's: after "Run it" and "What you
    # should see", before the step table), else at its end; its links and
    # its Chinese line breaks mended.
    def readme(self, english, page, insert=""):
        shown = self.shown(english)
        lines = (REPO / shown).read_text().split("\n")
        headings = [i for i, (line, text) in enumerate(text_lines(lines))
                    if text and line.startswith("## ")]
        at = headings[2] if len(headings) > 2 else len(lines)
        # line by line, so that its code blocks are code (a `](` there is
        # not a link) and its text's links are mended like the README's
        lines[at:at] = insert.split("\n") + [""] if insert else []
        if self.lang == "zh-CN" and shown == english:
            self.untranslated.append(english)
            lines[:0] = (CONF / "zh-CN/fallback-note.md").read_text().split("\n")
        original = english if shown != english else None

        def link(match):
            return "](" + self.resolve(match.group(1), page, original)

        out = []
        for line, text in text_lines(lines):
            if text:
                # the links of the text, not of its code spans
                parts = re.split(r"(`+[^`]*`+)", line)
                line = "".join(p if p[:1] == "`" else LINK.sub(link, p) for p in parts)
                if out and goes_on(out[-1], line.lstrip(" \t")):
                    out[-1] += line.lstrip(" \t")
                    continue
            out.append(line)
        self.write(page, "\n".join(out))

    # The pages, with each lesson's teaching diff and each teacher script's
    # --help (in the order of the book), and the book built from them.
    def build(self, mdbook, diffs, helps):
        self.readme("README.md", "index.md")
        # Part 1 is the tutorial's programs (00-18), Part 2 the lessons that
        # grow from them against a hostile network (19 and up)
        parts = {True: [], False: []}
        for name, grows_from in self.lessons:
            main = (REPO / f"lessons/{name}/src/main.rs").read_text().removesuffix("\n")
            insert = fill(f"{self.lang}/program.md", name=name, main=main)
            if grows_from:
                insert += fill(f"{self.lang}/diff.md", grows_from=grows_from,
                               nn=name.split("-")[0], diff=diffs[name])
            self.readme(f"lessons/{name}/README.md", f"lessons/{name}/index.md", insert)
            chapter = title(self.shown(f"lessons/{name}/README.md"))
            parts[int(name[:2]) < 19].append(f"- [{chapter}](lessons/{name}/index.md)")
        self.readme("lessons/GLOSSARY.md", "lessons/GLOSSARY.md")

        # the teacher scripts: each one's --help (and in Chinese, its page)
        for name, help_text in helps.items():
            own = CONF / self.lang / "scripts" / f"{name}.md"  # only in Chinese
            page = (own if own.is_file() else CONF / "zh-CN/fallback-note.md").read_text()
            text = fill(f"{self.lang}/script.md", name=name, page=page, help=help_text)
            self.write(f"scripts/{name}.md", text)

        # the files the chapters link, each on a page of its own
        for path in self.sources:
            text = (REPO / path).read_text().rstrip()
            fence = "```" + "`" * max([len(f) - 2 for f in re.findall(r"`{3,}", text)] + [0])
            kind = "rust" if path.endswith(".rs") else "text"
            self.write(f"{path}.md", f"# `{path}`\n\n{fence}{kind}\n{text}\n{fence}\n")

        # the table of contents, each chapter named by its README's title;
        # the teacher scripts and the source files are parts of their own
        scripts = [f"- [scripts/{name}](scripts/{name}.md)" for name in helps]
        sources = [f"- [`{path}`]({path}.md)" for path in sorted(self.sources)]
        summary = fill(f"{self.lang}/SUMMARY.md", title=title(self.shown("README.md")),
                       part1="\n".join(parts[True]), part2="\n".join(parts[False]),
                       glossary=title(self.shown("lessons/GLOSSARY.md")),
                       scripts="\n".join(scripts), sources="\n".join(sources))
        self.write("SUMMARY.md", summary)
        env = dict(os.environ, MDBOOK_BOOK__LANGUAGE=self.lang, MDBOOK_BOOK__SRC=str(self.src),
                   MDBOOK_BOOK__TITLE=title(self.shown("README.md")),
                   MDBOOK_LOG=os.environ.get("MDBOOK_LOG", "warn"))
        if subprocess.run([mdbook, "build", CONF, "-d", OUT / self.lang], env=env).returncode:
            sys.exit(f"book: mdbook could not build the {self.lang} book")


def main():
    mdbook = sys.argv[1]
    lessons = [tuple(lesson.split(":")) for lesson in sys.argv[2:]]
    for name, _ in lessons:
        if not (REPO / f"lessons/{name}/README.md").is_file():
            sys.exit(f"book: lessons/{name}/README.md is missing")
    names = FIRST_SCRIPTS + sorted(set(os.listdir(REPO / "scripts")) - set(FIRST_SCRIPTS))
    helps = {name: output(f"scripts/{name}", "--help") for name in names
             if (REPO / "scripts" / name).is_file() and os.access(REPO / "scripts" / name, os.X_OK)}
    # each lesson's teaching diff, from its "---" line on (before it: the
    # two names and a note for the terminal)
    diffs = {name: "--- " + output("scripts/diff-lessons", before, name).partition("\n--- ")[2]
             for name, before in lessons if before}

    shutil.rmtree(GEN, ignore_errors=True)
    shutil.rmtree(OUT, ignore_errors=True)
    en, zh = Book("en", lessons), Book("zh-CN", lessons)
    for book in en, zh:
        book.build(mdbook, diffs, helps)
    index = fill("index.html", en=title("README.md"), zh=title(zh.shown("README.md")))
    (OUT / "index.html").write_text(index)
    if zh.untranslated:
        print(f"book: {len(zh.untranslated)} pages have no Chinese twin yet"
              f" ({zh.untranslated[0]} ...): the Chinese book shows their English"
              " text with a note", file=sys.stderr)


if __name__ == "__main__":
    main()
