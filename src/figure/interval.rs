//! Interval arithmetic over decimals, for figures that stand for a range of values.
//!
//! A figure written as `90%` stands for every value that rounds to it, [89.5%, 90.5%];
//! sums and ratios of figures are intervals too. A check fails only when it fails for every
//! value in the intervals (XBRL Calculations 1.1), so rounding never raises a false alarm.
//! Endpoints that decimal division or multiplication had to round are widened outward by a
//! hair, never narrowed.

use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A closed interval; `None` on a side means unbounded (`700余人次` is [700, ∞)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub lo: Option<Decimal>,
    pub hi: Option<Decimal>,
}

impl std::ops::Neg for Interval {
    type Output = Interval;

    fn neg(self) -> Interval {
        Interval {
            lo: self.hi.map(|x| -x),
            hi: self.lo.map(|x| -x),
        }
    }
}

/// Why an interval operation has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithError {
    /// A value beyond the range of a 96-bit decimal.
    Overflow,
    /// The divisor is exactly zero.
    DivisionByZero,
}

/// Three-valued truth of a comparison between intervals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// Holds for every value in the intervals.
    True,
    /// Fails for every value in the intervals.
    False,
    /// Holds for some values and fails for others: rounding could explain it.
    Unknown,
}

impl std::ops::Not for Truth {
    type Output = Truth;

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

impl Truth {
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    pub fn or(self, other: Truth) -> Truth {
        !(!self).and(!other)
    }
}

/// An interval endpoint on the extended line, used inside multiplication and division.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ext {
    NegInf,
    Fin(Decimal),
    PosInf,
}

impl Ext {
    fn signum(self) -> i8 {
        match self {
            Ext::NegInf => -1,
            Ext::PosInf => 1,
            Ext::Fin(d) if d.is_zero() => 0,
            Ext::Fin(d) if d.is_sign_negative() => -1,
            Ext::Fin(_) => 1,
        }
    }

    /// The product; 0 × ∞ is 0, as usual for interval endpoints.
    fn mul(self, other: Ext) -> Result<Ext, ArithError> {
        match (self, other) {
            (Ext::Fin(a), Ext::Fin(b)) => {
                let p = a.checked_mul(b).ok_or(ArithError::Overflow)?;
                Ok(Ext::Fin(p))
            }
            _ => Ok(match self.signum() * other.signum() {
                0 => Ext::Fin(Decimal::ZERO),
                s if s > 0 => Ext::PosInf,
                _ => Ext::NegInf,
            }),
        }
    }
}

/// A hair to widen an endpoint by after an operation that may have rounded it.
fn hair(x: Decimal) -> Decimal {
    x.abs().max(Decimal::ONE) * Decimal::new(1, 20)
}

impl Interval {
    pub const EVERYTHING: Interval = Interval { lo: None, hi: None };

    pub fn point(x: Decimal) -> Interval {
        Interval {
            lo: Some(x),
            hi: Some(x),
        }
    }

    /// [x − half, x + half].
    pub fn around(x: Decimal, half: Decimal) -> Result<Interval, ArithError> {
        Ok(Interval {
            lo: Some(x.checked_sub(half).ok_or(ArithError::Overflow)?),
            hi: Some(x.checked_add(half).ok_or(ArithError::Overflow)?),
        })
    }

    pub fn at_least(x: Decimal) -> Interval {
        Interval {
            lo: Some(x),
            hi: None,
        }
    }

    pub fn at_most(x: Decimal) -> Interval {
        Interval {
            lo: None,
            hi: Some(x),
        }
    }

    pub fn is_point(&self) -> bool {
        matches!((self.lo, self.hi), (Some(a), Some(b)) if a == b)
    }

    pub fn contains(&self, x: Decimal) -> bool {
        self.lo.is_none_or(|lo| lo <= x) && self.hi.is_none_or(|hi| x <= hi)
    }

    pub fn checked_add(self, other: Interval) -> Result<Interval, ArithError> {
        Ok(Interval {
            lo: add_side(self.lo, other.lo)?,
            hi: add_side(self.hi, other.hi)?,
        })
    }

    pub fn checked_sub(self, other: Interval) -> Result<Interval, ArithError> {
        self.checked_add(-other)
    }

