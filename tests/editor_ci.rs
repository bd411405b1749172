//! Command-line tests of the editor and CI workflows: configuration discovery and
//! precedence, baselines, --fix and --diff, the machine formats, feeds and house packs.

mod common;

use common::{root, stderr as err, stdout as out, wirecheck_in};

const WIRE: &str = "Le taux est de 2.5% et la startup DeepSeek () monte.\n";

#[test]
fn github_format_prints_workflow_annotations() {
    let o = wirecheck_in(
        &root(),
        &["--lang", "fr", "--format", "github", "-"],
        WIRE.as_bytes(),
    );
    assert_eq!(
        out(&o),
        "::warning file=-,line=1,col=16,endLine=1,endColumn=19,title=fr.decimal-point::decimal point where French uses a decimal comma\n\
         ::notice file=-,line=1,col=19,endLine=1,endColumn=20,title=fr.percent-no-space::no space before `%25` (French typography puts a no-break space there)\n\
         ::error file=-,line=1,col=43,endLine=1,endColumn=46,title=common.empty-brackets::empty brackets left where a ticker, link or figure was stripped\n"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let o = wirecheck_in(
        &root(),
        &["--format", "sarif", "data/samples/fr-seed.txt"],
        b"",
    );
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 20);
    let brackets = results
        .iter()
        .find(|r| r["ruleId"] == "common.empty-brackets")
        .unwrap();
    let region = &brackets["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            region["startLine"].as_u64(),
            region["startColumn"].as_u64(),
            region["endColumn"].as_u64()
        ),
        (Some(8), Some(80), Some(83))
    );
    assert_eq!(
        brackets["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        ""
    );
    let index = brackets["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "common.empty-brackets"
    );
}

#[test]
fn config_is_found_walking_up_and_flags_win_over_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wirecheck.toml"),
        "lang = \"fr\"\nfail-on = \"warning\"\ndisable = [\"number-format\"]\n\n[rule.\"common.empty-brackets\"]\nseverity = \"warning\"\n",
    )
    .unwrap();
    let deep = dir.path().join("desk/monday");
    std::fs::create_dir_all(&deep).unwrap();
    let o = wirecheck_in(&deep, &["--format", "findings-csv", "-"], WIRE.as_bytes());
    let text = out(&o);
    assert_eq!(
        text.lines().count(),
        2,
        "number-format switched off: {text}"
    );
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("-,1,43,1,46,common.empty-brackets,empty-brackets,warning,"));
    assert_eq!(o.status.code(), Some(1), "fail-on warning from the file");
    let o = wirecheck_in(&deep, &["--fail-on", "error", "-"], WIRE.as_bytes());
    assert_eq!(o.status.code(), Some(0), "the flag wins over the file");
    let o = wirecheck_in(
        &deep,
        &[
            "--no-config",
            "--lang",
            "fr",
            "--format",
            "findings-csv",
            "-",
        ],
        WIRE.as_bytes(),
    );
    assert_eq!(
        out(&o).lines().count(),
        4,
        "without the file every rule is back"
    );

    let dump = wirecheck_in(&deep, &["--dump-config", "--min-score", "60"], b"");
    let shown = out(&dump);
    assert!(
        shown.starts_with(&format!(
            "# from {}\n",
            dir.path().join("wirecheck.toml").display()
        )),
        "{shown}"
    );
    assert!(
        shown.contains(
            "lang = \"fr\"\nfail-on = \"warning\"\nmin-score = 60\ndisable = [\"number-format\"]\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("[rule.\"common.empty-brackets\"]\nseverity = \"warning\"\n"),
        "{shown}"
    );
}

#[test]
fn bad_config_keys_and_values_name_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("house.toml");
    std::fs::write(
        &path,
        "lang = \"fr\"\n[house-style]\npunctuation-space = \"wide\"\n",
    )
    .unwrap();
    let o = wirecheck_in(dir.path(), &["--config", "house.toml", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("wirecheck: house.toml:3: unknown variant `wide`"),
        "{}",
        err(&o)
    );
    std::fs::write(&path, "disable = [\"fr.no-such-rule\"]\n").unwrap();
    let o = wirecheck_in(dir.path(), &["--config", "house.toml", "-"], b"");
    assert_eq!(
        err(&o),
        "wirecheck: house.toml: disable: `fr.no-such-rule` is neither a rule id nor a category\n"
    );
}

