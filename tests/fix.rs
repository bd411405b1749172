//! Safe fixes over the dev wires: only reported spans change, no letter outside them is
//! lost, nothing is left to fix after one run; and an atomic write refuses a file that
//! changed on disk.

mod common;

use wirecheck::{fix, Checker, LanguageChoice};

fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| c.is_alphabetic())
}

/// Is `needle` a subsequence of `hay`?
fn subsequence(needle: impl Iterator<Item = char>, hay: impl Iterator<Item = char>) -> bool {
    let mut hay = hay;
    needle.into_iter().all(|n| hay.any(|h| h == n))
}

#[test]
fn fixes_change_only_reported_spans_and_leave_nothing_to_fix() {
    let Some(dir) = common::shared_corpus("dev") else {
        return;
    };
    let checker = Checker::builtin();
    let lang = LanguageChoice::Auto;
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        files += 1;
        let original = std::fs::read_to_string(&path).unwrap();
        let report = checker.check_text(&original, &lang);
        let spans: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.fix.is_some())
            .map(|f| f.span.clone())
            .collect();
        let fix::Fixed {
            text: fixed,
            applied,
            ..
        } = fix::fix_all(&checker, &original, &lang);
        assert_eq!(applied > 0, !spans.is_empty(), "{}", path.display());
        let before: Vec<&str> = original.split('\n').collect();
        let after: Vec<&str> = fixed.split('\n').collect();
        assert_eq!(
            before.len(),
            after.len(),
            "{}: fixes never add or remove lines",
            path.display()
        );
        let mut at = 0;
        for (old, new) in before.iter().zip(&after) {
            let line = at..at + old.len();
            at += old.len() + 1;
            let touched: Vec<_> = spans
                .iter()
                .filter(|s| s.start < line.end && line.start < s.end.max(s.start + 1))
                .collect();
            if touched.is_empty() {
                assert_eq!(old, new, "{}: a line without fixes changed", path.display());
                continue;
            }
            // Letters outside the fixed spans survive, in order.
            let mut outside = String::new();
            let mut from = line.start;
            for s in &touched {
                outside.push_str(&original[from..s.start.max(from)]);
                from = from.max(s.end);
            }
            outside.push_str(&original[from.min(line.end)..line.end]);
            assert!(
                subsequence(letters(&outside), letters(new)),
                "{}: letters lost in {old:?} -> {new:?}",
                path.display()
            );
        }
        let again = fix::fix_all(&checker, &fixed, &lang).applied;
        assert_eq!(again, 0, "{}: a second run still fixes", path.display());
    }
    assert!(files >= 31);
}

#[test]
fn atomic_write_refuses_a_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.txt");
    std::fs::write(&path, "version lue").unwrap();
    std::fs::write(&path, "version modifiée entre-temps").unwrap();
    let e =
        fix::write_atomically(&path, b"version lue", "version corrigée".as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "changed on disk since it was read, not fixed"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "version modifiée entre-temps"
    );
    fix::write_atomically(
        &path,
        "version modifiée entre-temps".as_bytes(),
        "corrigée".as_bytes(),
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "corrigée");
}
