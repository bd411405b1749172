//! The README's workflows, run as written: the CI steps on the bundled sample and the
//! editor's check, diff and fix on a copy of it.

mod common;

use common::root;

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    common::wirecheck_in(dir, args, b"")
}

#[test]
fn ci_steps_pass_with_the_committed_baseline() {
    let o = run(
        &root(),
        &[
            "--format",
            "github",
            "--baseline",
            "data/samples/wirecheck-baseline.json",
            "data/samples/",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stdout.is_empty(),
        "every finding of the sample is in its baseline"
    );
    let o = run(
        &root(),
        &["--format", "sarif", "--fail-on", "never", "data/samples/"],
    );
    assert_eq!(o.status.code(), Some(0));
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 20);
}

#[test]
fn editor_workflow_check_diff_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("data/samples/fr-seed.txt"),
        dir.path().join("story.txt"),
    )
    .unwrap();
    let check = run(dir.path(), &["story.txt"]);
    assert_eq!(check.status.code(), Some(1));
    let diff = run(dir.path(), &["--diff", "story.txt"]);
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(diff.contains("+Il s'agissait de la première visite d'Altman depuis 2023 en Inde, où son entreprise est confrontée à des problèmes juridiques.\n"));
    assert!(
        diff.contains("que beaucoup d'autres font\u{202F}?\u{A0}» a déclaré M. Vaishnaw"),
        "{diff}"
    );
    let fix = run(dir.path(), &["--fix", "story.txt"]);
    assert_eq!(
        String::from_utf8(fix.stderr).unwrap(),
        "wirecheck: story.txt: fixed 12 findings\n"
    );
    let after = run(dir.path(), &["--format", "findings-csv", "story.txt"]);
    let rules: Vec<String> = String::from_utf8(after.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(5).unwrap().to_string())
        .collect();
    assert_eq!(
        rules.iter().filter(|r| *r == "fr.page-furniture").count(),
        6,
        "what has no safe fix stays: {rules:?}"
    );
    assert_eq!(
        rules.len(),
        8,
        "the furniture and the two wire notes are left: {rules:?}"
    );
}

/// The README's scripts (the bench, the profile-guided build) are too slow to run here;
/// bash must at least parse them.
#[test]
fn the_readme_scripts_parse() {
    for script in ["scripts/bench.sh", "scripts/build-pgo.sh"] {
        let Ok(o) = std::process::Command::new("bash")
            .args(["-n", script])
            .current_dir(root())
            .output()
        else {
            eprintln!("skipped: no bash here");
            return;
        };
        assert!(
            o.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
