//! News feeds: JSON Lines, CSV and IPTC ninjs records, read as a stream. A malformed
//! record is reported with its line number and the rest of the feed is still read.

use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;

use serde_json::Value;

use super::html;

/// One story of a feed.
#[derive(Debug, Clone)]
pub struct Record {
    /// The record's id, which replaces the path in every report.
    pub id: String,
    pub text: String,
    /// When the text was HTML: the HTML and where each piece of `text` stands in it.
    pub origin: Option<crate::text::Origin>,
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError {
    /// 1-based line of the record in the feed.
    pub line: usize,
    pub message: String,
}

/// How to read a feed.
#[derive(Debug, Clone)]
pub enum FeedFormat {
    /// JSON Lines, with dotted paths to the text and the id.
    Jsonl {
        text_field: String,
        id_field: String,
    },
    /// CSV with a header row.
    Csv {
        text_column: String,
        id_column: String,
    },
    /// IPTC ninjs: `body_text`, or `body_html` stripped of its tags; id from `uri` or `guid`.
    Ninjs,
}

/// The value at a dotted path (`data.body.text`, `items.0.text`).
fn at_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| match v {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn id_of(value: Option<&Value>, fallback: String) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback,
    }
}

fn ninjs_record(value: &Value, name: &str, line: usize) -> Result<Record, String> {
    let id = id_of(
        value.get("uri").or_else(|| value.get("guid")),
        format!("{name}:{line}"),
    );
    if let Some(Value::String(text)) = value.get("body_text") {
        return Ok(Record {
            id,
            text: text.clone(),
            origin: None,
        });
    }
    if let Some(Value::String(body)) = value.get("body_html") {
        let stripped = html::strip(body);
        return Ok(Record {
            id,
            text: stripped.text,
            origin: Some(stripped.origin),
        });
    }
    Err("no `body_text` or `body_html` string".into())
}

/// Reads the records of a feed named `name`, handing each (or its error) to `sink` as it
/// is read. Memory is bounded by the largest record.
pub fn read(
    reader: impl Read,
    name: &str,
    format: &FeedFormat,
    mut sink: impl FnMut(Result<Record, FeedError>) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let fail = |line, message: String| FeedError { line, message };
    match format {
        FeedFormat::Jsonl {
            text_field,
            id_field,
        } => {
            for (i, line) in BufReader::new(reader).lines().enumerate() {
                let line_no = i + 1;
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let record = serde_json::from_str::<Value>(&line)
                    .map_err(|e| fail(line_no, format!("malformed JSON: {e}")))
                    .and_then(|v| match at_path(&v, text_field) {
                        Some(Value::String(text)) => Ok(Record {
                            id: id_of(at_path(&v, id_field), format!("{name}:{line_no}")),
                            text: text.clone(),
                            origin: None,
                        }),
                        _ => Err(fail(line_no, format!("no string at `{text_field}`"))),
                    });
                if sink(record).is_break() {
                    break;
                }
            }
        }
        FeedFormat::Csv {
            text_column,
            id_column,
        } => {
            let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
            let headers = csv.headers().map_err(std::io::Error::other)?.clone();
            let text_at = headers.iter().position(|h| h == text_column);
            let id_at = headers.iter().position(|h| h == id_column);
            let Some(text_at) = text_at else {
                let _ = sink(Err(fail(
                    1,
                    format!("no column `{text_column}` in the header"),
                )));
                return Ok(());
            };
            for row in csv.records() {
                let record = match row {
                    Ok(r) => {
                        let line = r.position().map_or(0, |p| p.line() as usize);
                        match r.get(text_at) {
                            Some(text) => Ok(Record {
                                id: id_at
                                    .and_then(|i| r.get(i))
                                    .map_or_else(|| format!("{name}:{line}"), String::from),
                                text: text.to_string(),
                                origin: None,
                            }),
                            None => {
                                Err(fail(line, format!("no `{text_column}` field in this row")))
                            }
                        }
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line() as usize);
                        Err(fail(line, format!("malformed CSV: {e}")))
                    }
                };
                if sink(record).is_break() {
                    break;
                }
            }
        }
        FeedFormat::Ninjs => {
            let mut all = String::new();
            BufReader::new(reader).read_to_string(&mut all)?;
            match serde_json::from_str::<Value>(&all) {
                Ok(v) if v.is_object() => {
                    let _ = sink(ninjs_record(&v, name, 1).map_err(|m| fail(1, m)));
                }
                _ => {
                    for (i, line) in all.lines().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        let record = serde_json::from_str::<Value>(line)
                            .map_err(|e| format!("malformed JSON: {e}"))
                            .and_then(|v| ninjs_record(&v, name, i + 1))
                            .map_err(|m| fail(i + 1, m));
                        if sink(record).is_break() {
                            break;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &str, format: FeedFormat) -> Vec<Result<(String, String), (usize, String)>> {
        let mut out = Vec::new();
        read(input.as_bytes(), "feed", &format, |r| {
            out.push(r.map(|r| (r.id, r.text)).map_err(|e| (e.line, e.message)));
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    #[test]
    fn jsonl_with_dotted_paths_and_a_malformed_line() {
        let feed = "{\"meta\":{\"id\":\"a1\"},\"body\":{\"text\":\"Un.\"}}\n{oops\n{\"meta\":{\"id\":7},\"body\":{\"text\":\"Deux.\"}}\n";
        let got = collect(
            feed,
            FeedFormat::Jsonl {
                text_field: "body.text".into(),
                id_field: "meta.id".into(),
            },
        );
        assert_eq!(got[0], Ok(("a1".into(), "Un.".into())));
        assert!(matches!(&got[1], Err((2, m)) if m.starts_with("malformed JSON")));
        assert_eq!(got[2], Ok(("7".into(), "Deux.".into())));
    }

    #[test]
    fn csv_rows_by_column_name() {
        let feed = "id,text\nx,\"Un, deux.\"\ny,Trois.\n";
        let got = collect(
            feed,
            FeedFormat::Csv {
                text_column: "text".into(),
                id_column: "id".into(),
            },
        );
        assert_eq!(
            got,
            vec![
                Ok(("x".into(), "Un, deux.".into())),
                Ok(("y".into(), "Trois.".into()))
            ]
        );
    }

    #[test]
    fn a_sink_that_breaks_gets_no_more_records() {
        let formats = [
            (
                "{\"text\":\"Un.\"}\n{\"text\":\"Deux.\"}\n",
                FeedFormat::Jsonl {
                    text_field: "text".into(),
                    id_field: "id".into(),
                },
            ),
            (
                "text\nUn.\nDeux.\n",
                FeedFormat::Csv {
                    text_column: "text".into(),
                    id_column: "id".into(),
                },
            ),
            (
                "{\"body_text\":\"Un.\"}\n{\"body_text\":\"Deux.\"}\n",
                FeedFormat::Ninjs,
            ),
        ];
        for (feed, format) in formats {
            let mut seen = 0;
            read(feed.as_bytes(), "feed", &format, |r| {
                assert!(r.is_ok(), "{r:?}");
                seen += 1;
                ControlFlow::Break(())
            })
            .unwrap();
            assert_eq!(seen, 1, "{format:?}");
        }
    }

    #[test]
    fn ninjs_html_is_stripped() {
        let doc = r#"{"uri":"urn:1","body_html":"<p>Le cours &amp; le volume</p><p>Fin.</p>"}"#;
        let got = collect(doc, FeedFormat::Ninjs);
        assert_eq!(
            got,
            vec![Ok(("urn:1".into(), "Le cours & le volume\nFin.\n".into()))]
        );
    }
}
