//! Code lines wrapped to a column, where code may break, measured by
//! their display width.

/// How many columns a character takes on a terminal (two for Chinese).
pub(crate) fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The display width of a string.
pub(crate) fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Tabs to spaces (stops every 8 columns), then pieces of at most
/// `columns` display columns, each broken at the last place where a line
/// of code may break: at a space, after `(`, `,` or `::`, before the `.` of
/// a method call, or next to a wide (Chinese) character. A word is cut only
/// when one token is wider than the column, and a wide character never
/// straddles two pieces. A continuation is indented 4 more than its line,
/// as rustfmt would (less, when that is what keeps a token whole).
pub(crate) fn wrap(line: &str, columns: usize) -> Vec<String> {
    let mut expanded = String::new();
    let mut at = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 8 - at % 8;
            expanded.extend(std::iter::repeat_n(' ', spaces));
            at += spaces;
        } else {
            expanded.push(c);
            at += char_width(c);
        }
    }
    let indent = expanded.len() - expanded.trim_start_matches(' ').len();
    let hang = (indent + 4).min(columns / 2);
    let mut pieces = vec![];
    let mut rest: Vec<char> = expanded.chars().collect();
    let quoted = quoted(&rest);
    let mut done = 0; // characters of the line already placed
    let mut first = true;
    loop {
        let mut prefix = if first { 0 } else { hang };
        // how many characters fit
        let fitting = |prefix: usize| {
            let (mut used, mut fit) = (0, 0);
            while fit < rest.len()
                && used + char_width(rest[fit]) <= columns - prefix
            {
                used += char_width(rest[fit]);
                fit += 1;
            }
            fit
        };
        let fit = fitting(prefix);
        if fit == rest.len() {
            let piece: String = rest.iter().collect();
            pieces.push(format!("{}{piece}", " ".repeat(prefix)));
            return pieces;
        }
        // the last break after the indentation; with none, one token
        // wider than the room: it goes whole on a line indented less when
        // it fits the column, else it is cut
        // (a space, unless it leaves most of the room empty)
        let lead = rest.iter().take_while(|c| **c == ' ').count();
        let best = |good: &dyn Fn(usize) -> bool| {
            let mut room = (lead + 1..=fit).rev().filter(|&k| good(k));
            let cut = room.clone().find(|&k| breaks(&rest, k));
            let space = room.find(|&k| spaced(&rest, k));
            match space.is_some_and(|k| k >= lead + (fit - lead) / 2) {
                true => space,
                false => cut,
            }
        };
        let mut cut = best(&|_| true);
        // not inside a string literal when the string then fits whole on
        // the next line
        if let Some(inside) = cut.filter(|&k| quoted[done + k]) {
            let end = (inside..rest.len()).find(|&k| !quoted[done + k]);
            let end = end.unwrap_or(rest.len());
            let outside = best(&|k| !quoted[done + k]);
            let fits = |from: usize| {
                if from >= end {
                    return true; // the string stays whole on this line
                }
                let string = rest[from..end].iter().skip_while(|c| **c == ' ');
                string.map(|c| char_width(*c)).sum::<usize>() <= columns - hang
            };
            if let Some(from) = outside.filter(|&from| fits(from)) {
                cut = Some(from);
            }
        }
        if cut.is_none() {
            let from = fit.max(lead) + 1;
            let end = (from..=rest.len()).find(|&k| breaks(&rest, k));
            let end = end.unwrap_or(rest.len());
            let token = rest[lead..end].iter().map(|c| char_width(*c));
            let token: usize = token.sum();
            if token <= columns {
                // the indentation (or the line's own) shrinks to make room
                prefix = columns - token;
                rest.drain(..lead);
                done += lead;
                cut = Some(end - lead);
            } else if fit <= lead {
                // no room after the indentation: go on as a continuation
                rest.drain(..lead);
                done += lead;
                first = false;
                continue;
            }
        }
        let cut = cut.unwrap_or(fit.max(1));
        let piece: String = rest[..cut].iter().collect();
        pieces.push(format!("{}{}", " ".repeat(prefix), piece.trim_end()));
        rest.drain(..cut);
        done += cut;
        while rest.first() == Some(&' ') {
            rest.remove(0);
            done += 1;
        }
        if rest.is_empty() {
            return pieces;
        }
        first = false;
    }
}

/// For each place in a line of code, whether it is inside a string
/// literal (a comment ends the search).
pub(crate) fn quoted(line: &[char]) -> Vec<bool> {
    let (mut inside, mut escaped, mut places) = (false, false, vec![false]);
    for (k, &c) in line.iter().enumerate() {
        if !inside && c == '/' && line.get(k + 1) == Some(&'/') {
            places.resize(line.len() + 1, false);
            return places;
        }
        let char_literal =
            k > 0 && line[k - 1] == '\'' && line.get(k + 1) == Some(&'\'');
        match c {
            '"' if !escaped && !char_literal => inside = !inside,
            _ => {}
        }
        escaped = inside && c == '\\' && !escaped;
        places.push(inside);
    }
    places
}

/// Whether `line[at]` starts a word.
pub(crate) fn spaced(line: &[char], at: usize) -> bool {
    at == line.len()
        || (at > 0 && line[at - 1] == ' ' && line[at] != ' ')
        || (line[at] == ' ' && at > 0 && line[at - 1] != ' ')
}

/// Whether a line may break before `line[at]`.
pub(crate) fn breaks(line: &[char], at: usize) -> bool {
    let (Some(&before), Some(&after)) =
        (line.get(at.wrapping_sub(1)), line.get(at))
    else {
        return at == line.len();
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let call = after == '.'
        && (word(before) || ")]?".contains(before))
        && line
            .get(at + 1)
            .is_some_and(|c| c.is_alphabetic() || *c == '_');
    before == ' '
        || after == ' '
        || (before == '(' && after != ')')
        || before == ','
        || (before == ':' && at >= 2 && line[at - 2] == ':' && after != ':')
        || call
        || char_width(before) == 2
        || char_width(after) == 2
}
