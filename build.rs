//! Embeds every `rules/**/*.toml` pack into the binary, in sorted path order, and turns
//! the word lists of `data/wordlists/` into tables (no parsing at start-up).

use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/word_filter.rs"]
#[allow(dead_code)]
mod word_filter;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Zipf given to a word missing from a target-language list (the lists stop at 2.0).
const MISSING_ZIPF: f32 = 1.5;

/// English words far less frequent in English than in the target language (`de`, `la`)
/// are left out of the English-margin tables: they are never English evidence.
const MIN_MARGIN: f32 = -0.5;

/// The words at least this much more frequent in English get a Bloom filter of their own:
/// the stray-English detector's first pass, which looks for such words in every sentence,
/// then rarely touches the table.
const STRONG_MARGIN: f32 = 1.0;

fn read_list(path: &Path) -> Vec<(String, f32)> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::new();
    for line in text.lines() {
        let Some((word, zipf)) = line.split_once('\t') else {
            continue;
        };
        if seen.insert(word) {
            words.push((word.to_string(), zipf.trim().parse().unwrap()));
        }
    }
    words
}

fn phf_table(name: &str, entries: &[(String, f32)]) -> String {
    let mut map = phf_codegen::Map::new();
    for (word, value) in entries {
        map.entry(word.as_str(), format!("{value:?}f32"));
    }
    format!(
        "static {name}: phf::Map<&'static str, f32> = {};\n",
        map.build()
    )
}

/// The words of `entries` (lower-case ASCII) as a table that a lookup finds by their
/// case-folded `WordHash` (see `src/wordlist.rs`): `NAME_WORDS: [(&str, f32); N]`, and
/// `NAME_SLOTS: [u32; 2^k]`, at most half full, each slot 0 (empty) or a word's index
/// plus one, a word in the first free slot from its hash's own.
fn hashed_table(name: &str, entries: &[(String, f32)]) -> String {
    let log2 = (2 * entries.len())
        .max(2)
        .next_power_of_two()
        .trailing_zeros();
    let mut slots = vec![0u32; 1 << log2];
    for (index, (word, _)) in entries.iter().enumerate() {
        assert!(word.bytes().all(|b| !b.is_ascii_uppercase()), "{word}");
        let mut slot = word_filter::WordHash::of(word.as_bytes()).slot(log2);
        while slots[slot] != 0 {
            slot = (slot + 1) & (slots.len() - 1);
        }
        slots[slot] = u32::try_from(index + 1).unwrap();
    }
    let words: Vec<String> = entries
        .iter()
        .map(|(w, m)| format!("({w:?}, {m:?}f32)"))
        .collect();
    format!(
        "static {name}_WORDS: [(&str, f32); {}] = [{}];\n\
         static {name}_SLOTS: [u32; {}] = {slots:?};\n",
        words.len(),
        words.join(", "),
        slots.len()
    )
}

/// `static NAME: [u64; N]`, the Bloom filter (see `src/word_filter.rs`) of the words of `entries`.
fn filter_bits(name: &str, entries: &[(String, f32)]) -> String {
    let mut bits = vec![0u64; word_filter::BLOCKS];
    for (word, _) in entries {
        let (block, mask) = word_filter::WordHash::of(word.as_bytes()).block_and_mask();
        bits[block] |= mask;
    }
    format!("static {name}: [u64; {}] = {bits:?};\n", bits.len())
}

/// `data/wordlists/NAME.tsv` (`word<TAB>zipf`) -> `static NAME: phf::Map<&str, f32>`, and
/// for the French list the English margins: English Zipf minus French Zipf of every
/// English word (letters and apostrophes) whose margin is at least `MIN_MARGIN`, in a
/// table found by hash (see `hashed_table`) and behind Bloom filters.
fn word_lists(root: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed=src/word_filter.rs");
    let dir = root.join("data/wordlists");
    let english = read_list(&dir.join("en-zipf.tsv"));
    let french = read_list(&dir.join("fr-zipf.tsv"));
    let french_zipf: std::collections::HashMap<&str, f32> =
        french.iter().map(|(w, z)| (w.as_str(), *z)).collect();
    let margins: Vec<(String, f32)> = english
        .iter()
        .filter(|(w, _)| w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'\''))
        .map(|(w, en)| {
            let native = french_zipf.get(w.as_str()).copied().unwrap_or(MISSING_ZIPF);
            (w.clone(), en - native)
        })
        .filter(|(_, m)| *m >= MIN_MARGIN)
        .collect();
    let strong: Vec<(String, f32)> = margins
        .iter()
        .filter(|(_, m)| *m >= STRONG_MARGIN)
        .cloned()
        .collect();
    let code = phf_table("EN_ZIPF", &english)
        + &phf_table("FR_ZIPF", &french)
        + &hashed_table("EN_OVER_FR", &margins)
        + &filter_bits("EN_OVER_FR_FILTER", &margins)
        + &filter_bits("EN_OVER_FR_STRONG_FILTER", &strong)
        + &format!("const EN_OVER_FR_STRONG_MARGIN: f32 = {STRONG_MARGIN:?};\n");
    fs::write(out_dir.join("word_lists.rs"), code).unwrap();
}

fn main() {
    // A position-dependent executable: the word tables' 134,000 string pointers are then
    // fixed at link time, not relocated (3 MB touched) by the loader at every start.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = Vec::new();
    collect(&root.join("rules"), &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for file in &files {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push(']');
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("builtin_packs.rs"), code).unwrap();
    word_lists(&root, &out_dir);
    println!("cargo:rerun-if-changed=rules");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
}
