//! Examples of a rule, taken from its test cases: one where it fires, one where it passes.

use super::case;
use crate::engine::check_documents;
use crate::finding::Finding;
use crate::rules::{BUILTIN_CASES, Rule};
use crate::source::SourceFile;
use std::path::Path;

/// A case's data, as written, and what the rule found there.
pub struct Example {
    pub(crate) case: String,
    pub(crate) data: String,
    pub(crate) findings: Vec<Finding>,
}

/// The first case where `rule` fires and the first where it passes.
pub fn examples(rule: &Rule) -> (Option<Example>, Option<Example>) {
    let (mut fires, mut passes) = (None, None);
    for source in case_sources(rule) {
        // Cases may name other rules of the pack; accept every id the file names.
        let ids = ids_in(&source);
        let Ok(file) = case::read(&source, &ids.iter().map(String::as_str).collect::<Vec<_>>())
        else {
            continue;
        };
        for c in &file.cases {
            let slot = if c.expect.iter().any(|e| e.rule == rule.id) {
                &mut fires
            } else if c.absent.iter().any(|e| e.rule == rule.id) {
                &mut passes
            } else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            // The data document runs from its root to the next case's expectations.
            let roots = &file.report.roots;
            let start = file.report.node(c.data).span.start;
            let end = roots
                .iter()
                .position(|&r| r == c.data)
                .and_then(|k| roots.get(k + 1))
                .map_or(source.text.len(), |&next| file.report.node(next).span.start);
            let data = source.text[start..end]
                .trim_end()
                .trim_end_matches("---")
                .trim_end()
                .to_string();
            let findings = check_documents(&file.report, &[c.data], std::slice::from_ref(rule));
            *slot = Some(Example {
                case: c.name.clone(),
                data,
                findings,
            });
        }
    }
    (fires, passes)
}

/// The case files of a rule's pack: embedded for built-in packs, on disk otherwise.
fn case_sources(rule: &Rule) -> Vec<SourceFile> {
    if let Some(file) = rule.source.name.strip_prefix("builtin:rules/") {
        let prefix = format!("{}/", file.trim_end_matches(".yaml"));
        return BUILTIN_CASES
            .iter()
            .filter(|(name, _)| name.starts_with(&prefix))
            .map(|(name, text)| SourceFile::new(format!("rules/tests/{name}"), *text))
            .collect();
    }
    let path = Path::new(&rule.source.name);
    let suite = super::discover(path).ok().and_then(|mut s| s.pop());
    suite
        .map(|s| {
            s.case_files
                .iter()
                .filter_map(|f| {
                    let max = crate::pipeline::input_limits().max_file_size;
                    let bytes = crate::pipeline::read_limited(f, max).ok()?;
                    SourceFile::decode(f.display().to_string(), &bytes).ok()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every rule id a case file names, so it can be read without knowing the pack.
fn ids_in(source: &SourceFile) -> Vec<String> {
    let loaded = crate::read::yaml::load(&source.text, &crate::pipeline::input_limits());
    let Some(report) = loaded.report else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    for head in report.roots.iter().step_by(2) {
        for key in ["expect", "absent"] {
            let Some(list) = report.child(*head, key) else {
                continue;
            };
            for &item in report.children(list) {
                let id = report
                    .text(item)
                    .or_else(|| report.child(item, "rule").and_then(|r| report.text(r)));
                ids.extend(id.map(str::to_string));
            }
        }
    }
    ids
}