#[test]
fn house_style_changes_fixes_and_allows_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wirecheck.toml"),
        "lang = \"fr\"\nallow = [\"deeply\", \"flawed\"]\n[house-style]\npunctuation-space = \"nbsp\"\ntickers-in-parentheses = \"flag\"\n",
    )
    .unwrap();
    let text = "Pourquoi? Apple (AAPL.O) a dit que the ruling was deeply flawed.\n";
    let o = wirecheck_in(
        dir.path(),
        &["--format", "findings-csv", "-"],
        text.as_bytes(),
    );
    let rows: Vec<String> = out(&o).lines().skip(1).map(String::from).collect();
    assert!(
        rows[0].starts_with("-,1,1,1,10,fr.no-space-before-punctuation,typography,warning,")
            && rows[0].ends_with(",Pourquoi\u{a0}?,1,90"),
        "{rows:?}"
    );
    assert!(rows[1].starts_with("-,1,16,1,25,common.ticker-residue,ticker-residue,error,instrument code `AAPL.O` left in running text, (AAPL.O),,"), "{rows:?}");
    assert!(
        rows[2].contains(",fr.stray-english,") && rows[2].contains(",the ruling was,"),
        "allowed words stop the run: {rows:?}"
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn a_baseline_accepts_old_findings_even_after_edits_above_them() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, WIRE).unwrap();
    let o = wirecheck_in(
        dir.path(),
        &[
            "--lang",
            "fr",
            "--write-baseline",
            "baseline.json",
            "story.txt",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let saved = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(
        saved.contains("\"rule\": \"common.empty-brackets\",\n      \"excerpt\": \" ()\""),
        "{saved}"
    );
    let with_baseline = || {
        let args = [
            "--lang",
            "fr",
            "--baseline",
            "baseline.json",
            "--format",
            "findings-csv",
            "story.txt",
        ];
        wirecheck_in(dir.path(), &args, b"")
    };
    std::fs::write(&story, format!("Une ligne ajoutée au-dessus.\n{WIRE}")).unwrap();
    let o = with_baseline();
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(out(&o).lines().count(), 1, "header only");
    std::fs::write(&story, format!("{WIRE}Un nouveau défaut [] ici.\n")).unwrap();
    let o = with_baseline();
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("story.txt,2,18,2,21,common.empty-brackets,"),
        "{rows:?}"
    );
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("story.txt"), WIRE).unwrap();
    let o = wirecheck_in(dir.path(), &["--lang", "fr", "--diff", "story.txt"], b"");
    assert_eq!(
        out(&o),
        "--- a/story.txt\n+++ b/story.txt\n@@ -1 +1 @@\n-Le taux est de 2.5% et la startup DeepSeek () monte.\n+Le taux est de 2,5\u{a0}% et la startup DeepSeek monte.\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("story.txt")).unwrap(),
        WIRE
    );
}

#[test]
fn fix_writes_in_place_keeps_permissions_and_leaves_nothing_to_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, format!("\u{feff}{WIRE}")).unwrap();
    std::fs::set_permissions(&story, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = wirecheck_in(dir.path(), &["--lang", "fr", "--fix", "story.txt"], b"");
    assert_eq!(err(&o), "wirecheck: story.txt: fixed 3 findings\n");
    assert_eq!(o.status.code(), Some(0), "nothing left at the threshold");
    assert_eq!(
        std::fs::read_to_string(&story).unwrap(),
        "\u{feff}Le taux est de 2,5\u{a0}% et la startup DeepSeek monte.\n"
    );
    assert_eq!(
        std::fs::metadata(&story).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let again = wirecheck_in(dir.path(), &["--lang", "fr", "--fix", "story.txt"], b"");
    assert_eq!(err(&again), "", "a second run has nothing to fix");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[test]
fn fix_on_stdin_prints_the_fixed_text() {
    let o = wirecheck_in(&root(), &["--lang", "fr", "--fix"], WIRE.as_bytes());
    assert_eq!(
        out(&o),
        "Le taux est de 2,5\u{a0}% et la startup DeepSeek monte.\n"
    );
}

#[test]
fn fix_refuses_a_file_it_could_not_write_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("latin1.txt");
    let bytes = b"Le caf\xe9 DeepSeek () monte.\n";
    std::fs::write(&story, bytes).unwrap();
    let o = wirecheck_in(dir.path(), &["--lang", "fr", "--fix", "latin1.txt"], b"");
    assert!(
        err(&o).contains("latin1.txt: not fixed: the file is not valid UTF-8"),
        "{}",
        err(&o)
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&story).unwrap(), bytes);
}

#[test]
fn jsonl_feed_reports_records_by_id_and_a_malformed_record_by_line() {
    let feed = "{\"meta\":{\"id\":\"r1\"},\"body\":\"Un texte propre.\"}\n{broken\n{\"meta\":{\"id\":\"r3\"},\"body\":\"DeepSeek () monte.\"}\n";
    let o = wirecheck_in(
        &root(),
        &[
            "--input",
            "jsonl",
            "--text-field",
            "body",
            "--id-field",
            "meta.id",
            "--lang",
            "fr",
            "--format",
            "findings-csv",
            "-",
        ],
        feed.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("wirecheck: -:2: malformed record: malformed JSON: key must be a string at line 1 column 2"), "{}", err(&o));
    let text = out(&o);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("r3,1,9,1,12,common.empty-brackets,"),
        "{rows:?}"
    );
}

