//! Text structure: paragraphs (lines), sentences, protected zones and positions.

mod document;
mod position;
mod segment;
pub mod words;

pub use document::{Document, Origin, Sentence};
pub use position::{LineIndex, Position};
pub use segment::Segmenter;
