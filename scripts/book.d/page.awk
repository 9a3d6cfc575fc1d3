# One page of the book from one Markdown file of the repository: the text
# as it is, with its relative links pointed at the book's pages and files.
#
# awk -v src=lessons/05-tcp-client/README.md   the file (repo path)
#     -v page=lessons/05-tcp-client/index.md   its page (book path)
#     -v book=en -v textlang=en                the book, the text's language
#     -v pagemap=FILE    lines "SOURCE<tab>LANG<tab>PAGE": the repo files
#                        that are pages (LANG en, zh-CN, or any)
#     -v files=FILE      every file of the repo, one path a line
#     -v dirs=FILE       every folder of the repo, one path a line
#     -v found=FILE      gets "asset PATH" (a picture to copy beside the
#                        page) and "source PATH" (a file that needs a page)
#     -v note=FILE       optional: printed after the first "# " title
#     -v insert=FILE     optional: printed before the third "## " heading
#                        (a lesson's: after "Run it" and "What you should
#                        see", before the step table), or at the end
#     -f page.awk SRC > PAGE
#
# A link to a README goes to its page in the reader's book: a Chinese text
# that links lessons/05-tcp-client/README.md leads to 05's page of the
# Chinese book (its twin, or its English text with a note until there is
# one). Only a link between a text and its own translation (the first line,
# "English | 简体中文") crosses to the other book, and so does a link to a
# .zh-CN.md file from English text. A picture is copied beside the page;
# any other file gets a page of its own with its text. A link to nothing
# is an error: the book is not built with a broken link.

function fail(why) {
    printf "book: %s: %s\n", src, why > "/dev/stderr"
    failed = 1
    exit 1
}

function dirname(p) {
    return p ~ /\// ? substr(p, 1, match(p, /\/[^\/]*$/) - 1) : ""
}

# "a/b/../c/./d" -> "a/c/d"; "" when it climbs out of the repo
function normalize(p,    parts, n, i, stack, k, out) {
    n = split(p, parts, "/")
    k = 0
    for (i = 1; i <= n; i++) {
        if (parts[i] == "" || parts[i] == ".")
            continue
        if (parts[i] == "..") {
            if (k == 0)
                return ""
            k--
            continue
        }
        stack[++k] = parts[i]
    }
    out = ""
    for (i = 1; i <= k; i++)
        out = out (i > 1 ? "/" : "") stack[i]
    return out
}

# the path of file `to` seen from folder `from` (both book paths)
function relpath(from, to,    fa, ta, nf, nt, i, j, out) {
    nf = from == "" ? 0 : split(from, fa, "/")
    nt = split(to, ta, "/")
    i = 1
    while (i <= nf && i < nt && fa[i] == ta[i])
        i++
    out = ""
    for (j = i; j <= nf; j++)
        out = out "../"
    for (j = i; j <= nt; j++)
        out = out ta[j] (j < nt ? "/" : "")
    return out
}