    pub fn checked_mul(self, other: Interval) -> Result<Interval, ArithError> {
        let (a, b) = (self.ends(), other.ends());
        let products = [a.0.mul(b.0)?, a.0.mul(b.1)?, a.1.mul(b.0)?, a.1.mul(b.1)?];
        let rounded = [self.lo, self.hi, other.lo, other.hi]
            .iter()
            .flatten()
            .map(|d| d.scale())
            .sum::<u32>()
            > 28;
        Ok(from_ends(products, rounded))
    }

    pub fn checked_div(self, other: Interval) -> Result<Interval, ArithError> {
        if other == Interval::point(Decimal::ZERO) {
            return Err(ArithError::DivisionByZero);
        }
        if other.contains(Decimal::ZERO) {
            // The quotient is unbounded on at least one side; stay conservative.
            return Ok(Interval::EVERYTHING);
        }
        let recip = |e: Ext| -> Result<Ext, ArithError> {
            match e {
                Ext::Fin(d) => Decimal::ONE
                    .checked_div(d)
                    .map(Ext::Fin)
                    .ok_or(ArithError::Overflow),
                _ => Ok(Ext::Fin(Decimal::ZERO)),
            }
        };
        let (lo, hi) = other.ends();
        let inverse = Interval {
            lo: ext_to_side(recip(hi)?),
            hi: ext_to_side(recip(lo)?),
        };
        self.times_inverse(inverse, true)
    }

    /// `self × inverse`, widened for rounding; `quick` takes the shortcut for positive
    /// intervals (a test checks that it gives the same as the general way).
    fn times_inverse(self, inverse: Interval, quick: bool) -> Result<Interval, ArithError> {
        if let (true, Some(lo), Some(hi), Some(inv_lo), Some(inv_hi)) =
            (quick, self.lo, self.hi, inverse.lo, inverse.hi)
            && lo >= Decimal::ZERO
            && inv_lo > Decimal::ZERO
        {
            // The common case (a rate of two counts or amounts): every product is at least
            // lo × inv_lo and at most hi × inv_hi, and rounding keeps that order, so the
            // other two products would change neither end nor overflow first.
            let p = Ext::Fin(lo).mul(Ext::Fin(inv_lo))?;
            let q = Ext::Fin(hi).mul(Ext::Fin(inv_hi))?;
            return Ok(widened(p, q, true));
        }
        let (a, b) = (self.ends(), inverse.ends());
        let products = [a.0.mul(b.0)?, a.0.mul(b.1)?, a.1.mul(b.0)?, a.1.mul(b.1)?];
        Ok(from_ends(products, true))
    }

    pub fn abs(self) -> Interval {
        if self.lo.is_some_and(|lo| lo >= Decimal::ZERO) {
            self
        } else if self.hi.is_some_and(|hi| hi <= Decimal::ZERO) {
            -self
        } else {
            let hi = match (self.lo, self.hi) {
                (Some(lo), Some(hi)) => Some(hi.max(-lo)),
                _ => None,
            };
            Interval {
                lo: Some(Decimal::ZERO),
                hi,
            }
        }
    }

    pub fn min(self, other: Interval) -> Interval {
        Interval {
            lo: min_side(self.lo, other.lo, None),
            hi: min_side(self.hi, other.hi, Some(())),
        }
    }

    pub fn max(self, other: Interval) -> Interval {
        -(-self).min(-other)
    }

    fn ends(self) -> (Ext, Ext) {
        (
            self.lo.map_or(Ext::NegInf, Ext::Fin),
            self.hi.map_or(Ext::PosInf, Ext::Fin),
        )
    }

    /// `self == other` for every pair of values (true), for none (false), or for some.
    pub fn eq(&self, other: &Interval) -> Truth {
        if self.disjoint(other) {
            Truth::False
        } else if self.is_point() && self == other {
            Truth::True
        } else {
            Truth::Unknown
        }
    }

    /// `self <= other`.
    pub fn le(&self, other: &Interval) -> Truth {
        match (self.hi, other.lo) {
            (Some(a), Some(b)) if a <= b => return Truth::True,
            _ => {}
        }
        match (self.lo, other.hi) {
            (Some(a), Some(b)) if a > b => Truth::False,
            _ => Truth::Unknown,
        }
    }

