#!/usr/bin/env python3
"""The course book's mdBook preprocessor: what mdBook's includes cannot do.

The chapters are the repository's READMEs, pulled in with {{#include}} at
the place of their README (lessons/05-tcp-client/README.md is the page
lessons/05-tcp-client/index.md), so their relative links already point
where they should, except:
- a link to a README goes to its page (index.md), in the reader's book: a
  Chinese text that links ../05-tcp-client/README.md leads to 05's page of
  the Chinese book. Only a link between a text and its own translation
  (the first line, "English | 简体中文") crosses to the other book, and so
  does a link to a .zh-CN.md file from English text;
- a link to a lesson's src/main.rs goes to the chapter's "The program";
- a picture is copied beside the page; any other file of the repository
  gets a page of its own under "Source files";
- a link to nothing is an error: the book is not built with a broken link.
And a line break between two Chinese characters is taken out (a browser
shows it as a space). Runs after mdBook's "links" (the includes).
"""
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PICTURE = re.compile(r"\.(svg|png|jpe?g|gif|webp)$", re.I)
CJK = "\u3000-\u9fff\uff00-\uffef"
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LINK = re.compile(r'\]\((<[^>]*>|[^ )]*)|\b(href|src)="([^"]*)"')
REFERENCE = re.compile(r"^( {0,3}\[[^]]+\]:[ \t]*)(<[^>]*>|\S+)(.*)$")
NOT_PARAGRAPH = re.compile(r"^([#>|<]|[-*+][ \t]|[0-9]+[.)][ \t])")
LANGUAGES = {".rs": "rust", ".toml": "toml", ".py": "python", ".md": "markdown", ".sh": "bash"}


