//! Time spent in each rule over a folder of wires (one thread), slowest first: where to
//! look when the benchmark slows down.
//!
//! cargo run --release --example rule_timing -- FOLDER

use std::time::{Duration, Instant};

use wirecheck::text::Document;
use wirecheck::{Checker, LanguageChoice};

fn main() {
    let dir = std::env::args().nth(1).expect("a folder");
    let checker = Checker::builtin();
    let lang = LanguageChoice::Fixed("fr".into());
    let segmenter = &checker.rules.languages["fr"].segmenter;
    let mut docs = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            docs.push(std::fs::read_to_string(p).unwrap());
        }
    }
    let bytes: usize = docs.iter().map(String::len).sum();
    let start = Instant::now();
    let parsed: Vec<Document> = docs
        .iter()
        .map(|d| Document::new(d.clone(), segmenter))
        .collect();
    println!("segmentation: {:?}", start.elapsed());
    let mut times: Vec<(Duration, &str)> = Vec::new();
    for rule in checker
        .rules
        .rules
        .iter()
        .filter(|r| r.applies_to(Some("fr")))
    {
        let t = Instant::now();
        for doc in &parsed {
            wirecheck::engine::run(&[rule], doc, None);
        }
        times.push((t.elapsed(), &rule.id));
    }
    times.sort_by(|a, b| b.cmp(a));
    for (t, id) in &times {
        println!(
            "{:>10.1} MB/s {:>8.1?} {id}",
            bytes as f64 / t.as_secs_f64() / 1e6,
            t
        );
    }
    let t = Instant::now();
    let pf = checker.rules.prefilter().expect("prefilter");
    let mut row = vec![wirecheck::text::LastEnd::NONE; pf.patterns()];
    for doc in &parsed {
        for p in &doc.paragraphs {
            pf.matches(&doc.text[p.clone()], &mut row);
            std::hint::black_box(&row);
        }
    }
    println!(
        "prefilter: {:.1} MB/s",
        bytes as f64 / t.elapsed().as_secs_f64() / 1e6
    );
    let t = Instant::now();
    for d in &docs {
        checker.check_text(d, &lang);
    }
    println!(
        "whole pipeline: {:.1} MB/s",
        bytes as f64 / t.elapsed().as_secs_f64() / 1e6
    );
}
