// The course book's scripts, which mdBook loads after its own (additional-js
// in book.toml): the language switch, and search that finds Chinese, in a
// function of their own so that their names do not meet mdBook's.
(function () {
    'use strict';

    // The language switch, in the menu bar beside the print button: the same
    // page in the other book. Both books have the same page paths
    // (lessons/05-tcp-client/index.html in en/ and in zh-CN/), so the link is
    // this page's path under the other book's root.
    const other = document.documentElement.lang === 'zh-CN'
        ? { lang: 'en', name: 'English', title: 'This page in English' }
        : { lang: 'zh-CN', name: '简体中文', title: '本页的中文版' };
    // path_to_root is mdBook's: "../../" on lessons/05-tcp-client/index.html
    const root = new URL(path_to_root || '.', location.href).href;
    const page = location.href.split(/[?#]/)[0].slice(root.length);
    // class icon-button: as mdBook's own buttons of the menu bar look
    document.querySelector('#mdbook-menu-bar .right-buttons').insertAdjacentHTML('afterbegin',
        `<a class="icon-button lang-switch" href="${path_to_root}../${other.lang}/${page}"
        hreflang="${other.lang}" lang="${other.lang}" title="${other.title}">${other.name}</a>`);

    // Search that finds Chinese (and Japanese and Korean) words in the book.
    //
    // mdBook 0.5.4's search cannot: its index splits text only at spaces and
    // hyphens, so a Chinese sentence is one long "word" (or none: words over 80
    // bytes are dropped), and elasticlunr.js, which answers the queries, trims
    // every character that is not an ASCII letter or digit off each query word
    // (its trimmer is /\W/), so a Chinese query is empty before it is looked up
    // (mdBook issue #1081). This does what search engines do with text that has
    // no spaces between words (Lucene's CJKAnalyzer): a run of CJK characters
    // becomes its overlapping pairs (三次握手: 三次 次握 握手), other text is
    // split as mdBook splits it and trimmed of what is not a letter or digit
    // of any script (in place of elasticlunr's trimmer). When mdBook's index
    // loads (at the first search), it is built again from the sections mdBook
    // stores in it (the same sections and links) with these rules; a query
    // goes through the same rules, and mdBook asks for every word
    // (use-boolean-and), so 三次握手 finds the sections that hold 三次, 次握
    // and 握手.
    const lunr = window.elasticlunr; // loaded before: book.toml keeps search on
    const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}'
        + '\\p{Script=Hangul}\\p{Script=Bopomofo}';
    // the words mdBook splits text into (at spaces and hyphens), each cut
    // into its runs of CJK characters and of other characters
    const PIECES = new RegExp(`[${CJK}]+|[^\\s\\-${CJK}]+`, 'gu');
    const IS_CJK = new RegExp(`^[${CJK}]`, 'u');
    const ENDS = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;

    lunr.tokenizer = function (text) {
        const tokens = [];
        for (const piece of String(text ?? '').toLowerCase().match(PIECES) || []) {
            const chars = Array.from(piece);
            if (!IS_CJK.test(piece) || chars.length === 1) {
                const trimmed = piece.replace(ENDS, '');
                if (trimmed) tokens.push(trimmed);
                continue;
            }
            for (let i = 0; i + 1 < chars.length; i++) {
                tokens.push(chars[i] + chars[i + 1]);
            }
        }
        return tokens;
    };

    const load = lunr.Index.load;
    lunr.Index.load = function (json) {
        const stored = load.call(this, json);
        const ref = stored._ref;
        const index = lunr(function () {
            for (const field of stored.getFields()) {
                this.addField(field);
            }
            this.setRef(ref); // its documents kept, as elasticlunr does by default
            this.pipeline.remove(lunr.trimmer); // the tokenizer trims
        });
        for (const [key, doc] of Object.entries(stored.documentStore.docs)) {
            index.addDoc(Object.assign({}, doc, { [ref]: key }), false);
        }
        return index;
    };
})();
