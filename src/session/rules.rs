//! Which rules a run uses: the built-in packs, rule paths (`--rules`), and the project
//! config.

use super::files::{Wanted, collect};
use crate::config;
use crate::pipeline::FileReport;
use crate::read::prose::lexicon::Lexicon;
use crate::rules::{BUILTIN_PACKS, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a run's rules come from.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    /// Rule files, or directories of rule files (`--rules`).
    pub rules: Vec<PathBuf>,
    /// Not the built-in packs: only `rules` and the config's own rules.
    pub no_default_rules: bool,
    /// The project config; `None`: the nearest hecha.yaml at or above the checked files.
    pub config: Option<PathBuf>,
}

/// The rules of a run, and the rule or config files that could not be read at all.
pub struct Selection {
    pub(crate) rules: RuleSet,
    /// What the readers know, with the config's layout variants.
    pub(crate) knowledge: crate::read::Knowledge,
    pub(crate) unusable: Vec<FileReport>,
    /// Whether the config had problems: then no rule runs (every problem is reported).
    pub(crate) broken_config: bool,
}

impl RuleOptions {
    /// The config that applies to files at `near`: `--config`, or the nearest hecha.yaml.
    pub fn config_for(&self, near: &Path) -> Option<PathBuf> {
        self.config.clone().or_else(|| config::find(near))
    }

    /// Loads the rules, with `config` applied if given.
    pub fn load(&self, config: Option<&Path>) -> Selection {
        let mut rules = RuleSet::default();
        let mut unusable = Vec::new();
        let mut broken_config = false;
        let config = config.and_then(|path| {
            let (config, problems) = config::read_all(path);
            if let Some(problems) = problems {
                rules.problems.push(problems);
                broken_config = true;
            }
            config
        });
        if broken_config && config.is_none() {
            // Not even read: nothing is known of what the bureau chose.
            return Selection {
                rules,
                unusable,
                broken_config,
                knowledge: crate::read::Knowledge::builtin(),
            };
        }
        if !self.no_default_rules {
            let chosen = config.as_ref().and_then(|c| c.packs.as_ref());
            for (name, text) in BUILTIN_PACKS {
                if chosen.is_none_or(|packs| packs.iter().any(|p| p == name)) {
                    rules.add_builtin(name, text);
                }
            }
        }
        let extra = config
            .iter()
            .flat_map(|c| c.rule_paths.iter())
            .chain(&self.rules);
        let mut lexicon_dirs = Vec::new();
        for path in extra {
            lexicon_dirs.push(path.clone());
            let (files, missing) = collect(path, Wanted::Rules);
            unusable.extend(missing);
            for file in files {
                match crate::pipeline::read_source(
                    &file,
                    crate::pipeline::input_limits().max_file_size,
                ) {
                    Ok(source) => rules.add_file(Arc::new(source)),
                    Err(report) => unusable.push(report),
                }
            }
        }
        let mut knowledge = crate::read::Knowledge::builtin();
        // A bureau's wordings for prose reports: readers/prose-lexicon.yaml in a rules
        // folder, tried before the built-in lexicon.
        for dir in &lexicon_dirs {
            let path = dir.join("readers").join("prose-lexicon.yaml");
            if !path.is_file() {
                continue;
            }
            match crate::pipeline::read_source(&path, crate::pipeline::input_limits().max_file_size)
            {
                Ok(source) => {
                    let (lexicon, problems) = Lexicon::parse(&source.text);
                    if !problems.is_empty() {
                        rules.problems.push((Arc::new(source), problems));
                    }
                    knowledge.extend_lexicon(lexicon);
                }
                Err(report) => unusable.push(report),
            }
        }
        if let Some(config) = config {
            if let Some(layout) = config.layout {
                knowledge.set_forms(*layout);
            }
            rules.adjust(&config.source, config.adjustments);
        }
        rules.finish();
        if broken_config {
            // Its other problems are now found too; run none of the rules rather than
            // rules the bureau never configured.
            rules.rules.clear();
        }
        Selection {
            rules,
            unusable,
            broken_config,
            knowledge,
        }
    }
}
