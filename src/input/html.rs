//! HTML bodies (ninjs `body_html`) to text, remembering where each piece came from so
//! that reports point into the HTML.

use crate::text::Origin;

/// Text stripped from HTML, with the way back into the HTML.
#[derive(Debug, Clone)]
pub struct Stripped {
    pub text: String,
    pub origin: Origin,
}

/// Tags that end a paragraph.
const BLOCK_ENDS: &[&str] = &[
    "</p>", "<br>", "<br/>", "<br />", "</div>", "</li>", "</h1>", "</h2>", "</h3>", "</h4>",
];

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "laquo" => '«',
        "raquo" => '»',
        "rsquo" => '’',
        "hellip" => '…',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// Strips tags (block ends become line breaks) and decodes character references.
pub fn strip(html: &str) -> Stripped {
    let mut text = String::with_capacity(html.len());
    let mut map = vec![(0, 0)];
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        match bytes[i] {
            b'<' => {
                let end = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
                let tag = html[i..end].to_ascii_lowercase();
                if BLOCK_ENDS
                    .iter()
                    .any(|b| tag.starts_with(&b[..b.len() - 1]))
                {
                    map.push((text.len(), i));
                    text.push('\n');
                }
                i = end;
                map.push((text.len(), i));
            }
            b'&' => {
                // An entity's `;` comes within ten bytes: no further look (a body of
                // `&` without one would take time quadratic in its length).
                let window = crate::detect::floor_boundary(html, i + 11);
                let end = html[i..window].find(';').map(|e| i + e);
                match end.and_then(|e| entity(&html[i + 1..e]).map(|c| (e, c))) {
                    Some((e, c)) => {
                        map.push((text.len(), i));
                        text.push(c);
                        i = e + 1;
                        map.push((text.len(), i));
                    }
                    None => {
                        text.push('&');
                        i += 1;
                    }
                }
            }
            _ => {
                let next = html[i..].find(['<', '&']).map_or(html.len(), |n| i + n);
                text.push_str(&html[i..next]);
                i = next;
            }
        }
    }
    // Of several pairs at one text offset, the last (after the tags) is the one that counts.
    let mut dedup: Vec<(usize, usize)> = Vec::with_capacity(map.len());
    for p in map {
        match dedup.last_mut() {
            Some(last) if last.0 == p.0 => *last = p,
            _ => dedup.push(p),
        }
    }
    Stripped {
        text,
        origin: Origin::new(html.to_string(), dedup),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_text_offsets_back_into_the_html() {
        let s = strip("<p>Le prix &amp; la <b>hausse</b></p>");
        assert_eq!(s.text, "Le prix & la hausse\n");
        let (o, html) = (&s.origin, &s.origin.source);
        let at = s.text.find("hausse").unwrap();
        assert_eq!(&html[o.offset(at)..o.end_offset(&s.text, at + 6)], "hausse");
        assert_eq!(&html[o.offset(0)..o.end_offset(&s.text, 2)], "Le");
    }

    #[test]
    fn an_entity_ends_within_ten_bytes() {
        assert_eq!(strip("&#x00000AB; &#x000000AB;").text, "« &#x000000AB;");
        assert_eq!(strip("&é;&#233;").text, "&é;é");
        // A megabyte of `&` with no `;`: each is looked at once, not read to the end.
        let body = "&".repeat(1 << 20);
        assert_eq!(strip(&body).text, body);
    }
}
