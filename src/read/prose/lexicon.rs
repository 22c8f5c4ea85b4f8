//! The lexicon: how prose names the figures the packs check (受理, 交办, 办结, 执行率 …).
//!
//! Shipped as `rules/readers/prose-lexicon.yaml`, embedded in the binary; a bureau adds
//! its own wordings in a file of the same shape, whose terms are tried first.

use crate::fields::Fields;
use crate::figure::{Dimension, Figure};
use crate::problem::Problem;
use crate::read::yaml;
use crate::report::Value;

/// The built-in lexicon file.
pub const BUILTIN: &str = include_str!("../../../rules/readers/prose-lexicon.yaml");
pub const BUILTIN_NAME: &str = "rules/readers/prose-lexicon.yaml";

/// What kind of figure a term names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Count,
    Money,
    Ratio,
}

impl Measure {
    pub fn fits(self, figure: &Figure) -> bool {
        match (self, figure.dimension()) {
            // the packs count cases and people; 次, 个, 期 … are other things
            (Measure::Count, Some(Dimension::Count(k))) => {
                matches!(k, "件" | "人" | "人次" | "起" | "批" | "批次" | "户" | "家")
            }
            (Measure::Money, Some(Dimension::Money)) => true,
            (Measure::Money, None) => figure.magnitude > rust_decimal::Decimal::ONE,
            (Measure::Ratio, Some(Dimension::Ratio)) => true,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Term {
    pub word: String,
    /// The key it maps onto; `None`: the word itself (a differently defined figure).
    pub key: Option<String>,
    pub measure: Measure,
}

#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub terms: Vec<Term>,
}

/// What a label says a figure is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meaning {
    /// The key in the report tree.
    pub key: String,
    /// Whether it is a key the packs check (受理, 办结率 …), not the report's own word.
    pub checked: bool,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        let (lexicon, problems) = Lexicon::parse(BUILTIN);
        debug_assert!(problems.is_empty(), "{problems:?}");
        lexicon
    }

    /// Reads a lexicon file; its problems are located in `text`.
    pub fn parse(text: &str) -> (Lexicon, Vec<Problem>) {
        let loaded = yaml::load(text, &yaml::Limits::default());
        let mut problems = loaded.problems;
        let mut terms = Vec::new();
        let Some(report) = loaded.report else {
            return (Lexicon { terms }, problems);
        };
        let mut f = Fields::new(&report);
        for &root in &report.roots {
            if !f.is_map(root) {
                f.type_error(root, "lexicon", "映射");
                continue;
            }
            f.unknown_fields(root, &["lexicon"], "词表");
            for entry in f.list(root, "lexicon", "列表") {
                if !f.is_map(entry) {
                    f.type_error(entry, "lexicon", "映射");
                    continue;
                }
                f.unknown_fields(entry, &["words", "key", "measure"], "词表项");
                let key = f
                    .required(entry, "key", "词表项", "写明对应的键名，如 key: 受理")
                    .map(|t| t.text);
                let measure = match f.required(
                    entry,
                    "measure",
                    "词表项",
                    "写明数字的种类：count、money 或 ratio",
                ) {
                    Some(t) => match t.text.as_str() {
                        "count" => Some(Measure::Count),
                        "money" => Some(Measure::Money),
                        "ratio" => Some(Measure::Ratio),
                        other => {
                            f.problems.push(
                                Problem::new(
                                    "invalid-value",
                                    format!(
                                        "「measure」应为 count、money 或 ratio，不是「{other}」"
                                    ),
                                )
                                .at(t.span, "种类不明"),
                            );
                            None
                        }
                    },
                    None => None,
                };
                let words = f.list(entry, "words", "列表");
                let (Some(key), Some(measure)) = (key, measure) else {
                    continue;
                };
                for w in words {
                    match &report.node(w).value {
                        Value::Scalar(s) if !s.text.trim().is_empty() => terms.push(Term {
                            word: s.text.trim().to_string(),
                            key: (key != "原词").then(|| key.clone()),
                            measure,
                        }),
                        _ => f.type_error(w, "words", "文字"),
                    }
                }
            }
        }
        problems.extend(f.problems);
        (Lexicon { terms }, problems)
    }

