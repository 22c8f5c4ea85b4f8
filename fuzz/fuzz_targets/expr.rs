//! Expression parsing, type checking and evaluation at every node of a fixed report; the
//! quiet and the recording evaluator must decide alike.
#![no_main]

use hecha::engine::Budget;
use hecha::expr::check::{Checker, Params};
use hecha::expr::eval::{Evaluator, decided};
use hecha::expr::parse::{parse_expr, parse_path};
use hecha_fuzz::{assert_span, data};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(src) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(e) = parse_path(src) {
        assert_span(src, &e.span, "path error");
    }
    let mut expr = match parse_expr(src) {
        Ok(expr) => expr,
        Err(e) => {
            assert_span(src, &e.span, "parse error");
            let _ = (e.kind.message(), e.kind.label(), e.kind.help());
            return;
        }
    };
    assert_span(src, &expr.span, "expression");
    expr.walk(&mut |e| assert_span(src, &e.span, "sub-expression"));
    let params = Params::new();
    let mut checker = Checker::new(&params);
    checker.condition(&mut expr);
    for e in &checker.errors {
        assert_span(src, &e.span, "check error");
        let _ = (e.kind.message(), e.kind.label(), e.kind.help());
    }
    if !checker.errors.is_empty() {
        // As when rules load: only a checked expression is evaluated.
        return;
    }
    let (_, report) = data();
    let budget = Budget::unlimited();
    for &root in &report.roots {
        for node in report.descendants(root) {
            let _ = Evaluator::new(&report, &params, None, &budget).eval(&expr, node);
            let _ = Evaluator::new(&report, &params, None, &budget)
                .recording()
                .eval(&expr, node);
            // Differential: the quiet and the recording evaluator decide alike.
            let fast = Evaluator::new(&report, &params, None, &budget).cond(&expr, node);
            let slow = Evaluator::new(&report, &params, None, &budget)
                .recording()
                .cond(&expr, node);
            assert_eq!(
                decided(&fast),
                decided(&slow),
                "{src} at {}",
                report.path(node)
            );
        }
    }
});
