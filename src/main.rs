//! The `wirecheck` binary: the only place that prints and picks the exit code.

mod cli;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Args, ColorChoice, Format};
use wirecheck::input::{self, Source};
use wirecheck::report::csv::{FindingsWriter, SentencesWriter};
use wirecheck::report::text::{self, Style};
use wirecheck::{Checker, Report, RuleSet};

/// Exit codes: nothing reached the threshold, something did, an input or option failed.
const EXIT_CLEAN: u8 = 0;
const EXIT_FOUND: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("wirecheck: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn load_rules(paths: &[PathBuf]) -> Result<RuleSet> {
    let mut extra = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("{}: cannot read rule pack", p.display()))?;
        extra.push((p.display().to_string(), text));
    }
    Ok(RuleSet::load(&extra)?)
}

/// A report file, or standard output for `-`.
fn open_output(path: &Path) -> Result<Box<dyn Write>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(io::stdout().lock()))
    } else {
        let f = File::create(path)
            .with_context(|| format!("{}: cannot create report", path.display()))?;
        Ok(Box::new(BufWriter::new(f)))
    }
}

fn run(args: &Args) -> Result<u8> {
    let rules = load_rules(&args.rules)?;
    if args.list_rules {
        let mut out = io::stdout().lock();
        for r in &rules.rules {
            let lang = if r.language == "*" {
                "all"
            } else {
                &r.language
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                r.id, r.category, r.severity, lang, r.message
            )?;
        }
        return Ok(EXIT_CLEAN);
    }
    let checker = Checker::new(rules);
    let language = args.language();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = Style { color };

    let mut findings_csv = args
        .findings
        .as_deref()
        .map(open_output)
        .transpose()?
        .map(FindingsWriter::new)
        .transpose()?;
    let mut sentences_csv = args
        .csv
        .as_deref()
        .map(open_output)
        .transpose()?
        .map(SentencesWriter::new)
        .transpose()?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut stdout_findings = (args.format == Format::FindingsCsv)
        .then(|| FindingsWriter::new(Vec::new()))
        .transpose()?;
    let mut stdout_sentences = (args.format == Format::Csv)
        .then(|| SentencesWriter::new(Vec::new()))
        .transpose()?;

    let (sources, input_errors) = input::expand(&args.paths, &args.extensions());
    let mut had_error = false;
    for e in &input_errors {
        eprintln!("wirecheck: {}: {}", e.name, e.message);
        had_error = true;
    }
    let threshold = args.fail_on.threshold();
    let mut failed = false;
    for source in &sources {
        let name = source.display_name();
        let report = match read_and_check(&checker, source, &language) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("wirecheck: {name}: {e}");
                had_error = true;
                continue;
            }
        };
        failed |= threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t))
            || args
                .min_score
                .is_some_and(|min| report.scores.iter().any(|s| s.score < min));
        if let Some(w) = findings_csv.as_mut() {
            w.write(&name, &report)?;
        }
        if let Some(w) = sentences_csv.as_mut() {
            w.write(&name, &report)?;
        }
        match args.format {
            Format::Text => out.write_all(text::render(&name, &report, style).as_bytes())?,
            Format::Json => write_json(&mut out, &name, &report)?,
            Format::FindingsCsv => stdout_findings
                .as_mut()
                .expect("set")
                .write(&name, &report)?,
            Format::Csv => stdout_sentences
                .as_mut()
                .expect("set")
                .write(&name, &report)?,
        }
    }
    if let Some(w) = stdout_findings {
        out.write_all(&w.finish()?)?;
    }
    if let Some(w) = stdout_sentences {
        out.write_all(&w.finish()?)?;
    }
    out.flush()?;
    if let Some(w) = findings_csv {
        w.finish()?.flush()?;
    }
    if let Some(w) = sentences_csv {
        w.finish()?.flush()?;
    }
    Ok(if had_error {
        EXIT_ERROR
    } else if failed {
        EXIT_FOUND
    } else {
        EXIT_CLEAN
    })
}

fn read_and_check(
    checker: &Checker,
    source: &Source,
    language: &wirecheck::LanguageChoice,
) -> Result<Report> {
    let bytes = source.read().context("cannot read")?;
    Ok(checker.check_bytes(&bytes, language)?)
}

fn write_json(out: &mut impl Write, name: &str, report: &Report) -> Result<()> {
    let positions = wirecheck::report::finding_positions(report);
    for (f, (start, end)) in report.findings.iter().zip(positions) {
        let value = serde_json::json!({
            "type": "finding",
            "file": name,
            "line": start.line,
            "column": start.column,
            "end_line": end.line,
            "end_column": end.column,
            "rule": f.rule,
            "category": f.category.as_str(),
            "severity": f.severity.as_str(),
            "message": f.message,
            "excerpt": &report.document.text[f.span.clone()],
            "suggestion": f.fix,
            "sentence_id": f.sentence + 1,
            "sentence_score": report.scores.get(f.sentence).map_or(100, |s| s.score),
        });
        writeln!(out, "{value}")?;
    }
    let summary = serde_json::json!({
        "type": "summary",
        "file": name,
        "language": report.language,
        "sentences": report.document.sentences.len(),
        "findings": report.findings.len(),
        "score": report.score(),
    });
    writeln!(out, "{summary}")?;
    Ok(())
}
