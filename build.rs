//! Embeds every `rules/**/*.toml` pack into the binary, in sorted path order, and turns
//! the word lists of `data/wordlists/` into perfect-hash tables (no parsing at start-up).

use std::fs;
use std::path::{Path, PathBuf};

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

/// `data/wordlists/NAME.tsv` (`word<TAB>zipf`) -> `static NAME: phf::Map<&str, f32>`.
fn word_lists(root: &Path, out_dir: &Path) {
    let mut code = String::new();
    for (name, file) in [("EN_ZIPF", "en-zipf.tsv"), ("FR_ZIPF", "fr-zipf.tsv")] {
        let path = root.join("data/wordlists").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap();
        let mut map = phf_codegen::Map::new();
        let mut seen = std::collections::HashSet::new();
        for line in text.lines() {
            let Some((word, zipf)) = line.split_once('\t') else {
                continue;
            };
            let zipf: f32 = zipf.trim().parse().unwrap();
            if seen.insert(word) {
                map.entry(word, format!("{zipf:?}f32"));
            }
        }
        code.push_str(&format!(
            "static {name}: phf::Map<&'static str, f32> = {};\n",
            map.build()
        ));
    }
    fs::write(out_dir.join("word_lists.rs"), code).unwrap();
}

fn main() {
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