class Book:
    def __init__(self, context, book):
        self.lang = context["config"]["book"].get("language", "en")
        self.src = Path(context["root"]) / context["config"]["book"].get("src", "src")
        self.book = book
        self.pages = {c["path"] for c in self.chapters(book["items"]) if c.get("path")}
        self.sources = []
        self.errors = []

    def chapters(self, items):
        for item in items:
            chapter = item.get("Chapter") if isinstance(item, dict) else None
            if chapter:
                yield chapter
                yield from self.chapters(chapter["sub_items"])

    def page_of(self, target):
        """The page a repository file is shown on, and its language."""
        folder, name = posixpath.split(target)
        if name in ("README.md", "README.zh-CN.md"):
            page = posixpath.join(folder, "index.md")
        elif name == "main.rs" and folder.endswith("/src"):
            page = posixpath.join(posixpath.dirname(folder), "index.md#main-rs")
        elif target.endswith(".zh-CN.md"):
            page = target[: -len(".zh-CN.md")] + ".md"
        elif target.startswith("scripts/") and "/" not in target[8:]:
            page = target + ".md"
        else:
            page = target
        if page.split("#")[0] not in self.pages:
            return None, None
        if target.endswith(".zh-CN.md"):
            return page, "zh-CN"
        return page, "en" if target.endswith(".md") else "any"

    def resolve(self, dest, folder, original):
        if not dest or dest.startswith("#") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", dest):
            return dest
        dest, hash_, anchor = dest.partition("#")
        anchor = hash_ + anchor
        if dest.startswith("/"):
            raise ValueError(f"link {dest}: an absolute path works nowhere but here")
        target = posixpath.normpath(posixpath.join(folder, dest))
        if target.startswith(".."):
            raise ValueError(f"link {dest} leads out of the repository")
        if (REPO / target).is_dir():
            if not (REPO / target / "README.md").is_file():
                raise ValueError(f"link {dest}: a folder without a README")
            target = posixpath.join(target, "README.md")
        page, lang = self.page_of(target)
        if page:
            if lang == "any" or (lang == "en" and target != original):
                lang = self.lang
            page, _, own = page.partition("#")
            anchor = anchor or (own and "#" + own)
            if lang == self.lang:
                return posixpath.relpath(page, folder or ".") + anchor
            up = "../" * (folder.count("/") + 1 if folder else 0)
            return f"{up}../{lang}/{page[:-3]}.html{anchor}"
        if not (REPO / target).is_file():
            raise ValueError(f"link {dest}: no such file")
        if PICTURE.search(target):
            (self.src / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / target, self.src / target)
            return posixpath.relpath(target, folder or ".") + anchor
        if target not in self.sources:
            self.sources.append(target)
        return posixpath.relpath(target + ".md", folder or ".") + anchor

    def rewrite(self, line, folder, original):
        """The links of one line of text (not of code spans)."""
        def link(match):
            if match.group(1) is not None:
                dest = match.group(1)
                if dest.startswith("<"):
                    return "](<" + self.resolve(dest[1:-1], folder, original) + ">"
                return "](" + self.resolve(dest, folder, original)
            new = self.resolve(match.group(3), folder, original)
            return f'{match.group(2)}="{new}"'

        reference = REFERENCE.match(line)
        if reference:
            dest = reference.group(2).strip("<>")
            return reference.group(1) + self.resolve(dest, folder, original) + reference.group(3)
        parts = re.split(r"(`+[^`]*`+)", line)
        return "".join(p if p.startswith("`") else LINK.sub(link, p) for p in parts)

    def chapter(self, chapter):
        page = chapter["path"]
        folder = posixpath.dirname(page)
        # the English text this chapter translates, when it shows a twin
        readme = "README.md" if page.endswith("index.md") else posixpath.basename(page)
        original = posixpath.join(folder, readme)
        twin = REPO / (original[:-3] + ".zh-CN.md")
        if self.lang != "zh-CN" or not twin.is_file():
            original = None
        out, held, fence = [], None, None
        for line in chapter["content"].split("\n"):
            if fence:
                stripped = line.strip()
                if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                    fence = None
                out.append(line)
                continue
            opening = FENCE.match(line)
            if opening:
                fence = opening.group(1)
                held = self.flush(out, held)
                out.append(line)
                continue
            try:
                line = self.rewrite(line, folder, original)
            except ValueError as why:
                self.errors.append(f"book: {page}: {why}")
            held = self.text(out, held, line)
        self.flush(out, held)
        chapter["content"] = "\n".join(out)

    @staticmethod
    def text(out, held, line):
        """Holds a line until the next shows whether it goes on with it: a
        line break between two Chinese characters is taken out."""
        rest = line.lstrip(" \t")
        if (held is not None and held and re.search(f"[{CJK}]$", held) and not held.startswith("#")
                and re.match(f"[{CJK}]", rest) and not NOT_PARAGRAPH.match(rest)):
            return held + rest
        Book.flush(out, held)
        if not line.strip():
            out.append(line)
            return None
        return line

    @staticmethod
    def flush(out, held):
        if held is not None:
            out.append(held)
        return None

    def source_pages(self):
        """A page for each file a chapter links, under "Source files"."""
        index = next((c for c in self.chapters(self.book["items"]) if c["path"] == "sources.md"), None)
        if index is None:
            if self.sources:
                self.errors.append("book: files are linked but there is no sources.md")
            return
        for path in sorted(self.sources):
            text = (REPO / path).read_text()
            fence = "```" + "`" * max([len(f) - 2 for f in re.findall(r"`{3,}", text)] + [0])
            kind = LANGUAGES.get(Path(path).suffix, "bash" if path.startswith("scripts/") else "text")
            index["content"] += f"\n- [`{path}`]({path}.md)"
            index["sub_items"].append({"Chapter": {
                "name": path, "content": f"# `{path}`\n\n{fence}{kind}\n{text.rstrip()}\n{fence}\n",
                "number": None, "sub_items": [], "path": path + ".md", "source_path": None,
                "parent_names": [index["name"]]}})


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "supports":
        sys.exit(0)
    context, book = json.load(sys.stdin)
    course = Book(context, book)
    for chapter in list(course.chapters(book["items"])):
        if chapter.get("path") and not chapter["path"].startswith("scripts/"):
            course.chapter(chapter)
    course.source_pages()
    if course.errors:
        print("\n".join(course.errors), file=sys.stderr)
        sys.exit(1)
    json.dump(book, sys.stdout)


if __name__ == "__main__":
    main()
