//! Hostile inputs: whatever a scraper or a feed delivers, wirecheck answers without a
//! panic, a hang or unbounded memory, and says clearly what it refused.

mod common;

use std::path::Path;
use std::process::Output;

use wirecheck::{Checker, LanguageChoice};

fn check(text: &str) -> wirecheck::Report {
    static C: std::sync::OnceLock<Checker> = std::sync::OnceLock::new();
    let report = C
        .get_or_init(Checker::builtin)
        .check_text(text, &LanguageChoice::Auto);
    for f in &report.findings {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    report
}

fn wirecheck(dir: &Path, args: &[&str]) -> Output {
    common::wirecheck_in(dir, args, b"")
}

#[test]
fn a_100_mb_single_line() {
    let sentence = "Le groupe a publié ses résultats trimestriels, en hausse de 3,5 % sur un an. ";
    let text = sentence
        .repeat((100 << 20) / sentence.len())
        .trim_end()
        .to_string();
    let report = check(&text);
    assert_eq!(report.document.paragraphs.len(), 1);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule == "common.repeated-sentence"),
        "only the repeats are reported"
    );
    let last = wirecheck::report::finding_positions(&report).pop().unwrap();
    assert_eq!(last.0.line, 1);
    assert!(last.0.column > 100_000_000);
}

#[test]
fn a_million_empty_lines() {
    let text = "\n".repeat(1_000_000) + "DeepSeek () monte.";
    let report = check(&text);
    let pos = wirecheck::report::finding_positions(&report);
    assert_eq!(report.findings[0].rule, "common.empty-brackets");
    assert_eq!(pos[0].0.line, 1_000_001);
}

#[test]
fn ten_thousand_nested_brackets() {
    let text = format!("{}texte{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(check(&text)
        .findings
        .iter()
        .all(|f| f.category != wirecheck::Category::PunctuationBalance));
    let open = "(".repeat(10_000);
    assert_eq!(
        check(&open).findings.len(),
        10_000,
        "each unclosed bracket once"
    );
}

/// Marks on one long line, each answered in time and space of its own: closers that meet
/// only openers of another kind, and "words" of a million marks, whose spans (and so the
/// report's excerpts) stop at a few hundred bytes instead of running over the whole word.
#[test]
fn a_line_of_a_million_unmatched_marks() {
    let text = format!("{} {}", "(".repeat(500_000), "]".repeat(500_000));
    let report = check(&text);
    let balance = report
        .findings
        .iter()
        .filter(|f| f.category == wirecheck::Category::PunctuationBalance);
    assert_eq!(balance.clone().count(), 1_000_000, "each mark once");
    let longest = balance.map(|f| f.span.len()).max().unwrap();
    assert!(longest < 300, "spans stop short: {longest} bytes");
}

/// A long line of bare codes, none in parentheses: each code is reported, and telling
/// that no parenthesis holds it does not read the line again for each one.
#[test]
fn a_line_of_a_hundred_thousand_codes() {
    let text = "Les titres 9984.T et 035720.KS ont reculé, ".repeat(50_000);
    let report = check(&text);
    let codes = report
        .findings
        .iter()
        .filter(|f| f.category == wirecheck::Category::TickerResidue);
    assert_eq!(codes.count(), 100_000);
}

/// A story listing thousands of names (a scraped index page): a misspelt name is still
/// found among them, as in a short story, and each name is compared with the few that
/// look like it, not with every other.
#[test]
fn a_story_of_ten_thousand_names() {
    let story = "Christine Lagarde a parlé. Selon Lagarde, les taux baissent. Largarde a conclu.";
    let variant = |report: &wirecheck::Report| -> Vec<String> {
        let text = &report.document.text;
        let found = report
            .findings
            .iter()
            .filter(|f| f.rule == "common.name-variant");
        found.map(|f| text[f.span.clone()].to_string()).collect()
    };
    assert_eq!(variant(&check(story)), ["Largarde"]);
    // Ten thousand names of seven letters, each twice: Baaaaaa, Baaaaab...
    let mut listing = String::new();
    for i in 0..10_000u32 {
        let tail: String = (0..6)
            .map(|k| char::from(b'a' + (i / 26u32.pow(k) % 26) as u8))
            .collect();
        listing.push_str(&format!("Le ministre B{tail} et B{tail} Durand.\n"));
    }
    assert_eq!(variant(&check(&format!("{listing}{story}"))), ["Largarde"]);
}

#[test]
fn whitespace_only_and_empty_texts() {
    for text in ["", " ", "\n\n\t \r\n", "\u{A0}\u{202F}"] {
        let report = check(text);
        assert!(report.document.sentences.is_empty(), "{text:?}");
    }
}

