//! The two CSV reports of TAXONOMY.md: one row per finding, one row per sentence.

use std::io;

use super::{finding_positions, sentence_positions, Printer, Sink, Summary};
use crate::Report;

/// Header of the findings CSV.
pub const FINDINGS_HEADER: [&str; 13] = [
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "category",
    "severity",
    "message",
    "excerpt",
    "suggestion",
    "sentence_id",
    "sentence_score",
];

/// Header of the sentences CSV.
pub const SENTENCES_HEADER: [&str; 10] = [
    "file",
    "sentence_id",
    "line",
    "column",
    "end_line",
    "end_column",
    "score",
    "worst_severity",
    "rules",
    "text",
];

/// Which of the two CSV reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    Findings,
    Sentences,
}

/// Writes one of the CSV reports (RFC 4180), header row first.
pub struct CsvPrinter {
    kind: CsvKind,
    out: Sink,
    /// Rows not yet handed on: written to `out` 64 KB at a time, not 8 KB (the csv
    /// crate's default), for eight times fewer system calls.
    buf: Vec<u8>,
}

/// Bytes of rows gathered before they are handed on.
const FLUSH_AT: usize = 64 << 10;

impl CsvPrinter {
    /// Starts the report with its header row.
    pub fn new(kind: CsvKind, out: Sink) -> io::Result<Self> {
        let mut printer = CsvPrinter {
            kind,
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
        };
        match kind {
            CsvKind::Findings => printer.write_row(FINDINGS_HEADER.map(Text))?,
            CsvKind::Sentences => printer.write_row(SENTENCES_HEADER.map(Text))?,
        }
        Ok(printer)
    }

    fn findings(&mut self, file: &str, report: &Report) -> io::Result<()> {
        // The same on every row: quoted once.
        let file = quoted(file);
        for (f, (start, end)) in report.findings.iter().zip(finding_positions(report)) {
            let score = report.scores.get(f.sentence).map_or(100, |s| s.score);
            let mut numbers = [(); 6].map(|_| itoa::Buffer::new());
            let [a, b, c, d, e, g] = &mut numbers;
            self.write_row([
                Raw(&file),
                number(a, start.line),
                number(b, start.column),
                number(c, end.line),
                number(d, end.column),
                Text(&f.rule),
                name(f.category.as_str()),
                name(f.severity.as_str()),
                Text(&f.message),
                Text(&report.document.text[f.span.clone()]),
                Text(f.fix.as_deref().unwrap_or("")),
                number(e, f.sentence + 1),
                number(g, score),
            ])?;
        }
        Ok(())
    }

    /// Writes one row: each text field as it is, or quoted (quotes doubled) when it holds
    /// a quote, a comma or a line break; each raw field as it is. The rows are assembled
    /// here, not in a `csv::ByteRecord` handed to `csv::Writer`: each field is copied
    /// once instead of twice, with the same bytes out.
    fn write_row<const N: usize>(&mut self, fields: [Field<'_>; N]) -> io::Result<()> {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            match field {
                Text(text) => self.field(text.as_bytes())?,
                Raw(bytes) => self.buf.extend_from_slice(bytes),
            }
        }
        self.buf.push(b'\n');
        if self.buf.len() >= FLUSH_AT {
            self.flush_rows()?;
        }
        Ok(())
    }

    /// Appends one field, quoted (by csv-core) where [`needs_quotes`] says it must be.
    fn field(&mut self, field: &[u8]) -> io::Result<()> {
        if !needs_quotes(field) {
            if field.len() >= FLUSH_AT {
                // A huge field (a whole document on one line) goes out as it is.
                self.flush_rows()?;
                return self.out.write_all(field);
            }
            self.buf.extend_from_slice(field);
            return Ok(());
        }
        self.buf.push(b'"');
        for piece in field.chunks(FLUSH_AT) {
            quote_into(&mut self.buf, piece);
            if self.buf.len() >= FLUSH_AT {
                self.flush_rows()?;
            }
        }
        self.buf.push(b'"');
        Ok(())
    }

    fn flush_rows(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn sentences(&mut self, file: &str, report: &Report) -> io::Result<()> {
        let file = quoted(file);
        let sentences = report.document.sentences.iter().zip(&report.scores);
        for (i, ((s, score), (start, end))) in sentences.zip(sentence_positions(report)).enumerate()
        {
            let mut numbers = [(); 6].map(|_| itoa::Buffer::new());
            let [a, b, c, d, e, g] = &mut numbers;
            self.write_row([
                Raw(&file),
                number(a, i + 1),
                number(b, start.line),
                number(c, start.column),
                number(d, end.line),
                number(e, end.column),
                number(g, score.score),
                name(score.worst.map_or("", |w| w.as_str())),
                Text(&score.rules.join(";")),
                Text(&report.document.text[s.range.clone()]),
            ])?;
        }
        Ok(())
    }
}

/// One field of a row: text, quoted where it needs it, or bytes written as they are.
#[derive(Clone, Copy)]
enum Field<'a> {
    Text(&'a str),
    Raw(&'a [u8]),
}
use Field::{Raw, Text};

/// A number's field: digits never need quotes.
fn number(buffer: &mut itoa::Buffer, n: impl itoa::Integer) -> Field<'_> {
    Raw(buffer.format(n).as_bytes())
}

