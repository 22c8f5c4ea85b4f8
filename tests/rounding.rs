//! Property: rounding never raises a false alarm, and a figure moved beyond what rounding
//! allows always does.
//!
//! Exact values are drawn at random, then written as a person would: each figure rounded
//! (half away from zero) to its own random number of decimals. Sums, ratios and
//! comparisons of such figures must produce no failing finding; shifting one figure past
//! the rounding intervals must produce one.

use hecha::finding::Finding;
use hecha::pipeline::check_bytes;
use hecha::read::yaml::Limits;
use hecha::rules::RuleSet;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::sync::OnceLock;

fn findings(yaml: &str) -> Vec<Finding> {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    let rules = RULES.get_or_init(RuleSet::builtin);
    let report = check_bytes(
        "p.yaml".into(),
        yaml.as_bytes(),
        &rules.rules,
        &Limits::default(),
    );
    assert!(report.problems.is_empty(), "{yaml}\n{:?}", report.problems);
    report.findings
}

fn failing(yaml: &str) -> Vec<String> {
    findings(yaml)
        .into_iter()
        .filter(Finding::fails)
        .map(|f| f.rule)
        .collect()
}

/// `value` written with `d` decimals, rounded half away from zero.
fn written(value: Decimal, d: u32) -> Decimal {
    value.round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero)
}

fn text(value: Decimal, d: u32) -> String {
    format!("{:.*}", d as usize, value)
}

/// Half of one unit in the d-th decimal place.
fn half(d: u32) -> Decimal {
    Decimal::new(5, d + 1)
}

fn wan(yuan: u64) -> Decimal {
    Decimal::from(yuan) / Decimal::from(10_000)
}

/// The total row of a 绩效自评表 with a budget, an execution, the rate and its score, the
/// rate explained so that only arithmetic can fail.
fn fund_row(budget: &str, executed: &str, weight: u32, rate: &str, score: &str) -> String {
    format!(
        "项目资金:\n  年度资金总额:\n    全年预算数: {budget}万元\n    全年执行数: {executed}万元\n    \
         分值: {weight}\n    执行率: {rate}%\n    得分: {score}\n    偏差原因分析及改进措施: 年中调整预算\n"
    )
}

/// The failing findings other than the weight a province may set differently.
fn failing_arithmetic(yaml: &str) -> Vec<String> {
    let mut rules = failing(yaml);
    rules.retain(|r| r != "forms/execution-weight-unexpected");
    rules
}

