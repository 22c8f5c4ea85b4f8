//! A run of hecha without its command line: what `hecha check` and `hecha test` do, for
//! any front end (the CLI, a test, a language server, a service). The CLI maps its flags
//! to the plain options here and prints what comes back.

pub mod check;
pub mod files;
pub mod output;
pub mod progress;
pub mod rules;
pub mod test;
