//! hecha (核查) checks the internal consistency of budget-performance reports.
//!
//! Data flows one way: read files → parse the report tree (with spans and figures) and the
//! rules (with type-checked expressions) → evaluate → findings → render.

pub mod figure;
pub mod problem;
pub mod report;
pub mod source;
pub mod expr;
pub mod rules;
pub mod engine;
pub mod finding;
pub mod render;
pub mod check;
pub mod cli;
