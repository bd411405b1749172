//! Text structure: paragraphs (lines), sentences, protected zones and positions.

mod document;
mod position;
mod segment;

pub use document::{Document, Origin, Sentence};
pub use position::{LineIndex, Position};
pub use segment::Segmenter;
