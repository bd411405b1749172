//! Helpers shared by the integration tests: the shared corpora and their gold labels.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `../shared/corpus/NAME` when the shared material is present (CI, the workspace);
/// None, with a message, in a clone elsewhere.
pub fn shared_corpus(name: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared corpora live beside the project)",
            dir.display()
        );
        None
    }
}

/// One gold label: file, 1-based line, character range on that line, category.
#[derive(Debug, Clone)]
pub struct Label {
    pub file: String,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub category: String,
}

/// Reads `gold.tsv` of a corpus, locating each snippet as TAXONOMY.md says.
pub fn gold(dir: &std::path::Path) -> Vec<Label> {
    let tsv = std::fs::read_to_string(dir.join("gold.tsv")).expect("gold.tsv");
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut labels = Vec::new();
    for row in tsv.lines().skip(1).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (file, line, category) = (cols[0], cols[1].parse::<usize>().unwrap(), cols[2]);
        let snippet = cols[3].replace('␠', " ");
        let occurrence = cols
            .get(4)
            .and_then(|n| {
                n.split_whitespace()
                    .find_map(|p| p.strip_prefix("occurrence="))
            })
            .map_or(1, |n| n.parse().unwrap());
        let lines = texts.entry(file.to_string()).or_insert_with(|| {
            std::fs::read_to_string(dir.join(file))
                .unwrap()
                .replace("\r\n", "\n")
                .split('\n')
                .map(String::from)
                .collect()
        });
        let text: Vec<char> = lines[line - 1].chars().collect();
        let needle: Vec<char> = snippet.chars().collect();
        let mut found = None;
        let mut from = 0;
        for _ in 0..occurrence {
            found = (from..=text.len().saturating_sub(needle.len()))
                .find(|&i| text[i..].starts_with(&needle));
            from = found.expect("snippet on its line") + 1;
        }
        let start = found.unwrap();
        labels.push(Label {
            file: file.to_string(),
            line,
            start,
            end: start + needle.len(),
            category: category.to_string(),
        });
    }
    labels
}

/// A finding as the score counts it: file, category, 1-based start and end (line, 0-based column).
#[derive(Debug, Clone)]
pub struct Scored {
    pub file: String,
    pub category: String,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

/// Does the finding overlap the label (the rule of `score-corpus`)?
pub fn overlaps(f: &Scored, l: &Label) -> bool {
    if f.file != l.file || f.category != l.category || l.line < f.start.0 || l.line > f.end.0 {
        return false;
    }
    let lo = if l.line == f.start.0 { f.start.1 } else { 0 };
    let mut hi = if l.line == f.end.0 {
        f.end.1
    } else {
        usize::MAX
    };
    if hi <= lo {
        hi = lo + 1;
    }
    lo < l.end && l.start < hi
}

/// The project folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `wirecheck` binary in `dir` with `args`, `stdin` on its standard input and
/// `NO_COLOR` set.
pub fn wirecheck_in(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirecheck"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut pipe = child.stdin.take().unwrap();
    // A run that fails on its options exits before reading: a broken pipe here is fine.
    let _ = pipe.write_all(stdin);
    drop(pipe);
    child.wait_with_output().unwrap()
}

/// Standard output as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