/// The field of one of the report's own names (a category, a severity): none needs quotes.
fn name(name: &'static str) -> Field<'static> {
    debug_assert!(!needs_quotes(name.as_bytes()), "{name}");
    Raw(name.as_bytes())
}

/// The bytes of `field` as a row holds it: quoted if it needs quotes.
fn quoted(field: &str) -> Vec<u8> {
    let field = field.as_bytes();
    if !needs_quotes(field) {
        return field.to_vec();
    }
    let mut out = vec![b'"'];
    quote_into(&mut out, field);
    out.push(b'"');
    out
}

/// Appends `piece` to `buf` with its quotes doubled (by csv-core).
fn quote_into(buf: &mut Vec<u8>, piece: &[u8]) {
    // Room for the worst case: every byte a quote, doubled.
    let at = buf.len();
    buf.resize(at + 2 * piece.len(), 0);
    let (_, _, written) = csv_core::quote(piece, &mut buf[at..], b'"', b'\\', true);
    buf.truncate(at + written);
}

/// Does `field` need quotes, as csv-core's writer (the csv crate's) has it by default: does
/// it hold a comma, a quote, a CR or an LF? Sixteen bytes at a time (in one SIMD register
/// where the target has them): most fields are names, ids and messages with none of them.
fn needs_quotes(field: &[u8]) -> bool {
    use wide::{i8x16, CmpEq};
    let mut chunks = field.chunks_exact(16);
    for chunk in &mut chunks {
        let v = i8x16::new(std::array::from_fn(|i| chunk[i] as i8));
        let is = |b: u8| v.cmp_eq(i8x16::splat(b as i8));
        if (is(b',') | is(b'"') | is(b'\r') | is(b'\n')).move_mask() != 0 {
            return true;
        }
    }
    // The last bytes eight at a time, in a number: does one of its bytes equal one of
    // the four (zero-padded: a zero byte is none of them)?
    let has = crate::word_filter::has_byte;
    chunks.remainder().chunks(8).any(|rest| {
        let word = crate::word_filter::packed(rest, 0, rest.len());
        has(word, b',') || has(word, b'"') || has(word, b'\r') || has(word, b'\n')
    })
}

impl Printer for CsvPrinter {
    fn document(&mut self, name: &str, report: &Report) -> io::Result<()> {
        match self.kind {
            CsvKind::Findings => self.findings(name, report)?,
            CsvKind::Sentences => self.sentences(name, report)?,
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.flush_rows()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A sink whose bytes stay readable after the printer has taken it.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl io::Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The bytes of `rows` (after the findings header) as the printer writes them, and
    /// as the csv crate's writer does.
    fn both(rows: &[[String; 13]]) -> (Vec<u8>, Vec<u8>) {
        let sink = Shared::default();
        let mut printer = CsvPrinter::new(CsvKind::Findings, Box::new(sink.clone())).unwrap();
        for row in rows {
            printer
                .write_row(row.each_ref().map(|f| Text(f.as_str())))
                .unwrap();
        }
        printer.finish(&Summary::default()).unwrap();
        let mut reference = csv::Writer::from_writer(Vec::new());
        reference.write_record(FINDINGS_HEADER).unwrap();
        for row in rows {
            reference.write_record(row).unwrap();
        }
        let ours = sink.0.take();
        (ours, reference.into_inner().unwrap())
    }

    #[test]
    fn every_byte_is_quoted_as_csv_core_quotes_it() {
        let writer = csv_core::Writer::new();
        for b in 0..=u8::MAX {
            for at in 0..40 {
                let mut field = vec![b'x'; 40];
                field[at] = b;
                assert_eq!(
                    needs_quotes(&field),
                    writer.should_quote(&field),
                    "{b} at {at}"
                );
                assert_eq!(
                    needs_quotes(&field[..=at]),
                    writer.should_quote(&field[..=at])
                );
            }
        }
    }

    #[test]
    fn rows_are_written_as_the_csv_crate_writes_them() {
        let tricky = [
            "",
            "plain",
            "a, b",
            "il a dit \"non\"",
            "\"",
            "deux\nlignes",
            "retour\r",
            "« guillemets » ; point-virgule",
            " espace ",
        ];
        // Fields past the buffer's size: as they are, and quoted with quotes across the
        // pieces the quoting goes through.
        let huge_plain = "x".repeat(3 * FLUSH_AT + 7);
        let huge_quoted = "a\"b,".repeat(FLUSH_AT / 2 + 3);
        let mut rows = Vec::new();
        for (i, field) in tricky
            .iter()
            .chain([&huge_plain.as_str(), &huge_quoted.as_str()])
            .enumerate()
        {
            rows.push(std::array::from_fn(|k| match (k + i) % 3 {
                0 => field.to_string(),
                1 => format!("{k}"),
                _ => tricky[(k * 7 + i) % tricky.len()].to_string(),
            }));
        }
        // Enough small rows to fill the buffer several times.
        for n in 0..5_000 {
            rows.push(std::array::from_fn(|k| format!("r{n}, f{k}")));
        }
        let (ours, reference) = both(&rows);
        assert!(ours.len() > 4 * FLUSH_AT);
        assert!(ours == reference, "the rows differ from the csv crate's");
    }

    #[test]
    fn a_field_quoted_once_is_written_as_the_printer_quotes_it() {
        let row = |field: Field<'_>| {
            let sink = Shared::default();
            let mut printer = CsvPrinter::new(CsvKind::Findings, Box::new(sink.clone())).unwrap();
            printer.write_row([field]).unwrap();
            printer.finish(&Summary::default()).unwrap();
            sink.0.take()
        };
        for field in [
            "",
            "plain.txt",
            "a, b.txt",
            "dit \"non\".txt",
            "deux\nlignes",
            "é,\r",
        ] {
            assert_eq!(row(Raw(&quoted(field))), row(Text(field)), "{field:?}");
        }
    }
}
