//! Builds the benchmark corpus: about SIZE_MB of wires made from a corpus folder's
//! paragraphs, shuffled, with names and numbers substituted, so that caches and branch
//! predictors see varied text. Writes one file per story into OUT_DIR and all of them,
//! concatenated, into OUT_DIR.txt (for `wc -w`). SEED (2026 by default) chooses another
//! corpus from the same paragraphs (`scripts/build-pgo.sh` trains on one that is not the
//! benchmark's).
//!
//! cargo run --release --example make_bench_corpus -- CORPUS_DIR OUT_DIR SIZE_MB [SEED]

use std::io::Write;

/// A small deterministic generator (SplitMix64): a seed gives the same corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NAMES: &[&str] = &[
    "Altman",
    "Lagarde",
    "Dupont",
    "Moretti",
    "Kowalczyk",
    "Hashimoto",
    "Ferraro",
    "Lindahl",
    "Okafor",
    "Nakamura",
    "Schneider",
    "Rossi",
    "García",
    "Silva",
    "Nguyen",
    "Dubois",
    "Jansen",
    "Novak",
    "Haddad",
    "Mensah",
];

/// Replaces digits by others and some capitalised surnames by others.
fn vary(paragraph: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(paragraph.len() + 16);
    for word in paragraph.split_inclusive(' ') {
        let core = word.trim_end();
        if core.len() > 4 && NAMES.contains(&core) {
            out.push_str(NAMES[rng.below(NAMES.len())]);
            out.push_str(&word[core.len()..]);
        } else if core.chars().all(|c| c.is_ascii_digit()) && !core.is_empty() {
            for _ in core.chars() {
                out.push(char::from(b'0' + rng.below(10) as u8));
            }
            out.push_str(&word[core.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (corpus, out_dir, size_mb) = (&args[1], &args[2], args[3].parse::<usize>().unwrap());
    let mut paragraphs = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let text = std::fs::read_to_string(p).unwrap();
        paragraphs.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    std::fs::create_dir_all(out_dir).unwrap();
    let mut all = std::io::BufWriter::new(std::fs::File::create(format!("{out_dir}.txt")).unwrap());
    let seed = args
        .get(4)
        .map_or(2026, |s| s.parse().expect("SEED is a number"));
    let mut rng = Rng(seed);
    let (mut total, mut story) = (0usize, 0usize);
    while total < size_mb << 20 {
        let len = 8 + rng.below(10);
        let text: String = (0..len)
            .map(|_| vary(&paragraphs[rng.below(paragraphs.len())], &mut rng) + "\n")
            .collect();
        std::fs::write(format!("{out_dir}/story-{story:06}.txt"), &text).unwrap();
        all.write_all(text.as_bytes()).unwrap();
        total += text.len();
        story += 1;
    }
    println!("{story} stories, {total} bytes");
}