    /// `self < other`.
    pub fn lt(&self, other: &Interval) -> Truth {
        match (self.hi, other.lo) {
            (Some(a), Some(b)) if a < b => return Truth::True,
            _ => {}
        }
        match (self.lo, other.hi) {
            (Some(a), Some(b)) if a >= b => Truth::False,
            _ => Truth::Unknown,
        }
    }

    pub fn disjoint(&self, other: &Interval) -> bool {
        let below =
            |a: &Interval, b: &Interval| matches!((a.hi, b.lo), (Some(h), Some(l)) if h < l);
        below(self, other) || below(other, self)
    }
}

fn add_side(a: Option<Decimal>, b: Option<Decimal>) -> Result<Option<Decimal>, ArithError> {
    match (a, b) {
        (Some(a), Some(b)) => a.checked_add(b).map(Some).ok_or(ArithError::Overflow),
        _ => Ok(None),
    }
}

/// The smaller of two lower (`hi_side` None) or upper (`Some`) endpoints, None being infinite.
fn min_side(a: Option<Decimal>, b: Option<Decimal>, hi_side: Option<()>) -> Option<Decimal> {
    match (a, b, hi_side) {
        (Some(a), Some(b), _) => Some(a.min(b)),
        // An unbounded lower side is −∞, which wins a minimum.
        (None, _, None) | (_, None, None) => None,
        // An unbounded upper side is +∞, which loses a minimum.
        (Some(x), None, Some(())) | (None, Some(x), Some(())) => Some(x),
        (None, None, Some(())) => None,
    }
}

fn ext_to_side(e: Ext) -> Option<Decimal> {
    match e {
        Ext::Fin(d) => Some(d),
        _ => None,
    }
}

fn from_ends(products: [Ext; 4], rounded: bool) -> Interval {
    let lo = products
        .iter()
        .copied()
        .min_by(cmp_ext)
        .unwrap_or(Ext::NegInf);
    let hi = products
        .iter()
        .copied()
        .max_by(cmp_ext)
        .unwrap_or(Ext::PosInf);
    widened(lo, hi, rounded)
}

/// The interval from `lo` to `hi`, each widened by a hair if the operation rounded.
fn widened(lo: Ext, hi: Ext, rounded: bool) -> Interval {
    // An endpoint at the edge of the decimal range that cannot be widened becomes
    // unbounded: wider, never narrower.
    let widen = |e: Ext, down: bool| match e {
        Ext::Fin(d) if rounded => {
            if down {
                d.checked_sub(hair(d))
            } else {
                d.checked_add(hair(d))
            }
        }
        Ext::Fin(d) => Some(d),
        _ => None,
    };
    Interval {
        lo: widen(lo, true),
        hi: widen(hi, false),
    }
}

