//! `hecha docs`: the data conventions, printed from the binary, so that an installed
//! hecha (with no docs/ folder beside it) tells a bureau's staff what the rules need.

use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct DocsArgs {
    /// Which document: conventions (数据约定), forms (绩效自评表), rules (the built-in rules)
    #[arg(value_enum, default_value_t = Doc::Conventions)]
    doc: Doc,
}

#[derive(Clone, Copy, ValueEnum)]
enum Doc {
    Conventions,
    Forms,
    Rules,
}

/// The documents, as the repository has them when the binary is built.
pub const CONVENTIONS: &str = include_str!("../../docs/conventions.md");
pub const FORMS: &str = include_str!("../../docs/forms.md");
pub const RULES: &str = include_str!("../../docs/rules.md");

pub fn run(args: &DocsArgs) -> ExitCode {
    let text = match args.doc {
        Doc::Conventions => CONVENTIONS,
        Doc::Forms => FORMS,
        Doc::Rules => RULES,
    };
    if super::write_stdout(text.as_bytes()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
