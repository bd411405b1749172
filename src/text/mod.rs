//! Text structure: paragraphs (lines), sentences, protected zones and positions, and
//! the multi-pattern matcher that scans it.

mod document;
mod match_set;
mod nearest;
mod position;
mod segment;
mod thread_pools;
pub mod words;

pub use document::{Document, Origin, Sentence};
pub use match_set::{LastEnd, MatchSet};
pub use nearest::Nearest;
pub use position::{LineIndex, Position};
pub use segment::Segmenter;
pub use thread_pools::ThreadPools;
