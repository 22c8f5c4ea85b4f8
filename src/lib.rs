//! hecha (核查) checks the internal consistency of budget-performance reports.
//!
//! Data flows one way: read files → parse the report tree (with spans and figures) and the
//! rules (with type-checked expressions) → evaluate → findings → render.

pub mod batch;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod engine;
pub mod expr;
pub mod fields;
pub mod figure;
pub mod finding;
pub mod pipeline;
pub mod problem;
pub mod read;
pub mod render;
pub mod report;
pub mod review;
pub mod rules;
pub mod ruletest;
pub mod session;
pub mod source;