    /// A bureau's lexicon before this one.
    pub fn extended_by(self, first: Lexicon) -> Lexicon {
        let mut terms = first.terms;
        terms.extend(self.terms);
        Lexicon { terms }
    }

    /// What the label (the words before a figure, cleaned) says the figure is, if a term
    /// of the right kind names it.
    pub fn meaning(&self, label: &str, figure: &Figure) -> Option<Meaning> {
        let ratio = figure.dimension() == Some(Dimension::Ratio);
        let mut best: Option<(usize, usize, &Term)> = None; // (position, -len, term)
        for t in &self.terms {
            if !t.measure.fits(figure) {
                continue;
            }
            let at = if ratio {
                label.ends_with(&t.word).then(|| label.len() - t.word.len())
            } else {
                label.find(&t.word)
            };
            let Some(at) = at else { continue };
            let better = match best {
                None => true,
                Some((p, len, _)) => {
                    if ratio {
                        t.word.len() > len
                    } else {
                        at < p || (at == p && t.word.len() > len)
                    }
                }
            };
            if better {
                best = Some((at, t.word.len(), t));
            }
        }
        best.map(|(_, _, t)| match &t.key {
            Some(k) => Meaning {
                key: k.clone(),
                checked: true,
            },
            None => Meaning {
                key: t.word.clone(),
                checked: false,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(label: &str, figure: &str) -> Option<String> {
        let f = Figure::parse(figure).unwrap().unwrap();
        Lexicon::builtin().meaning(label, &f).map(|m| m.key)
    }

    #[test]
    fn the_builtin_lexicon_reads() {
        let (lexicon, problems) = Lexicon::parse(BUILTIN);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(lexicon.terms.len() > 30);
    }

    #[test]
    fn labels_map_onto_pack_keys() {
        assert_eq!(
            key("受理办理市级以上交办转办信访件", "581件").as_deref(),
            Some("受理")
        );
        assert_eq!(key("南通市信访局交办的", "61名").as_deref(), Some("交办"));
        assert_eq!(key("县级领导签字交办", "142件").as_deref(), Some("交办"));
        assert_eq!(key("化解", "59人").as_deref(), Some("化解"));
        assert_eq!(key("化解率", "97.6%").as_deref(), Some("化解率"));
        assert_eq!(key("信访救助资金预算", "60万元").as_deref(), Some("预算"));
        assert_eq!(key("指标实际执行", "261.20万元").as_deref(), Some("执行"));
        assert_eq!(key("预算完成率", "230.25％").as_deref(), Some("执行率"));
        assert_eq!(key("工资福利支出", "107.21万").as_deref(), Some("执行"));
    }

    #[test]
    fn differently_defined_figures_keep_their_word() {
        assert_eq!(key("到期办结率", "100%").as_deref(), Some("到期办结率"));
        assert_eq!(key("按期办结率", "100%").as_deref(), Some("按期办结率"));
        assert_eq!(key("一次性化解率", "90%").as_deref(), Some("一次性化解率"));
        // 12345: forwarded cases are not 交办 in the packs' sense
        assert_eq!(key("交办件", "400件").as_deref(), Some("交办件"));
        assert_eq!(key("其中直办件", "600件").as_deref(), Some("直办件"));
    }

    #[test]
    fn a_term_of_the_wrong_kind_does_not_apply() {
        assert_eq!(key("化解", "85.7%"), None);
        assert_eq!(key("预算", "12件"), None);
        assert_eq!(key("基本支出功能分类科目", "22个"), None);
        assert_eq!(
            key("创建目标，创建成功率", "94.1%").as_deref(),
            Some("创建成功率")
        );
    }

    #[test]
    fn bad_lexicon_files_are_located() {
        let (_, problems) =
            Lexicon::parse("lexicon:\n  - words: [受理]\n    key: 受理\n    measure: size\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("measure"));
        let (_, problems) =
            Lexicon::parse("lexicon:\n  - word: [受理]\n    key: 受理\n    measure: count\n");
        assert!(!problems.is_empty());
    }
}