function resolve(dest,    anchor, at, target, lang, to) {
    if (dest == "" || dest ~ /^#/ || dest ~ /^[A-Za-z][A-Za-z0-9+.-]*:/)
        return dest
    anchor = ""
    at = index(dest, "#")
    if (at) {
        anchor = substr(dest, at)
        dest = substr(dest, 1, at - 1)
    }
    if (dest ~ /^\//)
        fail("link " dest ": an absolute path works nowhere but here")
    target = normalize(srcdir "/" dest)
    if (target == "")
        fail("link " dest " leads out of the repository")
    if (target in isdir) {
        if (!((target "/README.md") in isfile))
            fail("link " dest ": a folder without a README")
        target = target "/README.md"
    }
    if (target in pagelang) {
        lang = pagelang[target]
        to = pagepath[target]
        if (lang == "any" || (lang == "en" && target != original))
            lang = book
        at = index(to, "#")
        if (at) {
            if (anchor == "")
                anchor = substr(to, at)
            to = substr(to, 1, at - 1)
        }
        if (lang == book)
            return relpath(pagedir, to) anchor
        sub(/\.md$/, ".html", to)
        return toroot "../" lang "/" to anchor
    }
    if (!(target in isfile))
        fail("link " dest ": no such file")
    if (tolower(target) ~ /\.(svg|png|jpe?g|gif|webp)$/) {
        print "asset " target >> found
        return relpath(pagedir, target) anchor
    }
    print "source " target >> found
    return relpath(pagedir, target ".md") anchor
}

# The destination of the link that starts at s (just after "](" or after
# the quote of href="): returns its length in RLEN and the new text in REPL.
function link_at(s, closer,    n, dest, rest) {
    if (substr(s, 1, 1) == "<") {
        n = index(s, ">")
        if (!n)
            return 0
        dest = substr(s, 2, n - 2)
        REPL = "<" resolve(dest) ">"
        RLEN = n
        return 1
    }
    if (closer == "\"") {
        n = index(s, "\"")
    } else {
        n = match(s, /[ )]/)
    }
    if (!n)
        return 0
    dest = substr(s, 1, n - 1)
    REPL = resolve(dest)
    RLEN = n - 1
    return 1
}

# Rewrites the links of one line of text (not of code).
function rewrite(line,    out, c, ticks, n, close_at, rest, m) {
    if (match(line, /^ {0,3}\[[^]]+\]:[ \t]*/)) {
        out = substr(line, 1, RLENGTH)
        rest = substr(line, RLENGTH + 1)
        if (link_at(rest, ""))
            return out REPL substr(rest, RLEN + 1)
        return line
    }
    out = ""
    while (line != "") {
        c = substr(line, 1, 1)
        if (c == "`") {
            # an inline code span: copied as it is
            match(line, /^`+/)
            ticks = substr(line, 1, RLENGTH)
            rest = substr(line, RLENGTH + 1)
            close_at = index(rest, ticks)
            if (!close_at) {
                out = out line
                break
            }
            n = RLENGTH + close_at - 1 + RLENGTH
            out = out substr(line, 1, n)
            line = substr(line, n + 1)
            continue
        }
        if (substr(line, 1, 2) == "](") {
            rest = substr(line, 3)
            if (link_at(rest, ")")) {
                out = out "](" REPL
                line = substr(rest, RLEN + 1)
                continue
            }
        }
        if (match(line, /^(href|src)="/)) {
            m = RLENGTH
            rest = substr(line, m + 1)
            if (link_at(rest, "\"")) {
                out = out substr(line, 1, m) REPL
                line = substr(rest, RLEN + 1)
                continue
            }
        }
        out = out c
        line = substr(line, 2)
    }
    return out
}

# A Chinese character (CJK punctuation, kana, ideographs: U+3000 to
# U+9FFF; fullwidth forms: U+FF00 to U+FFEF) at the end or at the start of
# a line, as UTF-8 bytes (the script runs awk with LC_ALL=C).
function cjk_end(t) {
    return t ~ /[\343-\351][\200-\277][\200-\277]$/ \
        || t ~ /\357[\274-\277][\200-\277]$/
}
function cjk_start(t) {
    return t ~ /^[\343-\351][\200-\277][\200-\277]/ \
        || t ~ /^\357[\274-\277][\200-\277]/
}

# A line of text is held until the next one shows whether it goes on with
# the same paragraph: a line break between two Chinese characters is taken
# out, as a browser would show it as a space (Chromium does).
function text(t,    rest) {
    rest = t
    sub(/^[ \t]+/, "", rest)
    if (held_set && cjk_end(held) && cjk_start(rest) && held !~ /^#/ \
        && rest !~ /^([#>|<]|[-*+][ \t]|[0-9]+[.)][ \t])/) {
        held = held rest
        return
    }
    flush()
    if (t ~ /^[ \t]*$/) {
        print t
        return
    }
    held = t
    held_set = 1
}
function flush() {
    if (held_set)
        print held
    held_set = 0
    held = ""
}

function print_file(f,    l) {
    while ((getline l < f) > 0)
        print l
    close(f)
}

BEGIN {
    FS = "\t"
    while ((getline l < pagemap) > 0) {
        split(l, f, "\t")
        pagelang[f[1]] = f[2]
        pagepath[f[1]] = f[3]
    }
    while ((getline l < files) > 0)
        isfile[l] = 1
    while ((getline l < dirs) > 0)
        isdir[l] = 1
    # the English text this one translates, if it is a translation
    original = ""
    if (textlang == "zh-CN" && src ~ /\.zh-CN\.md$/) {
        original = src
        sub(/\.zh-CN\.md$/, ".md", original)
    }
    srcdir = dirname(src)
    pagedir = dirname(page)
    toroot = ""
    n = pagedir == "" ? 0 : split(pagedir, parts, "/")
    for (i = 1; i <= n; i++)
        toroot = toroot "../"
    fence = ""
}

{
    line = $0
    if (fence != "") {
        # inside a fenced code block: nothing to rewrite
        t = line
        sub(/^ {0,3}/, "", t)
        sub(/[ \t]+$/, "", t)
        if (length(t) >= length(fence) \
            && t ~ (substr(fence, 1, 1) == "`" ? "^`+$" : "^~+$"))
            fence = ""
        print line
        next
    }
    if (match(line, /^ {0,3}(```+|~~~+)/)) {
        flush()
        fence = substr(line, RSTART, RLENGTH)
        sub(/^ +/, "", fence)
        print line
        next
    }
    if (insert != "" && !inserted && line ~ /^## / && ++headings == 3) {
        flush()
        print_file(insert)
        print ""
        inserted = 1
    }
    text(rewrite(line))
    if (note != "" && !noted && line ~ /^# /) {
        flush()
        print ""
        print_file(note)
        noted = 1
    }
}

END {
    if (failed)
        exit 1
    flush()
    if (fence != "")
        fail("a code block is never closed")
    if (insert != "" && !inserted) {
        print ""
        print_file(insert)
    }
}
