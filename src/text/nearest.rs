//! The nearest character of a kind before or after positions that come in increasing
//! order: each byte is read about once, however many positions a long line holds, where
//! a scan from each position would take time quadratic in the line's length.

/// Finds, around positions of `text` asked in increasing order, the nearest character for
/// which `is` holds. Positions asked out of order are answered by a plain scan.
pub struct Nearest<'t, P> {
    text: &'t str,
    is: P,
    /// The last wanted character of `text[..scanned]`.
    before: Option<(usize, char)>,
    scanned: usize,
    /// `(from, found)`: the first wanted character of `text[from..]`, if any.
    after: Option<(usize, Option<(usize, char)>)>,
}

impl<'t, P: Fn(char) -> bool> Nearest<'t, P> {
    /// A finder of the characters of `text` for which `is` holds.
    pub fn new(text: &'t str, is: P) -> Self {
        Nearest {
            text,
            is,
            before: None,
            scanned: 0,
            after: None,
        }
    }

    /// The last wanted character before byte `at` (a character boundary), and its offset.
    pub fn last_before(&mut self, at: usize) -> Option<(usize, char)> {
        let (from, to) = if at < self.scanned {
            (0, at)
        } else {
            (self.scanned, at)
        };
        let found = self.text[from..to]
            .char_indices()
            .rev()
            .find(|&(_, c)| (self.is)(c))
            .map(|(i, c)| (from + i, c));
        if at < self.scanned {
            return found;
        }
        self.scanned = at;
        if found.is_some() {
            self.before = found;
        }
        self.before
    }

    /// The first wanted character at or after byte `at` (a character boundary), and its
    /// offset.
    pub fn first_from(&mut self, at: usize) -> Option<(usize, char)> {
        if let Some((from, found)) = self.after {
            // Nothing wanted lies between `from` and what was found from there.
            let until = found.map_or(self.text.len(), |(i, _)| i);
            if from <= at && at <= until {
                return found;
            }
        }
        let found = self.text[at..]
            .char_indices()
            .find(|&(_, c)| (self.is)(c))
            .map(|(i, c)| (at + i, c));
        self.after = Some((at, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_a_scan_from_each_position_in_any_order() {
        let text = "a (b c) d,  é  (AAPL.O, MSFT.O) fin";
        let is = |c: char| c.is_whitespace();
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let scan_before = |at: usize| text[..at].char_indices().rev().find(|&(_, c)| is(c));
        let scan_from = |at: usize| {
            text[at..]
                .char_indices()
                .find(|&(_, c)| is(c))
                .map(|(i, c)| (at + i, c))
        };
        // In order, then every second position backwards, then a jump back to the start.
        let mut order = bounds.clone();
        order.extend(bounds.iter().rev().step_by(2));
        order.extend([0, text.len()]);
        let mut nearest = Nearest::new(text, is);
        for &at in &order {
            assert_eq!(nearest.last_before(at), scan_before(at), "before {at}");
            assert_eq!(nearest.first_from(at), scan_from(at), "from {at}");
        }
    }
}
