//! The flags that choose a command's rules: `--rules`, `--no-default-rules`, `--config`.

use crate::session::rules::RuleOptions;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Clone)]
pub(crate) struct RuleArgs {
    /// A rule file, or a directory of rule files; may be repeated
    #[arg(long = "rules", value_name = "PATH")]
    pub(crate) rules: Vec<PathBuf>,
    /// Do not run the built-in packs (only --rules and the config's own rules)
    #[arg(long)]
    pub(crate) no_default_rules: bool,
    /// Project config (default: the nearest hecha.yaml at or above the checked files)
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

impl RuleArgs {
    /// The rule options these flags give.
    pub fn options(&self) -> RuleOptions {
        RuleOptions {
            rules: self.rules.clone(),
            no_default_rules: self.no_default_rules,
            config: self.config.clone(),
        }
    }
}