/// An execution score: min(rate, 100%) × weight, the rate in %.
fn score_of(rate: Decimal, weight: u32) -> Decimal {
    rate.min(Decimal::ONE_HUNDRED) * Decimal::from(weight) / Decimal::ONE_HUNDRED
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn rounded_parts_agree_with_a_rounded_total(
        parts in prop::collection::vec((1u64..50_000_000, 0u32..=2), 2..7),
        total_decimals in 0u32..=2,
    ) {
        let exact_total: Decimal = parts.iter().map(|(y, _)| wan(*y)).sum();
        let mut yaml = format!("合计: {}万元\n构成:\n", text(written(exact_total, total_decimals), total_decimals));
        for (i, (yuan, d)) in parts.iter().enumerate() {
            yaml.push_str(&format!("  项{i}: {}万元\n", text(written(wan(*yuan), *d), *d)));
        }
        prop_assert_eq!(failing(&yaml), Vec::<String>::new(), "{}", yaml);
    }

    #[test]
    fn a_total_moved_beyond_rounding_is_always_found(
        parts in prop::collection::vec((1u64..50_000_000, 0u32..=2), 2..7),
        total_decimals in 0u32..=2,
        up in any::<bool>(),
    ) {
        let written_parts: Vec<(Decimal, u32)> = parts.iter().map(|(y, d)| (written(wan(*y), *d), *d)).collect();
        let base: Decimal = written_parts.iter().map(|(v, _)| *v).sum();
        let slack: Decimal = parts.iter().map(|(_, d)| half(*d)).sum::<Decimal>() + half(total_decimals);
        // The nearest total, in whole units of its last place, beyond every interval.
        let unit = Decimal::new(1, total_decimals);
        let moved = if up {
            ((base + slack) / unit).ceil() * unit + unit
        } else {
            ((base - slack) / unit).floor() * unit - unit
        };
        let mut yaml = format!("合计: {}万元\n构成:\n", text(moved, total_decimals));
        for (i, (value, d)) in written_parts.iter().enumerate() {
            yaml.push_str(&format!("  项{i}: {}万元\n", text(*value, *d)));
        }
        prop_assert_eq!(failing(&yaml), vec!["breakdown/parts-differ-from-total".to_string()], "{}", yaml);
    }

    #[test]
    fn a_rate_rounded_from_exact_counts_agrees(assigned in 1u64..5000, share in 0.0f64..=1.0, d in 0u32..=2) {
        let closed = ((assigned as f64) * share).floor() as u64;
        let rate = Decimal::from(closed) * Decimal::ONE_HUNDRED / Decimal::from(assigned);
        let yaml = format!("交办: {assigned}件\n办结: {closed}件\n办结率: {}%\n", text(written(rate, d), d));
        prop_assert_eq!(failing(&yaml), Vec::<String>::new(), "{}", yaml);
    }

    #[test]
    fn a_rate_moved_two_places_is_always_found(assigned in 1u64..5000, share in 0.0f64..=1.0, d in 0u32..=2, up in any::<bool>()) {
        let closed = ((assigned as f64) * share).floor() as u64;
        let rate = Decimal::from(closed) * Decimal::ONE_HUNDRED / Decimal::from(assigned);
        let unit = Decimal::new(1, d);
        let moved = written(rate, d) + if up { unit * Decimal::TWO } else { -unit * Decimal::TWO };
        let yaml = format!("交办: {assigned}件\n办结: {closed}件\n办结率: {}%\n", text(moved, d));
        prop_assert_eq!(failing(&yaml), vec!["casework/closure-rate-mismatch".to_string()], "{}", yaml);
    }

    #[test]
    fn an_execution_rate_from_rounded_money_agrees(
        budget in 10_000u64..100_000_000,
        share in 0.0f64..=1.5,
        (db, de, dr) in (0u32..=2, 0u32..=2, 0u32..=2),
    ) {
        let executed = ((budget as f64) * share).floor() as u64;
        let rate = Decimal::from(executed) * Decimal::ONE_HUNDRED / Decimal::from(budget);
        let yaml = format!(
            "预算: {}万元\n执行: {}万元\n执行率: {}%\n说明: 追加预算\n",
            text(written(wan(budget), db), db),
            text(written(wan(executed), de), de),
            text(written(rate, dr), dr),
        );
        prop_assert_eq!(failing(&yaml), Vec::<String>::new(), "{}", yaml);
    }

    #[test]
    fn an_execution_rate_beyond_every_rounding_is_always_found(
        budget in 10_000u64..100_000_000,
        share in 0.0f64..=1.5,
        (db, de, dr) in (0u32..=2, 0u32..=2, 0u32..=2),
    ) {
        let executed = ((budget as f64) * share).floor() as u64;
        let (b, e) = (written(wan(budget), db), written(wan(executed), de));
        prop_assume!(b - half(db) > Decimal::ZERO);
        // The highest ratio the written amounts allow, in %, then two places beyond.
        let highest = (e + half(de)) * Decimal::ONE_HUNDRED / (b - half(db));
        let unit = Decimal::new(1, dr);
        let moved = highest.round_dp_with_strategy(dr, RoundingStrategy::ToPositiveInfinity) + unit * Decimal::TWO;
        let yaml = format!(
            "预算: {}万元\n执行: {}万元\n执行率: {}%\n说明: 追加预算\n",
            text(b, db),
            text(e, de),
            text(moved, dr),
        );
        prop_assert_eq!(failing(&yaml), vec!["budget/execution-rate-mismatch".to_string()], "{}", yaml);
    }

    #[test]
    fn an_execution_score_from_a_rounded_rate_agrees(
        budget in 10_000u64..100_000_000,
        share in 0.0f64..=1.2,
        weight in prop::sample::select(vec![10u32, 20]),
        (db, de, dr, ds) in (0u32..=2, 0u32..=2, 0u32..=2, 0u32..=2),
        from_written_rate in any::<bool>(),
    ) {
        let executed = ((budget as f64) * share).floor() as u64;
        let rate = Decimal::from(executed) * Decimal::ONE_HUNDRED / Decimal::from(budget);
        let written_rate = written(rate, dr);
        // Forms compute the score from the rate before or after rounding it.
        let score = score_of(if from_written_rate { written_rate } else { rate }, weight);
        let yaml = fund_row(
            &text(written(wan(budget), db), db),
            &text(written(wan(executed), de), de),
            weight,
            &text(written_rate, dr),
            &text(written(score, ds), ds),
        );
        prop_assert_eq!(failing_arithmetic(&yaml), Vec::<String>::new(), "{}", yaml);
    }

    #[test]
    fn an_execution_score_beyond_every_rounding_is_always_found(
        budget in 10_000u64..100_000_000,
        share in 0.0f64..=1.2,
        weight in prop::sample::select(vec![10u32, 20]),
        (db, de, dr, ds) in (0u32..=2, 0u32..=2, 0u32..=2, 0u32..=2),
        up in any::<bool>(),
    ) {
        let executed = ((budget as f64) * share).floor() as u64;
        let rate = written(Decimal::from(executed) * Decimal::ONE_HUNDRED / Decimal::from(budget), dr);
        // The scores the written rate allows, then one unit of the score's last place beyond.
        let (lo, hi) = (score_of(rate - half(dr), weight), score_of(rate + half(dr), weight));
        let unit = Decimal::new(1, ds);
        let moved = if up {
            ((hi + half(ds)) / unit).floor() * unit + unit
        } else {
            ((lo - half(ds)) / unit).ceil() * unit - unit
        };
        let yaml = fund_row(
            &text(written(wan(budget), db), db),
            &text(written(wan(executed), de), de),
            weight,
            &text(rate, dr),
            &text(moved, ds),
        );
        prop_assert_eq!(failing_arithmetic(&yaml), vec!["forms/execution-score-mismatch".to_string()], "{}", yaml);
    }

    #[test]
    fn rounded_spending_within_budget_is_never_an_overrun(
        budget in 1u64..100_000_000,
        share in 0.0f64..=1.0,
        (db, de) in (0u32..=2, 0u32..=2),
    ) {
        let executed = ((budget as f64) * share).floor() as u64;
        let yaml = format!(
            "预算: {}万元\n执行: {}万元\n",
            text(written(wan(budget), db), db),
            text(written(wan(executed), de), de),
        );
        prop_assert_eq!(failing(&yaml), Vec::<String>::new(), "{}", yaml);
    }

    #[test]
    fn spending_beyond_every_rounding_is_an_overrun(
        budget in 1u64..100_000_000,
        (db, de) in (0u32..=2, 0u32..=2),
    ) {
        let b = written(wan(budget), db);
        let unit = Decimal::new(1, de);
        let e = ((b + half(db) + half(de)) / unit).floor() * unit + unit;
        let yaml = format!("预算: {}万元\n执行: {}万元\n", text(b, db), text(e, de));
        prop_assert_eq!(failing(&yaml), vec!["budget/executed-exceeds-budget".to_string()], "{}", yaml);
    }
}
