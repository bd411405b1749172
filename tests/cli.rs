//! End-to-end tests of the `wirecheck` binary: exact findings on the bundled real wire,
//! the report contract, exit codes, and bad input that never stops the run.

mod common;

use std::path::Path;
use std::process::Output;

use common::{root, stderr, stdout};

fn wirecheck(args: &[&str]) -> Output {
    common::wirecheck_in(&root(), args, b"")
}

fn wirecheck_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    common::wirecheck_in(&root(), args, stdin.unwrap_or_default())
}

/// (line, column, end_column, rule) of every row of a findings CSV.
fn rows(csv_text: &str) -> Vec<(usize, usize, usize, String)> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[1].parse().unwrap(),
                r[2].parse().unwrap(),
                r[4].parse().unwrap(),
                r[5].to_string(),
            )
        })
        .collect()
}

fn temp_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn seed_wire_gets_exactly_the_expected_findings() {
    let out = wirecheck(&["--format", "findings-csv", "data/samples/fr-seed.txt"]);
    assert_eq!(out.status.code(), Some(1), "errors found: exit 1");
    let expected: Vec<(usize, usize, usize, &str)> = vec![
        (1, 1, 115, "fr.mt-disclaimer"),
        (2, 1, 62, "fr.editorial-note"),
        (5, 44, 67, "fr.straight-quotes"),
        (5, 87, 172, "fr.straight-quotes"),
        (5, 141, 144, "fr.hyphen-as-dash"),
        (6, 1, 117, "fr.straight-quotes"),
        (7, 126, 127, "common.space-before-punctuation"),
        (8, 80, 83, "common.empty-brackets"),
        (9, 1, 212, "fr.straight-quotes"),
        (9, 206, 211, "fr.no-space-before-punctuation"),
        (9, 213, 222, "fr.capitalised-reporting-verb"),
        (11, 112, 119, "common.ticker-residue"),
        (11, 128, 138, "common.ticker-residue"),
        (11, 138, 139, "common.space-before-punctuation"),
        (13, 1, 14, "fr.page-furniture"),
        (14, 1, 52, "fr.page-furniture"),
        (15, 1, 39, "fr.page-furniture"),
        (16, 1, 48, "fr.page-furniture"),
        (17, 1, 24, "fr.page-furniture"),
        (18, 1, 7, "fr.page-furniture"),
    ];
    let got = rows(&stdout(&out));
    let got: Vec<(usize, usize, usize, &str)> = got
        .iter()
        .map(|(l, c, e, r)| (*l, *c, *e, r.as_str()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn reports_follow_the_taxonomy_contract() {
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("findings.csv");
    let sentences = dir.path().join("sentences.csv");
    let out = wirecheck(&[
        "--findings",
        findings.to_str().unwrap(),
        "--csv",
        sentences.to_str().unwrap(),
        "--format",
        "json",
        "data/samples/",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let f = std::fs::read_to_string(&findings).unwrap();
    let s = std::fs::read_to_string(&sentences).unwrap();
    assert_eq!(
        f.lines().next().unwrap(),
        "file,line,column,end_line,end_column,rule,category,severity,message,excerpt,suggestion,sentence_id,sentence_score"
    );
    assert_eq!(
        s.lines().next().unwrap(),
        "file,sentence_id,line,column,end_line,end_column,score,worst_severity,rules,text"
    );
    // The empty brackets row: excerpt, suggestion (delete: empty), its sentence and score.
    let row = f
        .lines()
        .find(|l| l.contains("common.empty-brackets"))
        .unwrap();
    assert!(
        row.starts_with(
            "data/samples/fr-seed.txt,8,80,8,83,common.empty-brackets,empty-brackets,error,"
        ),
        "{row}"
    );
    assert!(row.ends_with(", (),,10,75"), "{row}");
    // Furniture lines are sentences of their own, scored low; clean sentences score 100.
    assert!(s.contains("data/samples/fr-seed.txt,3,3,1,3,195,100,,,"));
    assert!(
        s.contains(",15,1,15,39,75,error,fr.page-furniture,Vous êtes déjà membre ? Connectez-vous")
    );
    // JSON Lines: one object per finding, one summary per file, each typed.
    let json = stdout(&out);
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.iter().filter(|v| v["type"] == "finding").count(), 20);
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["language"], "fr");
    assert_eq!(summary["findings"], 20);
}

#[test]
fn text_output_marks_the_span_without_colour_when_piped() {
    let out = wirecheck(&["data/samples/fr-seed.txt"]);
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "no colour in a pipe");
    let expected = "data/samples/fr-seed.txt:8:80: error[common.empty-brackets] empty brackets left where a ticker, link or figure was stripped\n";
    let at = text.find(expected).expect("finding line");
    let rest: Vec<&str> = text[at + expected.len()..].lines().take(4).collect();
    assert_eq!(rest[0], "  |");
    assert!(
        rest[1].starts_with(
            "8 | …, M. Vaishnaw a fait l'éloge de la startup chinoise DeepSeek () pour"
        ),
        "{}",
        rest[1]
    );
    assert_eq!(rest[2], format!("  | {}^^^", " ".repeat(61)));
    assert_eq!(rest[3], "  = fix: delete it");
    assert!(text.ends_with(
        "  75  data/samples/fr-seed.txt:14  Vous devez être membre pour ajouter un commentaire.\n"
    ));
    assert!(text.contains("\n1 file, 23 sentences: 9 errors, 9 warnings, 2 info\nlowest-scoring sentences:\n   40  data/samples/fr-seed.txt:11  "));
}

#[test]
fn clean_text_on_stdin_exits_zero_with_only_the_summary() {
    let text = std::fs::read(root().join("tests/fixtures/clean.txt")).unwrap();
    let out = wirecheck_with_stdin(&["--lang", "fr"], Some(&text));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "1 file, 2 sentences: 0 errors, 0 warnings, 0 info\n"
    );
}

#[test]
fn fail_on_and_min_score_pick_the_exit_code() {
    let warning_only = b"Le taux a atteint 2.5% en mars.".as_slice();
    let run = |args: &[&str]| wirecheck_with_stdin(args, Some(warning_only)).status.code();
    assert_eq!(
        run(&["--lang", "fr"]),
        Some(0),
        "a warning does not fail by default"
    );
    assert_eq!(run(&["--lang", "fr", "--fail-on", "warning"]), Some(1));
    assert_eq!(
        run(&["--lang", "fr", "--fail-on", "never", "--min-score", "95"]),
        Some(1)
    );
    assert_eq!(
        run(&["--lang", "fr", "--fail-on", "never", "--min-score", "50"]),
        Some(0)
    );
    assert_eq!(
        run(&["--lang", "fr", "--fail-on", "sometimes"]),
        Some(2),
        "a bad option value"
    );
}

#[test]
fn a_missing_file_is_reported_and_the_others_are_still_checked() {
    let out = wirecheck(&[
        "--format",
        "findings-csv",
        "no/such/file.txt",
        "data/samples/fr-seed.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("wirecheck: no/such/file.txt: no such file or folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        rows(&stdout(&out)).len(),
        20,
        "the good file is still reported"
    );
}

#[test]
fn a_binary_file_gets_a_clear_error_and_does_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let bin = temp_file(
        dir.path(),
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    let good = temp_file(
        dir.path(),
        "wire.txt",
        "La startup DeepSeek () a levé des fonds.".as_bytes(),
    );
    let out = wirecheck(&["--lang", "fr", "--format", "findings-csv", &bin, &good]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "wirecheck: {bin}: binary file (contains NUL bytes), not checked"
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        rows(&stdout(&out)),
        vec![(1, 20, 23, "common.empty-brackets".to_string())]
    );
}

#[test]
fn an_empty_file_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let empty = temp_file(dir.path(), "empty.txt", b"");
    let out = wirecheck(&["--format", "csv", &empty]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).lines().count(), 1, "header only");
}