#[test]
fn right_to_left_emoji_combining_accents_and_crlf() {
    for text in [
        "La banque שלום עולם a publié ses chiffres.",
        "Le PDG 👩‍👩‍👧‍👦 a salué () la hausse 🇫🇷.",
        "Le re\u{301}sultat de\u{301}passe les attentes  de 3.5%.",
        "Première ligne .\r\nDeuxième ligne  ici.\r\n",
        "\u{202E}texte inversé\u{202C} et DeepSeek ()",
    ] {
        let report = check(text);
        let positions = wirecheck::report::finding_positions(&report);
        assert_eq!(positions.len(), report.findings.len());
    }
    let report = check("Première ligne .\r\nDeuxième ligne  ici.\r\n");
    let pos = wirecheck::report::finding_positions(&report);
    let lines: Vec<usize> = pos.iter().map(|p| p.0.line).collect();
    assert_eq!(lines, [1, 2]);
}

#[test]
fn nul_bytes_and_utf16_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nul.txt"), b"texte\x00binaire").unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "La startup DeepSeek () monte.".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(dir.path().join("utf16.txt"), &utf16).unwrap();
    let o = wirecheck(
        dir.path(),
        &[
            "--lang",
            "fr",
            "--format",
            "findings-csv",
            "nul.txt",
            "utf16.txt",
        ],
    );
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        err,
        "wirecheck: nul.txt: binary file (contains NUL bytes), not checked\n"
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("utf16.txt,1,20,1,23,common.empty-brackets,"),
        "{out}"
    );
}

#[test]
fn unreadable_entries_and_symlink_loops_do_not_stop_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("feed");
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::write(root.join("a/good.txt"), "DeepSeek () monte.").unwrap();
    std::os::unix::fs::symlink(&root, root.join("a/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("gone"), root.join("vanished.txt")).unwrap();
    let o = wirecheck(
        dir.path(),
        &["--lang", "fr", "--format", "findings-csv", "feed"],
    );
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("feed/a/loop: symbolic link loop, skipped"),
        "{err}"
    );
    assert!(err.contains("feed/vanished.txt"), "{err}");
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("feed/a/good.txt,1,9,1,12,common.empty-brackets,"),
        "{out}"
    );
}

/// Runs `wirecheck` on `bad` (in `dir`), then on a good file: the run exits with 2 and the
/// good file is checked all the same. Returns what went to standard error.
fn refused_then_next_checked(dir: &Path, bad: &str) -> String {
    std::fs::write(dir.join("good.txt"), "DeepSeek () monte.").unwrap();
    let o = wirecheck(dir, &["--format", "findings-csv", bad, "good.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("good.txt,1,9,1,12,common.empty-brackets,"),
        "{out}"
    );
    String::from_utf8(o.stderr).unwrap()
}

/// A file that opens and then fails to read (`/proc/self/mem` at offset 0 gives an I/O
/// error) is reported by name, and the files after it are checked.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read_is_named_and_the_next_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused_then_next_checked(dir.path(), "/proc/self/mem");
    assert!(
        err.starts_with("wirecheck: /proc/self/mem: cannot read: "),
        "{err}"
    );
}

/// A file of 4 GiB or more (here one byte more, sparse: nothing is written) is refused by
/// name, on its size, and the files after it are checked.
#[test]
fn a_file_over_four_gib_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let huge = std::fs::File::create(dir.path().join("huge.txt")).unwrap();
    huge.set_len((4 << 30) + 1).unwrap();
    let err = refused_then_next_checked(dir.path(), "huge.txt");
    assert!(
        err.contains("wirecheck: huge.txt: cannot read: 4 GiB or larger"),
        "{err}"
    );
}

#[test]
fn a_pathological_house_regex_is_refused_not_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("house.toml"),
        "[[rule]]\nid = \"house.slow\"\ncategory = \"typography\"\nseverity = \"info\"\nmessage = \"m\"\npattern = '(\\w{1000}){1000}'\n[[rule.bad]]\ntext = \"a\"\nflag = \"a\"\n[[rule.good]]\ntext = \"b\"\n",
    )
    .unwrap();
    let o = wirecheck(dir.path(), &["--rules", "house.toml", "-"]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with("wirecheck: house.toml:6: rule `house.slow`: invalid pattern:"),
        "{err}"
    );
    assert!(err.contains("size limit"), "{err}");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_pack_with_a_duplicate_id_names_the_second_one() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "[[rule]]\nid = \"house.x\"\ncategory = \"typography\"\nseverity = \"info\"\nmessage = \"m\"\npattern = 'x'\n[[rule.bad]]\ntext = \"x\"\nflag = \"x\"\n[[rule.good]]\ntext = \"y\"\n";
    std::fs::write(dir.path().join("house.toml"), format!("{rule}\n{rule}")).unwrap();
    let o = wirecheck(dir.path(), &["--rules", "house.toml", "-"]);
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "wirecheck: house.toml:13: duplicate rule id `house.x`\n"
    );
}
