// Search that finds Chinese (and Japanese and Korean) words in the book.
//
// mdBook 0.5.4's search cannot: its index splits text only at spaces and
// hyphens, so a Chinese sentence is one long "word" (or none: words over 80
// bytes are dropped), and elasticlunr.js, which answers the queries, trims
// every character that is not an ASCII letter or digit off each query word
// (its trimmer is /\W/), so a Chinese query is empty before it is looked up
// (mdBook issue #1081). This file does what search engines do with text
// that has no spaces between words (Lucene's CJKAnalyzer): a run of CJK
// characters becomes its overlapping pairs (三次握手: 三次 次握 握手), other
// text is split as mdBook splits it, and the trimmer keeps the letters and
// digits of every script. When mdBook's index loads, it is built again from
// the sections mdBook stores in it (the same sections and links) with these
// rules; a query goes through the same rules, and mdBook asks for every
// word, so 三次握手 finds the sections that hold 三次, 次握 and 握手.
//
// Loaded in <head>, before elasticlunr.js defines `window.elasticlunr`: the
// rules are set the moment it does, so that no index is ever loaded without
// them, however the scripts' loading is ordered.
(function () {
    'use strict';

    const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}'
        + '\\p{Script=Hangul}\\p{Script=Bopomofo}';
    const PIECES = new RegExp(`[${CJK}]+|[^${CJK}]+`, 'gu');
    const IS_CJK = new RegExp(`^[${CJK}]`, 'u');
    const ENDS = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;

    function tokenize(text) {
        if (text === null || text === undefined) {
            return [];
        }
        const texts = Array.isArray(text) ? text : [text];
        const tokens = [];
        for (const one of texts) {
            if (one === null || one === undefined) {
                continue;
            }
            for (const word of String(one).toLowerCase().split(/[\s-]+/)) {
                for (const piece of word.match(PIECES) || []) {
                    if (!IS_CJK.test(piece)) {
                        tokens.push(piece);
                        continue;
                    }
                    const chars = Array.from(piece);
                    if (chars.length === 1) {
                        tokens.push(piece);
                    }
                    for (let i = 0; i + 1 < chars.length; i++) {
                        tokens.push(chars[i] + chars[i + 1]);
                    }
                }
            }
        }
        return tokens;
    }

    // elasticlunr's trimmer, for every script (as mdBook's Rust side trims)
    function trimmer(token) {
        const trimmed = token.replace(ENDS, '');
        return trimmed === '' ? undefined : trimmed;
    }

    function teach(lunr) {
        if (lunr.cjkSearch) {
            return;
        }
        lunr.cjkSearch = true;
        for (const key of Object.keys(lunr.tokenizer)) {
            tokenize[key] = lunr.tokenizer[key];
        }
        lunr.tokenizer = tokenize;
        lunr.trimmer = trimmer;
        trimmer.label = 'trimmer';
        lunr.Pipeline.registeredFunctions.trimmer = trimmer;

        const load = lunr.Index.load;
        lunr.Index.load = function (json) {
            const stored = load.call(this, json);
            const ref = stored._ref;
            const index = lunr(function () {
                for (const field of stored.getFields()) {
                    this.addField(field);
                }
                this.setRef(ref);
                this.saveDocument(true);
            });
            const docs = stored.documentStore.docs;
            for (const key of Object.keys(docs)) {
                index.addDoc(Object.assign({}, docs[key], { [ref]: key }), false);
            }
            return index;
        };
    }

    let lunr = window.elasticlunr;
    if (lunr) {
        teach(lunr);
    }
    Object.defineProperty(window, 'elasticlunr', {
        configurable: true,
        enumerable: true,
        get() {
            return lunr;
        },
        set(value) {
            lunr = value;
            if (value) {
                teach(value);
            }
        },
    });
})();