#[test]
fn invalid_utf8_is_reported_in_place_and_the_rest_is_checked() {
    let out = wirecheck(&[
        "--lang",
        "fr",
        "--format",
        "findings-csv",
        "tests/fixtures/latin1.txt",
    ]);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let summary: Vec<(String, String, String, String)> = records
        .iter()
        .map(|r| {
            (
                r[1].to_string(),
                r[2].to_string(),
                r[5].to_string(),
                r[8].to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "1".into(),
                "7".into(),
                "common.mojibake".into(),
                "invalid UTF-8 byte(s) 0xE9 in the file".into()
            ),
            (
                "1".into(),
                "18".into(),
                "common.mojibake".into(),
                "invalid UTF-8 byte(s) 0xE9 in the file".into()
            ),
            (
                "2".into(),
                "9".into(),
                "common.double-space".into(),
                "doubled space".into()
            ),
        ]
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_malformed_rule_file_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let pack = temp_file(
        dir.path(),
        "house.toml",
        b"[[rule]]\nid = \"house.x\"\ncategory = \"typography\"\nseverity = \"loud\"\nmessage = \"m\"\npattern = \"x\"\n",
    );
    let out = wirecheck(&["--rules", &pack, "data/samples/fr-seed.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{pack}:4:")) && err.contains("loud"),
        "{err}"
    );

    let bad_regex = temp_file(
        dir.path(),
        "regex.toml",
        b"[[rule]]\nid = \"house.y\"\ncategory = \"typography\"\nseverity = \"info\"\nmessage = \"m\"\npattern = \"(unclosed\"\n[[rule.bad]]\ntext = \"a\"\nflag = \"a\"\n[[rule.good]]\ntext = \"b\"\n",
    );
    let out = wirecheck(&["--rules", &bad_regex, "data/samples/fr-seed.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{bad_regex}:6: rule `house.y`: invalid pattern")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_house_pack_adds_rules_and_overrides_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    let pack = temp_file(
        dir.path(),
        "house.toml",
        r#"language = "fr"

[[rule]]
id = "house.no-startup"
category = "stray-english"
severity = "warning"
message = "write « jeune pousse »"
pattern = '(?i)(?-u:\b)startup(?-u:\b)'
[[rule.bad]]
text = "la startup chinoise"
flag = "startup"
[[rule.good]]
text = "la jeune pousse chinoise"

[[rule]]
id = "common.empty-brackets"
category = "empty-brackets"
severity = "info"
message = "house: empty brackets are only a hint here"
pattern = '\(\)'
[[rule.bad]]
text = "DeepSeek ()"
flag = "()"
[[rule.good]]
text = "DeepSeek"
"#
        .as_bytes(),
    );
    let out = wirecheck(&[
        "--rules",
        &pack,
        "--format",
        "findings-csv",
        "data/samples/fr-seed.txt",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains(",house.no-startup,stray-english,warning,write « jeune pousse »,startup,"),
        "{text}"
    );
    assert!(text.contains(",common.empty-brackets,empty-brackets,info,house: empty brackets are only a hint here,(),"), "{text}");
}

#[test]
fn list_rules_names_every_rule_once() {
    let out = wirecheck(&["--list-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let ids: Vec<String> = stdout(&out)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    for id in [
        "common.empty-brackets",
        "common.ticker-residue",
        "fr.straight-quotes",
        "fr.stray-english",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} listed");
    }
}

#[test]
fn folders_are_walked_in_sorted_order_with_extra_extensions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let text = "La startup DeepSeek () a levé des fonds.".as_bytes();
    temp_file(dir.path(), "b.txt", text);
    temp_file(&dir.path().join("sub"), "a.txt", text);
    temp_file(dir.path(), "c.md", text);
    let d = dir.path().display().to_string();
    let files = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["--lang", "fr", "--format", "findings-csv"];
        args.extend_from_slice(extra);
        args.push(&d);
        let out = wirecheck(&args);
        let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
        reader
            .records()
            .map(|r| r.unwrap()[0].rsplit('/').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(files(&[]), ["b.txt", "a.txt"]);
    assert_eq!(files(&["--ext", "md"]), ["b.txt", "c.md", "a.txt"]);
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    // Far more report than a pipe buffers, so that writing fails once the reader is gone.
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read(root().join("data/samples/fr-seed.txt")).unwrap();
    for i in 0..60 {
        std::fs::write(dir.path().join(format!("story-{i:02}.txt")), &seed).unwrap();
    }
    for jobs in ["1", "2"] {
        for format in ["csv", "findings-csv", "text"] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_wirecheck"))
                .args(["--jobs", jobs, "--format", format])
                .arg(dir.path())
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut first)
                .unwrap();
            assert!(!first.is_empty());
            // The reader has gone (stdout dropped above).
            let status = child.wait().unwrap();
            let mut errors = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut errors)
                .unwrap();
            assert_eq!(errors, "", "--jobs {jobs} --format {format}");
            assert!(
                status.success(),
                "--jobs {jobs} --format {format}: {status}"
            );
        }
    }
}