#[test]
fn csv_and_ninjs_feeds_point_into_their_records() {
    let csv = "id,text\na1,\"Un texte, sans défaut.\"\na2,\"DeepSeek () monte.\"\n";
    let o = wirecheck_in(
        &root(),
        &[
            "--input",
            "csv",
            "--lang",
            "fr",
            "--format",
            "findings-csv",
            "-",
        ],
        csv.as_bytes(),
    );
    let text = out(&o);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("a2,1,9,1,12,common.empty-brackets,"),
        "{rows:?}"
    );

    let ninjs = r#"{"uri":"urn:story:9","body_html":"<p>Le titre &amp; la suite.</p>\n<p>La startup <b>DeepSeek</b> () monte.</p>"}"#;
    let o = wirecheck_in(
        &root(),
        &[
            "--input",
            "ninjs",
            "--lang",
            "fr",
            "--format",
            "findings-csv",
            "-",
        ],
        ninjs.as_bytes(),
    );
    let text = out(&o);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    // Line 2, columns in the HTML: `<p>La startup <b>DeepSeek</b>` is 29 characters.
    assert!(
        rows[0].starts_with("urn:story:9,2,30,2,33,common.empty-brackets,"),
        "{rows:?}"
    );
}

#[test]
fn rules_test_reports_a_broken_house_pack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("house.toml"),
        r#"language = "fr"

[[rule]]
id = "house.jeune-pousse"
category = "stray-english"
severity = "warning"
message = "write « jeune pousse »"
pattern = 'startups?'
[[rule.bad]]
text = "la startup chinoise"
flag = "startup"
[[rule.bad]]
text = "une start-up chinoise"
flag = "start-up"
[[rule.good]]
text = "les startups chinoises"
"#,
    )
    .unwrap();
    let o = wirecheck_in(dir.path(), &["rules", "test", "house.toml"], b"");
    assert_eq!(
        out(&o),
        "FAIL house.jeune-pousse (house.toml:3): bad example \"une start-up chinoise\": expected to flag \"start-up\", flagged []\n\
         FAIL house.jeune-pousse (house.toml:3): good example \"les startups chinoises\": flagged [\"startups\"]\n\
         1 rules, 3 examples, 2 failures\n"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn explain_prints_a_rule_with_its_examples() {
    let o = wirecheck_in(&root(), &["--explain", "common.empty-brackets"], b"");
    let text = out(&o);
    assert!(
        text.starts_with(
            "common.empty-brackets (empty-brackets, error, weight 25, all languages)\n"
        ),
        "{text}"
    );
    assert!(text.contains("  \"la startup chinoise DeepSeek () pour\"\n    flags \" ()\"\n    fixed \"la startup chinoise DeepSeek pour\"\n"));
    assert!(text.contains("\nLeaves alone:\n"));
    let o = wirecheck_in(&root(), &["--explain", "nope"], b"");
    assert_eq!(err(&o), "wirecheck: no rule `nope` (see --list-rules)\n");
}

#[test]
fn parallel_and_single_threaded_runs_print_the_same() {
    let one = wirecheck_in(
        &root(),
        &[
            "--jobs",
            "1",
            "--format",
            "findings-csv",
            "tests/fixtures",
            "data/samples",
        ],
        b"",
    );
    let many = wirecheck_in(
        &root(),
        &[
            "--jobs",
            "4",
            "--format",
            "findings-csv",
            "tests/fixtures",
            "data/samples",
        ],
        b"",
    );
    assert_eq!(one.stdout, many.stdout);
    assert!(out(&one).lines().count() > 20);
}

#[test]
fn every_story_of_a_large_folder_is_reported_once_in_order() {
    // More stories than several chunks hold (a thread takes them 64 at a time, checked 16
    // at a time): each has one finding of its own, an empty ticker bracket.
    let dir = tempfile::tempdir().unwrap();
    let stories = 150;
    for i in 0..stories {
        let text = format!("La société Alpha{i} () a publié ses résultats mardi.\n");
        std::fs::write(dir.path().join(format!("story-{i:03}.txt")), text).unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    let run = |jobs: &str| {
        out(&wirecheck_in(
            &root(),
            &["--jobs", jobs, "--format", "findings-csv", folder],
            b"",
        ))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let files: Vec<&str> = one
        .lines()
        .skip(1)
        .filter(|row| row.contains("empty-brackets"))
        .map(|row| row.split(',').next().unwrap())
        .collect();
    let expected: Vec<String> = (0..stories)
        .map(|i| format!("{folder}/story-{i:03}.txt"))
        .collect();
    assert_eq!(files, expected);
}
