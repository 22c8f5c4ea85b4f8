//! hecha (核查) checks the internal consistency of budget-performance reports.
//!
//! Data flows one way: read files → parse the report tree (with spans and figures) and the
//! rules (with type-checked expressions) → evaluate → findings → render.

pub mod batch;
pub mod check;
pub mod cli;
pub mod config;
pub mod decode;
pub mod engine;
pub mod expr;
pub mod figure;
pub mod finding;
pub mod problem;
/// Readers of documents (until the reader seam's `read/mod.rs` arrives).
pub mod read {
    pub mod grid;
    pub mod table;
    pub mod workbook;
}
pub mod render;
pub mod report;
pub mod review;
pub mod rules;
pub mod ruletest;
pub mod source;