fn cmp_ext(a: &Ext, b: &Ext) -> Ordering {
    a.cmp(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn iv(lo: Decimal, hi: Decimal) -> Interval {
        Interval {
            lo: Some(lo),
            hi: Some(hi),
        }
    }

    #[test]
    fn sum_of_rounded_figures_agrees_with_rounded_total() {
        // 130.15 + 131.06 = 261.21 against a stated 261.20 (DESIGN.md).
        let h = d("0.005");
        let a = Interval::around(d("130.15"), h).unwrap();
        let b = Interval::around(d("131.06"), h).unwrap();
        let total = Interval::around(d("261.20"), h).unwrap();
        assert_eq!(a.checked_add(b).unwrap().eq(&total), Truth::Unknown);
    }

    #[test]
    fn ratio_that_cannot_round_to_the_stated_rate_is_false() {
        // 59 / 61 = 96.72% against a stated 97.6% = [0.9755, 0.9765].
        let q = Interval::point(d("59"))
            .checked_div(Interval::point(d("61")))
            .unwrap();
        let stated = Interval::around(d("0.976"), d("0.0005")).unwrap();
        assert_eq!(q.eq(&stated), Truth::False);
        let right = Interval::around(d("0.967"), d("0.0005")).unwrap();
        assert_eq!(q.eq(&right), Truth::Unknown);
    }

    proptest::proptest! {
        /// The shortcut for positive intervals gives what the four products give.
        #[test]
        fn positive_division_shortcut_is_exact(
            lo in 0i64..10_000_000, width in 0i64..1_000_000, scale in 0u32..6,
            inv_lo in 1i64..10_000_000, inv_width in 0i64..1_000_000, inv_scale in 0u32..12,
        ) {
            let a = iv(Decimal::new(lo, scale), Decimal::new(lo + width, scale));
            let inverse = iv(
                Decimal::new(inv_lo, inv_scale),
                Decimal::new(inv_lo + inv_width, inv_scale),
            );
            proptest::prop_assert_eq!(
                a.times_inverse(inverse, true),
                a.times_inverse(inverse, false)
            );
        }
    }

    #[test]
    fn division_by_exact_zero_is_an_error_and_by_a_range_through_zero_unbounded() {
        let one = Interval::point(Decimal::ONE);
        assert_eq!(
            one.checked_div(Interval::point(Decimal::ZERO)),
            Err(ArithError::DivisionByZero)
        );
        assert_eq!(
            one.checked_div(iv(d("-0.5"), d("0.5"))).unwrap(),
            Interval::EVERYTHING
        );
    }

    #[test]
    fn comparisons_are_three_valued() {
        let a = iv(d("1"), d("2"));
        let b = iv(d("2"), d("3"));
        let c = iv(d("2.5"), d("3"));
        assert_eq!(a.le(&b), Truth::True);
        assert_eq!(b.le(&a), Truth::Unknown);
        assert_eq!(c.le(&a), Truth::False);
        assert_eq!(a.lt(&b), Truth::Unknown);
        assert_eq!(a.lt(&c), Truth::True);
        assert_eq!(
            Interval::point(d("5")).eq(&Interval::point(d("5"))),
            Truth::True
        );
        assert_eq!(a.eq(&c), Truth::False);
    }

    #[test]
    fn unbounded_sides_propagate() {
        let at_least = Interval::at_least(d("700"));
        assert_eq!(at_least.le(&Interval::point(d("650"))), Truth::False);
        assert_eq!(at_least.le(&Interval::point(d("800"))), Truth::Unknown);
        let sum = at_least.checked_add(Interval::point(d("1"))).unwrap();
        assert_eq!(sum, Interval::at_least(d("701")));
        let prod = at_least.checked_mul(Interval::point(d("-1"))).unwrap();
        assert_eq!(prod, Interval::at_most(d("-700")));
    }

    #[test]
    fn multiplication_takes_the_extreme_products() {
        let a = iv(d("-2"), d("3"));
        let b = iv(d("4"), d("5"));
        assert_eq!(a.checked_mul(b).unwrap(), iv(d("-10"), d("15")));
    }

    #[test]
    fn overflow_is_reported() {
        let big = Interval::point(Decimal::MAX);
        assert_eq!(big.checked_add(big), Err(ArithError::Overflow));
        assert_eq!(
            big.checked_mul(Interval::point(d("2"))),
            Err(ArithError::Overflow)
        );
    }

    #[test]
    fn widening_at_the_edge_of_the_range_does_not_panic() {
        // A rounded product or quotient next to Decimal::MAX is widened by a hair; where
        // that does not fit, the side becomes unbounded.
        let near_max = iv(d("-79228162514264337593543950335"), d("1"));
        let quotient = near_max.checked_div(iv(d("1"), d("2"))).unwrap();
        assert_eq!(quotient.lo, None);
        assert!(quotient.contains(d("-79228162514264337593543950335")));
        let big = Interval::point(Decimal::MAX);
        let product = big.checked_mul(iv(d("0.9999999999999999999999999999"), d("1")));
        assert!(product.is_ok_and(|p| p.hi.is_none() || p.hi == Some(Decimal::MAX)));
    }

    #[test]
    fn abs_min_max() {
        assert_eq!(iv(d("-3"), d("2")).abs(), iv(d("0"), d("3")));
        assert_eq!(
            iv(d("1"), d("5")).min(iv(d("2"), d("3"))),
            iv(d("1"), d("3"))
        );
        assert_eq!(
            iv(d("1"), d("5")).max(iv(d("2"), d("3"))),
            iv(d("2"), d("5"))
        );
        assert_eq!(
            Interval::at_least(d("1")).min(iv(d("2"), d("3"))),
            iv(d("1"), d("3"))
        );
    }

    #[test]
    fn truth_tables() {
        use Truth::*;
        assert_eq!(True.and(Unknown), Unknown);
        assert_eq!(False.and(Unknown), False);
        assert_eq!(True.or(Unknown), True);
        assert_eq!(False.or(Unknown), Unknown);
        assert_eq!(!Unknown, Unknown);
    }
}
