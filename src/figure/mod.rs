//! Figures: numbers as a report writes them, with unit, precision and bound.
//!
//! `25`, `25.50`, `25万元`, `90%`, `1022件`, `700余人次`, `2万余份`, `≥50个`, `１０0％`,
//! `六个`. The literal text stays with the data node (see [`crate::report`]); a [`Figure`]
//! is what the text means: its value in base units (元, the ratio 1, one item) and the
//! interval of values it stands for. A figure is parsed once, when its file is loaded.

mod interval;
mod short;
mod unit;

pub use interval::{ArithError, Interval, Truth};
pub use unit::{Combine, Dimension, UNITS, UnitDef, combine, comparable, unit_named, unit_suffix};

use rust_decimal::Decimal;
use short::Short;

/// What the written number says about the true value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// The value, rounded to the written precision (or exact, for whole counts).
    Stated,
    /// A lower bound: `700余人次`, `300多次`, `≥50个`, `50个以上`.
    AtLeast,
    /// An upper bound: `≤90万元`, `不超过5%`, `3次以下`.
    AtMost,
}

/// A number with its unit, as written in a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The written number in the written unit: `25` for `25万元`, `90` for `90%`.
    pub number: Decimal,
    /// Decimal places as written: `25.50` has 2.
    pub decimals: u32,
    /// The multiplier written before the unit: 1, or 10⁴ for `万`, 10⁸ for `亿`.
    pub magnitude: Decimal,
    pub unit: Option<&'static UnitDef>,
    pub bound: Bound,
    /// Whole counts (`1022件`) and bare whole numbers are exact, not rounded.
    pub exact: bool,
    /// The value in base units (元, the ratio 1, one item).
    pub value: Decimal,
    /// Every value the figure may stand for, in base units.
    pub interval: Interval,
    /// The number part as written (`≥50`, `１０0`), for messages.
    number_text: Short,
    /// The rest as written (`余人次`, `万元`, `％`), for messages.
    unit_text: Short,
}

/// A literal that reads as a figure but cannot be one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FigureError {
    /// The number does not fit a 96-bit decimal (about 28 significant digits).
    Overflow,
}

impl Figure {
    /// Reads `text` as a figure. `Ok(None)` means it is text, not a figure.
    pub fn parse(text: &str) -> Result<Option<Figure>, FigureError> {
        if let Some(figure) = Figure::parse_common(text) {
            // Most figures: an ASCII number and a unit, read in one pass.
            return Ok(Some(figure));
        }
        if !holds_numeral(text) {
            // Most text in a report is not a figure; this is the cheap way to say so.
            return Ok(None);
        }
        Figure::parse_written(text)
    }

    /// [`Figure::parse`] without its first, cheap test.
    fn parse_written(text: &str) -> Result<Option<Figure>, FigureError> {
        let written = Written::read(text);
        if let Some(rest) = written.text.strip_prefix("百分之") {
            // 百分之七十七 is 77%: read the number with a % after it.
            let Some(mut figure) = Figure::parse_plain(&format!("{rest}%"))? else {
                return Ok(None);
            };
            if figure.unit.is_none_or(|u| u.name != "%") {
                return Ok(None);
            }
            figure.number_text = Short::new(&format!("百分之{rest}"));
            figure.unit_text = Short::default();
            return written.apply(Some(figure));
        }
        let figure = Figure::parse_plain(written.text)?;
        written.apply(figure)
    }

    /// Reads a figure without the words around it that [`Written`] takes off.
    fn parse_plain(text: &str) -> Result<Option<Figure>, FigureError> {
        let trimmed = text.trim();
        let Some(parts) = Parts::split(trimmed) else {
            return Ok(None);
        };
        let Some(rest) = Rest::read(parts.rest) else {
            return Ok(None);
        };
        let bound = match (parts.comparator, rest.bound) {
            (Some(a), Some(b)) if a != b => return Ok(None),
            (Some(b), _) | (_, Some(b)) => b,
            (None, None) => Bound::Stated,
        };
        let number = parts.number.ok_or(FigureError::Overflow)?;
        let number = if parts.negative { -number } else { number };
        let split = trimmed.len() - parts.rest.len();
        Figure::assemble(
            Read {
                number,
                decimals: parts.decimals,
                magnitude: rest.magnitude,
                unit: rest.unit,
                bound,
            },
            trimmed[..split].trim_end(),
            parts.rest.trim_start(),
        )
        .map(Some)
    }

    /// The figure of a number read from its text: its value and interval computed.
    fn assemble(read: Read, number_text: &str, unit_text: &str) -> Result<Figure, FigureError> {
        let Read {
            number,
            decimals,
            magnitude,
            unit,
            bound,
        } = read;
        let factor = unit.map_or(Decimal::ONE, |u| u.factor);
        let scale = magnitude.checked_mul(factor).ok_or(FigureError::Overflow)?;
        let value = number.checked_mul(scale).ok_or(FigureError::Overflow)?;
        let whole = decimals == 0 && magnitude == Decimal::ONE;
        let exact = whole && unit.is_none_or(|u| u.counted);
        let interval = match bound {
            Bound::AtLeast => Interval::at_least(value),
            Bound::AtMost => Interval::at_most(value),
            Bound::Stated if exact => Interval::point(value),
            Bound::Stated => {
                let half = half_unit(decimals)
                    .checked_mul(scale)
                    .ok_or(FigureError::Overflow)?;
                Interval::around(value, half).map_err(|_| FigureError::Overflow)?
            }
        };
        Ok(Figure {
            number,
            decimals,
            magnitude,
            unit,
            bound,
            exact,
            value,
            interval,
            number_text: Short::new(number_text),
            unit_text: Short::new(unit_text),
        })
    }

    /// The common written forms in one pass: an optional ASCII sign, ASCII digits with at
    /// most one decimal point between digits (18 digits at most), then nothing, or spaces
    /// and a magnitude and unit as [`Rest::read`] reads them without `余`/`多`, `以上`/`以下`
    /// or spaces among them: `1022件`, `25.50万元`, `90%`, `-12.5`, `1022 件`. `None` for
    /// anything else (full-width digits, separators, exponents, comparators, words around
    /// the figure, a number too long for 64 bits, a value too large), which
    /// [`Figure::parse_written`] reads; whenever this reads a figure, it is the one that
    /// reads (a proptest and a test over every unit compare them field by field).
    fn parse_common(text: &str) -> Option<Figure> {
        let bytes = text.as_bytes();
        let (negative, start) = match bytes.first()? {
            b'-' => (true, 1),
            b'+' => (false, 1),
            b'0'..=b'9' => (false, 0),
            _ => return None,
        };
        let mut mantissa: u64 = 0;
        let mut digits = 0u32;
        let mut decimals = 0u32;
        let mut point = false;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match b {
                b'0'..=b'9' => {
                    digits += 1;
                    if digits > MAX_COMMON_DIGITS {
                        return None;
                    }
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    decimals += u32::from(point);
                }
                b'.' if !point && digits > 0 => {
                    // A point is part of the number only between digits.
                    if !bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
                        return None;
                    }
                    point = true;
                }
                _ => break,
            }
            end += 1;
        }
        if digits == 0 {
            return None;
        }
        let after = &text[end..];
        let written = after.trim_start_matches(' ');
        if written.len() != after.len() && written.is_empty() {
            return None; // spaces at the end: the full reader trims them
        }
        let unit = unit_suffix(written);
        let before_unit = &written[..written.len() - unit.map_or(0, |u| u.name.len())];
        // At most two magnitudes, each a three-byte character.
        if before_unit.len() > 6 {
            return None;
        }
        let mut power = 0;
        for c in before_unit.chars() {
            power += magnitude_power(c)?;
        }
        let number = decimal(u128::from(mantissa), false, decimals);
        let number = if negative { -number } else { number };
        let ten_to = |p: u32| 10u128.pow(p);
        let magnitude = decimal(ten_to(power), false, 0);
        // The unit's factor is 10^-k (a test checks it).
        let k = unit.map_or(0, |u| u.factor.scale());
        let read = Read {
            number,
            decimals,
            magnitude,
            unit,
            bound: Bound::Stated,
        };
        // The value's digits, and those of its interval's ends, one place further: when
        // they fit 96 bits, the value and interval are made from them as `Decimal`'s
        // arithmetic makes them (the same digits and scale, zero made positive);
        // otherwise by that arithmetic.
        let digits = u128::from(mantissa) * ten_to(power);
        let half = 5 * ten_to(power);
        if digits * 10 + half >= 1 << 96 {
            return Figure::assemble(read, &text[..end], written).ok();
        }
        let value = if mantissa == 0 {
            Decimal::ZERO
        } else {
            decimal(digits, negative, decimals + k)
        };
        let exact = decimals == 0 && power == 0 && unit.is_none_or(|u| u.counted);
        let interval = if exact {
            Interval::point(value)
        } else {
            // value ∓ half a unit of the last written place, at one place more.
            let scale = decimals + 1 + k;
            let (near, far) = ((digits * 10).saturating_sub(half), digits * 10 + half);
            let (lo, hi) = if mantissa == 0 {
                (decimal(half, true, scale), decimal(half, false, scale))
            } else if negative {
                (decimal(far, true, scale), decimal(near, true, scale))
            } else {
                (decimal(near, false, scale), decimal(far, false, scale))
            };
            Interval {
                lo: Some(lo),
                hi: Some(hi),
            }
        };
        Some(Figure {
            number,
            decimals,
            magnitude,
            unit,
            bound: Bound::Stated,
            exact,
            value,
            interval,
            number_text: Short::new(&text[..end]),
            unit_text: Short::new(written),
        })
    }

    pub fn dimension(&self) -> Option<Dimension> {
        self.unit.map(|u| u.dimension)
    }

    /// The number as written, comparator included (`≥50`, `１０0`, `25.50`).
    pub fn number_text(&self) -> &str {
        self.number_text.as_str()
    }

    /// The unit as written, magnitude and `余` included (`万元`, `余人次`, `%`).
    pub fn unit_text(&self) -> &str {
        self.unit_text.as_str()
    }

    /// The figure as written, with a space between the number and a Chinese unit:
    /// `1022 件`, `25 万元`, `90%`, `700 余人次`.
    pub fn display(&self) -> String {
        spaced(self.number_text(), self.unit_text())
    }
}

/// What [`Figure::assemble`] computes a figure from.
struct Read {
    number: Decimal,
    decimals: u32,
    magnitude: Decimal,
    unit: Option<&'static UnitDef>,
    bound: Bound,
}

/// The power of ten a magnitude written before a unit stands for: `万` is 10⁴.
fn magnitude_power(c: char) -> Option<u32> {
    match c {
        '百' => Some(2),
        '千' => Some(3),
        '万' => Some(4),
        '亿' => Some(8),
        _ => None,
    }
}

/// The decimal of these digits, sign and scale (digits below 2⁹⁶, scale at most 28).
fn decimal(digits: u128, negative: bool, scale: u32) -> Decimal {
    Decimal::from_parts(
        digits as u32,
        (digits >> 32) as u32,
        (digits >> 64) as u32,
        negative,
        scale,
    )
}

/// The most digits [`Figure::parse_common`] reads: their number fits a `u64`, and is
/// exactly what `Decimal`'s parser makes of them.
const MAX_COMMON_DIGITS: u32 = 18;

/// A value that holds a figure but is not one: what the author wrote instead of a
/// figure, so that it is reported rather than silently taken as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NearMiss {
    /// A label and a figure in one value: `得分: 89.05分`, `受理：2495件`. `colon` is the
    /// byte offset of the colon in the text, `full_width` whether it is `：`.
    Labelled { colon: usize, full_width: bool },
    /// A change rather than an amount: `下降5%`, `增长12.5万元`; the word is kept.
    Change(&'static str),
}

const CHANGE_WORDS: &[&str] = &[
    "同比增长",
    "同比下降",
    "同比增加",
    "同比减少",
    "环比增长",
    "环比下降",
    "增长",
    "下降",
    "增加",
    "减少",
    "提高",
    "降低",
    "上升",
    "增幅",
    "降幅",
    "减幅",
];

impl NearMiss {
    /// What `text`, which is not a figure, holds instead, if it is one of these.
    pub fn of(text: &str) -> Option<NearMiss> {
        let t = text.trim();
        let numeral = |c: char| {
            matches!(
                c,
                '０'
                    ..='９'
                        | '一'
                        | '二'
                        | '三'
                        | '四'
                        | '五'
                        | '六'
                        | '七'
                        | '八'
                        | '九'
                        | '十'
                        | '百'
            )
        };
        if t.len() > 200
            || !(t.bytes().any(|b| b.is_ascii_digit()) || !t.is_ascii() && t.chars().any(numeral))
        {
            return None;
        }
        for word in CHANGE_WORDS {
            if let Some(rest) = t.strip_prefix(word)
                && matches!(
                    Figure::parse(rest.trim_start_matches([':', '：', ' '])),
                    Ok(Some(_))
                )
            {
                return Some(NearMiss::Change(word));
            }
        }
        let (colon, width) = t
            .char_indices()
            .find(|(_, c)| matches!(c, ':' | '：'))
            .map(|(i, c)| (i, c.len_utf8()))?;
        let label = t[..colon].trim();
        let after = t[colon + width..].trim();
        let plain_label = !label.is_empty()
            && label.chars().count() <= 20
            && !label
                .chars()
                .any(|c| c.is_ascii_digit() || c.is_whitespace());
        if plain_label && matches!(Figure::parse(after), Ok(Some(_))) {
            let lead = text.len() - text.trim_start().len();
            return Some(NearMiss::Labelled {
                colon: lead + colon,
                full_width: width > 1,
            });
        }
        None
    }
}

/// What a report writes around a figure that does not change it, or only widens it:
/// `共2495件` (in all), `2495件。` (the sentence's punctuation), `1022件（含重复）` (a
/// remark), and the approximations `约2500件`, `2500件左右`, `近2500件`.
struct Written<'a> {
    /// The figure's own text, without them.
    text: &'a str,
    approximate: Option<Approximate>,
    /// The word that makes it approximate, shown with the number (`约2500`).
    word: &'a str,
}

/// How an approximate figure widens: `约`/`左右` by a tenth either way, `近` (nearly) a
/// tenth below, never above. Documented in docs/conventions.md.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Approximate {
    About,
    Nearly,
}

const TOTAL_WORDS: &[&str] = &["共计", "合计", "累计", "总计", "共"];
const ABOUT_WORDS: &[(&str, Approximate)] = &[
    ("大约", Approximate::About),
    ("约", Approximate::About),
    ("将近", Approximate::Nearly),
    ("接近", Approximate::Nearly),
    ("近", Approximate::Nearly),
];
const TRAILING: &[char] = &['。', '，', '；', '、', ',', ';', '！', '!', '.', '．'];
/// The last bytes of the [`TRAILING`] characters in UTF-8 (a test checks them): text
/// ending in another byte has none to trim.
const TRAILING_LAST_BYTES: &[u8] = &[0x82, 0x8c, 0x9b, 0x81, b',', b';', b'!', b'.', 0x8e];

impl<'a> Written<'a> {
    /// `s` with no word taken off: [`Written::read`] after its first steps, for text
    /// that begins with none of the words (`左右` at its end still makes it approximate).
    fn unworded(s: &'a str) -> Written<'a> {
        match s.strip_suffix("左右") {
            Some(before) => Written {
                text: before.trim_end(),
                approximate: Some(Approximate::About),
                word: "",
            },
            None => Written {
                text: s,
                approximate: None,
                word: "",
            },
        }
    }

    fn read(text: &'a str) -> Written<'a> {
        let mut s = text.trim();
        // A remark in brackets after the figure: 1022件（含重复）.
        for (open, close) in [('（', '）'), ('(', ')')] {
            if let Some(before) = s.strip_suffix(close)
                && let Some(at) = before.rfind(open)
                && at > 0
                && !before[at + open.len_utf8()..].contains([open, close])
            {
                s = before[..at].trim_end();
                break;
            }
        }
        if s.as_bytes()
            .last()
            .is_some_and(|b| TRAILING_LAST_BYTES.contains(b))
        {
            s = s.trim_end_matches(TRAILING).trim_end();
        }
        // Every total and approximate word is Chinese: text that begins with an ASCII
        // character (a digit, most often) begins with none of them.
        if s.as_bytes().first().is_some_and(u8::is_ascii) {
            return Written::unworded(s);
        }
        for word in TOTAL_WORDS {
            if let Some(after) = s.strip_prefix(word) {
                s = after.trim_start();
                break;
            }
        }
        let mut approximate = None;
        let mut word = "";
        for (w, kind) in ABOUT_WORDS {
            if let Some(after) = s.strip_prefix(w) {
                s = after.trim_start();
                approximate = Some(*kind);
                word = w;
                break;
            }
        }
        if approximate.is_none()
            && let Some(before) = s.strip_suffix("左右")
        {
            s = before.trim_end();
            approximate = Some(Approximate::About);
        }
        Written {
            text: s,
            approximate,
            word,
        }
    }

    /// The figure read from [`Written::text`], widened when approximate.
    fn apply(&self, figure: Option<Figure>) -> Result<Option<Figure>, FigureError> {
        let Some(mut figure) = figure else {
            return Ok(None);
        };
        let Some(kind) = self.approximate else {
            return Ok(Some(figure));
        };
        if figure.bound != Bound::Stated {
            // 约700余人次: a bound already says what the figure can.
            return Ok(Some(figure));
        }
        let tenth = (figure.value / Decimal::TEN).abs();
        let (lo, hi) = (figure.interval.lo, figure.interval.hi);
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Some(figure));
        };
        let low = figure
            .value
            .checked_sub(tenth)
            .ok_or(FigureError::Overflow)?;
        let high = match kind {
            Approximate::About => figure
                .value
                .checked_add(tenth)
                .ok_or(FigureError::Overflow)?,
            Approximate::Nearly => figure.value,
        };
        figure.interval = Interval {
            lo: Some(lo.min(low)),
            hi: Some(hi.max(high)),
        };
        figure.exact = false;
        figure.number_text = Short::new(&format!("{}{}", self.word, figure.number_text()));
        if self.word.is_empty() {
            figure.unit_text = Short::new(&format!("{}左右", figure.unit_text()));
        }
        Ok(Some(figure))
    }
}

/// Half of the last written decimal place: 0.005 for `25.50`. A decimal holds at most 28
/// places, so beyond 27 written places the half widens to 10⁻²⁸, which only makes the
/// interval a hair wider (never a false alarm).
fn half_unit(decimals: u32) -> Decimal {
    match decimals.checked_add(1) {
        Some(scale) if scale <= Decimal::MAX_SCALE => Decimal::new(5, scale),
        _ => Decimal::new(1, Decimal::MAX_SCALE),
    }
}

/// Joins a number and a unit the way diagnostics write them: a space before Chinese text.
pub fn spaced(number: &str, unit: &str) -> String {
    match unit.chars().next() {
        Some(c) if !c.is_ascii() && !matches!(c, '％' | '‰') => format!("{number} {unit}"),
        _ => format!("{number}{unit}"),
    }
}

/// A literal split into comparator, sign, number and the rest.
struct Parts<'a> {
    comparator: Option<Bound>,
    negative: bool,
    /// None when the digits overflow a decimal.
    number: Option<Decimal>,
    decimals: u32,
    rest: &'a str,
}

/// The first bytes of the [`COMPARATORS`]: `>`, `<`, and the lead bytes of `≥≤⩾⩽`
/// (0xE2), `＞＜` (0xEF), `不` (0xE4), `大`, `小` (0xE5).
macro_rules! COMPARATOR_FIRST_BYTES {
    () => {
        b'>' | b'<' | 0xe2 | 0xef | 0xe4 | 0xe5
    };
}

const COMPARATORS: &[(&str, Bound)] = &[
    (">=", Bound::AtLeast),
    ("<=", Bound::AtMost),
    ("≥", Bound::AtLeast),
    ("≤", Bound::AtMost),
    ("⩾", Bound::AtLeast),
    ("⩽", Bound::AtMost),
    (">", Bound::AtLeast),
    ("<", Bound::AtMost),
    ("＞", Bound::AtLeast),
    ("＜", Bound::AtMost),
    ("不低于", Bound::AtLeast),
    ("不少于", Bound::AtLeast),
    ("不小于", Bound::AtLeast),
    ("不超过", Bound::AtMost),
    ("不高于", Bound::AtMost),
    ("不大于", Bound::AtMost),
    ("大于等于", Bound::AtLeast),
    ("小于等于", Bound::AtMost),
    ("大于", Bound::AtLeast),
    ("小于", Bound::AtMost),
];

/// The comparator `text` starts with (`≥`, `<=`, `不少于`, `大于等于`), as the bound it
/// makes of a figure, and the text after it.
pub fn comparator(text: &str) -> Option<(Bound, &str)> {
    // Every comparator begins with one of these bytes (a test checks it); most figures
    // begin with a digit.
    if !matches!(text.as_bytes().first(), Some(COMPARATOR_FIRST_BYTES!())) {
        return None;
    }
    COMPARATORS.iter().find_map(|(word, bound)| {
        text.strip_prefix(word)
            .map(|after| (*bound, after.trim_start()))
    })
}

impl<'a> Parts<'a> {
    fn split(text: &'a str) -> Option<Parts<'a>> {
        let (comparator, mut s) = match comparator(text) {
            Some((bound, after)) => (Some(bound), after),
            None => (None, text),
        };
        if let Some(after) = s.strip_prefix(['=', '＝']) {
            if comparator.is_some() {
                return None;
            }
            s = after.trim_start();
        }
        let mut negative = false;
        if let Some(after) = s.strip_prefix(['-', '−', '－']) {
            negative = true;
            s = after;
        } else if let Some(after) = s.strip_prefix(['+', '＋']) {
            s = after;
        }
        let (number, decimals, rest) = arabic(s).or_else(|| chinese(s))?;
        Some(Parts {
            comparator,
            negative,
            number,
            decimals,
            rest,
        })
    }
}

/// Whether `text` holds a character a figure's number begins with: an Arabic digit
/// (half or full width) or a Chinese numeral. Every figure holds one ([`arabic`] needs a
/// digit, [`chinese`] a numeral), so text without one is not a figure.
fn holds_numeral(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        || (!text.is_ascii()
            && text.chars().any(|c| {
                matches!(
                    c,
                    '０'
                        ..='９'
                            | '零'
                            | '〇'
                            | '一'
                            | '二'
                            | '两'
                            | '三'
                            | '四'
                            | '五'
                            | '六'
                            | '七'
                            | '八'
                            | '九'
                            | '十'
                            | '百'
                            | '千'
                )
            }))
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// Reads `1,022.50`, `１０0`, `2e3`; returns the number, its decimals and the rest.
///
/// The number is parsed from the text itself when it is written in ASCII digits without
/// separators (nearly always); only full-width digits, `．` or `,` make a copy of its
/// digits. A test compares it with [`arabic_reference`], which always copied them.
fn arabic(s: &str) -> Option<(Option<Decimal>, u32, &str)> {
    let mut count = 0usize; // digits so far
    let mut plain = true; // ASCII digits and `.` only: the text is the number
    let mut decimals = 0u32;
    let mut seen_point = false;
    let mut group_len: Option<usize> = None; // digits since the last thousands separator
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if let Some(d) = ascii_digit(c) {
            count += 1;
            plain &= d == c;
            if seen_point {
                decimals += 1;
            } else if let Some(n) = group_len.as_mut() {
                *n += 1;
            }
            end = pos + c.len_utf8();
        } else if (c == '.' || c == '．') && !seen_point && count > 0 {
            let next_is_digit = chars.peek().is_some_and(|(_, n)| ascii_digit(*n).is_some());
            if !next_is_digit || group_len.is_some_and(|n| n != 3) {
                break;
            }
            seen_point = true;
            plain &= c == '.';
        } else if c == ',' && !seen_point && count > 0 {
            let next_is_digit = chars.peek().is_some_and(|(_, n)| ascii_digit(*n).is_some());
            let first_group_ok = group_len.is_some() || count <= 3;
            if !next_is_digit || group_len.is_some_and(|n| n != 3) || !first_group_ok {
                return None;
            }
            group_len = Some(0);
            plain = false;
        } else {
            break;
        }
    }
    if count == 0 || group_len.is_some_and(|n| n != 3) {
        return None;
    }
    let mut rest = &s[end..];
    // JSON and YAML allow an exponent: 2e3, 1.5E-2.
    if let Some(exp) = rest.strip_prefix(['e', 'E']) {
        let sign_len = usize::from(exp.starts_with(['+', '-']));
        let exp_digits = exp[sign_len..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if exp_digits > 0 && group_len.is_none() {
            let literal = &s[..end + 1 + sign_len + exp_digits];
            let number = Decimal::from_scientific(literal).ok();
            rest = &exp[sign_len + exp_digits..];
            let decimals = number.map_or(0, |n| n.scale());
            return Some((number, decimals, rest));
        }
    }
    let number = if plain {
        s[..end].parse::<Decimal>().ok()
    } else {
        // Up to `end`: digits, points and separators; as ASCII, without separators.
        let digits: String = s[..end]
            .chars()
            .filter_map(|c| match c {
                ',' => None,
                '．' => Some('.'),
                c => Some(ascii_digit(c).unwrap_or(c)),
            })
            .collect();
        digits.parse::<Decimal>().ok()
    };
    Some((number, decimals, rest))
}

/// [`arabic`] as it was, collecting the digits into a `String`: the reference a test
/// compares it with.
#[cfg(test)]
fn arabic_reference(s: &str) -> Option<(Option<Decimal>, u32, &str)> {
    let mut digits = String::new();
    let mut decimals = 0u32;
    let mut seen_point = false;
    let mut group_len: Option<usize> = None; // digits since the last thousands separator
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if let Some(d) = ascii_digit(c) {
            digits.push(d);
            if seen_point {
                decimals += 1;
            } else if let Some(n) = group_len.as_mut() {
                *n += 1;
            }
            end = pos + c.len_utf8();
        } else if (c == '.' || c == '．') && !seen_point && !digits.is_empty() {
            let next_is_digit = chars.peek().is_some_and(|(_, n)| ascii_digit(*n).is_some());
            if !next_is_digit || group_len.is_some_and(|n| n != 3) {
                break;
            }
            seen_point = true;
            digits.push('.');
        } else if c == ',' && !seen_point && !digits.is_empty() {
            let next_is_digit = chars.peek().is_some_and(|(_, n)| ascii_digit(*n).is_some());
            let first_group_ok = group_len.is_some() || digits.len() <= 3;
            if !next_is_digit || group_len.is_some_and(|n| n != 3) || !first_group_ok {
                return None;
            }
            group_len = Some(0);
        } else {
            break;
        }
    }
    if digits.is_empty() || group_len.is_some_and(|n| n != 3) {
        return None;
    }
    let mut rest = &s[end..];
    // JSON and YAML allow an exponent: 2e3, 1.5E-2.
    if let Some(exp) = rest.strip_prefix(['e', 'E']) {
        let sign_len = usize::from(exp.starts_with(['+', '-']));
        let exp_digits = exp[sign_len..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if exp_digits > 0 && group_len.is_none() {
            let literal = &s[..end + 1 + sign_len + exp_digits];
            let number = Decimal::from_scientific(literal).ok();
            rest = &exp[sign_len + exp_digits..];
            let decimals = number.map_or(0, |n| n.scale());
            return Some((number, decimals, rest));
        }
    }
    let number = digits.parse::<Decimal>().ok();
    Some((number, decimals, rest))
}

/// Reads a whole number written in Chinese numerals: `六`, `十二`, `一百二十`, `两`.
fn chinese(s: &str) -> Option<(Option<Decimal>, u32, &str)> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut end = 0;
    for (pos, c) in s.char_indices() {
        let digit = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        let place = match c {
            '十' => Some(10),
            '百' => Some(100),
            '千' => Some(1000),
            _ => None,
        };
        match (digit, place) {
            (Some(d), _) => current = d,
            (_, Some(p)) => {
                // A place with no digit before it (十二) means one of it, except after
                // another digit group, where 百/千 belong to the magnitude (三千万).
                if current == 0 && p != 10 && total == 0 && end == 0 {
                    break;
                }
                total += current.max(u64::from(p == 10 && current == 0)) * p;
                current = 0;
            }
            _ => break,
        }
        end = pos + c.len_utf8();
    }
    if end == 0 {
        return None;
    }
    Some((Some(Decimal::from(total + current)), 0, &s[end..]))
}

/// The part of a literal after its number: magnitude, `余`/`多`, unit, `以上`/`以下`.
struct Rest {
    magnitude: Decimal,
    unit: Option<&'static UnitDef>,
    bound: Option<Bound>,
}

impl Rest {
    fn read(text: &str) -> Option<Rest> {
        let mut s = text.trim();
        let mut bound = None;
        if let Some(before) = s.strip_suffix("以上") {
            bound = Some(Bound::AtLeast);
            s = before.trim_end();
        } else if let Some(before) = s.strip_suffix("以下") {
            bound = Some(Bound::AtMost);
            s = before.trim_end();
        }
        let unit = unit_suffix(s);
        if let Some(u) = unit {
            s = s[..s.len() - u.name.len()].trim_end();
        }
        let mut magnitude = Decimal::ONE;
        let mut magnitudes = 0;
        for c in s.chars() {
            let m = match c {
                '余' | '多' if bound.is_none() => {
                    bound = Some(Bound::AtLeast);
                    continue;
                }
                _ => Decimal::from(10u64.pow(magnitude_power(c)?)),
            };
            magnitudes += 1;
            if magnitudes > 2 {
                return None;
            }
            magnitude *= m;
        }
        Some(Rest {
            magnitude,
            unit,
            bound,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cheap_tests_before_the_word_lists_rule_out_only_what_the_lists_would() {
        for (word, _) in COMPARATORS {
            assert!(
                matches!(word.as_bytes().first(), Some(COMPARATOR_FIRST_BYTES!())),
                "{word}"
            );
        }
        for c in TRAILING {
            let mut buf = [0; 4];
            let last = *c.encode_utf8(&mut buf).as_bytes().last().unwrap();
            assert!(TRAILING_LAST_BYTES.contains(&last), "{c}");
        }
        for word in TOTAL_WORDS.iter().chain(ABOUT_WORDS.iter().map(|(w, _)| w)) {
            assert!(!word.as_bytes()[0].is_ascii(), "{word}");
        }
        // And they read as before.
        for text in [
            "约700余人次",
            "共计 25万元",
            "25万元左右",
            "25。",
            "≥50个",
            "不少于3次",
            "大于等于5%",
        ] {
            assert!(Figure::parse(text).unwrap().is_some(), "{text}");
        }
        let about = Figure::parse("2500左右").unwrap().unwrap();
        assert_eq!((about.number_text(), about.unit_text()), ("2500", "左右"));
    }

    #[test]
    fn text_without_a_numeral_is_never_a_figure() {
        // Every character the figure reader knows besides numerals, in many combinations.
        let mut pieces: Vec<String> = crate::figure::unit::UNITS
            .iter()
            .map(|u| u.name.to_string())
            .collect();
        for w in [
            "万",
            "亿",
            "余",
            "多",
            "以上",
            "以下",
            "左右",
            "约",
            "近",
            "共计",
            "合计",
            "百分之",
            "（含重复）",
            "。",
            "，",
            ".",
            ",",
            "-",
            "+",
            "=",
            "≥",
            "≤",
            ">",
            "<",
            "e",
            "E",
            " ",
            "不少于",
            "超过",
            "—",
            "/",
            "成",
        ] {
            pieces.push(w.to_string());
        }
        let mut checked = 0;
        for a in &pieces {
            for b in &pieces {
                for c in ["", "万", "余", "%"] {
                    let text = format!("{a}{b}{c}");
                    assert!(
                        !holds_numeral(&text) || text.contains(['百', '千']),
                        "{text}"
                    );
                    if !holds_numeral(&text) {
                        assert_eq!(Figure::parse_written(&text), Ok(None), "{text}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        assert!(holds_numeral("十二件") && holds_numeral("１０件") && holds_numeral("7成"));
    }

    /// Every field of a figure, its decimals as stored (scale and sign included), so that
    /// two figures compare equal only when they are the same to the last bit.
    fn fields(f: &Figure) -> impl std::fmt::Debug + PartialEq {
        let bits = |d: Decimal| d.serialize();
        (
            (bits(f.number), f.decimals, bits(f.magnitude)),
            f.unit.map(|u| u as *const UnitDef),
            (f.bound, f.exact, bits(f.value)),
            (f.interval.lo.map(bits), f.interval.hi.map(bits)),
            (f.number_text().to_string(), f.unit_text().to_string()),
        )
    }

    /// The one-pass reading of `text`, if it reads it, checked against the full reader.
    fn common_agrees(text: &str) -> Option<Figure> {
        let fast = Figure::parse_common(text)?;
        let full = Figure::parse_written(text);
        let Ok(Some(full)) = full else {
            panic!("{text:?}: the one pass reads {fast:?}, the full reader {full:?}");
        };
        assert_eq!(fields(&fast), fields(&full), "{text:?}");
        assert_eq!(fast, full, "{text:?}");
        Some(fast)
    }

    const MAGNITUDES: &[&str] = &["", "万", "亿", "百", "千", "千万", "百万", "万亿", "亿亿"];

    #[test]
    fn the_one_pass_reads_the_common_forms_as_the_full_reader_does() {
        for text in [
            "1022件",
            "25.50万元",
            "90%",
            "3",
            "-12.5",
            "1022 件",
            "+7",
            "0",
            "-0",
            "0.00",
            "-0.0万元",
            "007",
            "97.6%",
            "768.6979万",
            "1.2亿元",
            "2万份",
            "3千米",
            "5百分比",
            "3个工作日",
            "2.5个百分点",
            "0万元",
            "123456789012345678",
            "99.5分",
        ] {
            assert!(
                common_agrees(text).is_some(),
                "{text} is not read in one pass"
            );
        }
        // Everything else goes to the full reader.
        for text in [
            "１０0％",
            "1,022件",
            "≥50个",
            "700余人次",
            "300多次",
            "约2500件",
            "2500件左右",
            "共2495件",
            "2495件。",
            "1022件（含重复）",
            "50个以上",
            "六个",
            "2e3",
            "5.",
            ".5",
            "1.2.3",
            "2018年",
            "5G",
            "25 万元 ",
            " 25",
            "5万 元",
            "5\t件",
            "- 5",
            "−0.5万元",
            "1234567890123456789",
            "99999999999999999亿亿元",
            "3万万万元",
            "12．5",
            "=5",
        ] {
            assert!(
                Figure::parse_common(text).is_none(),
                "{text} is read in one pass"
            );
        }
    }

    #[test]
    fn the_one_pass_reads_every_unit_as_the_full_reader_does() {
        for unit in UNITS {
            // The one pass reads a unit's factor as a power of ten.
            assert_eq!(unit.factor.mantissa(), 1, "{}", unit.name);
            for number in ["3", "25.50", "-12.5", "0", "007", "+1", "1022 ", "0.0"] {
                for magnitude in MAGNITUDES {
                    let text = format!("{number}{magnitude}{}", unit.name);
                    let figure = common_agrees(&text)
                        .unwrap_or_else(|| panic!("{text} is not read in one pass"));
                    // 千 before 米 is 千米, the longer unit.
                    let read = figure.unit.unwrap();
                    assert!(
                        std::ptr::eq(read, unit)
                            || format!("{magnitude}{}", unit.name).ends_with(read.name),
                        "{text}"
                    );
                }
            }
        }
    }

    fn unit_name() -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::prelude::*;
        (0..=UNITS.len()).prop_map(|i| UNITS.get(i).map_or("", |u| u.name))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Whatever the one pass reads, it reads as the full reader does.
        #[test]
        fn the_one_pass_agrees_with_the_full_reader(
            prefix in "|-|\\+|−| |=|约|≥",
            whole in "[0-9]{0,3}|[0-9]{15,20}|0{1,5}[0-9]{0,15}",
            fraction in "|\\.[0-9]{0,6}|\\.[0-9]{10,20}|\\.|．5|,000",
            spaces in "| |  |\t",
            magnitude in proptest::sample::select(MAGNITUDES),
            unit in unit_name(),
            junk in "|[ 余多年以上下左右。.,%e3万件（）a-]{1,3}",
        ) {
            for text in [
                format!("{prefix}{whole}{fraction}{spaces}{magnitude}{unit}{junk}"),
                format!("{prefix}{whole}{fraction}{junk}{spaces}{magnitude}{unit}"),
                format!("{whole}{fraction}{spaces}{magnitude}{unit}"),
            ] {
                common_agrees(&text);
            }
            // And the common forms are read in one pass.
            let power = [0, 4, 8, 2, 3, 7, 6, 12, 16][MAGNITUDES
                .iter()
                .position(|m| *m == magnitude)
                .unwrap()];
            let digits = whole.len() + fraction.len().saturating_sub(1);
            let common = !whole.is_empty()
                && digits <= 18
                && (fraction.is_empty() || fraction.len() > 1 && fraction.starts_with('.'))
                && (spaces.is_empty() || spaces.starts_with(' ') && !(magnitude.is_empty() && unit.is_empty()))
                && !spaces.contains('\t');
            let text = format!("{whole}{fraction}{spaces}{magnitude}{unit}");
            let read = Figure::parse_common(&text).is_some();
            // A value too large for a decimal is left to the full reader.
            let fits = whole.len() + power <= 28;
            proptest::prop_assert!(if common { read || !fits } else { !read }, "{}", text);
        }
    }

    proptest::proptest! {
        /// Reading the number from the text itself gives what copying its digits gave.
        #[test]
        fn arabic_agrees_with_the_reference(
            text in "[0-9０-９.．,eE+\\-万元件%a ]{0,12}",
            long in "[0-9]{20,40}(\\.[0-9]{0,40})?",
        ) {
            proptest::prop_assert_eq!(arabic(&text), arabic_reference(&text));
            proptest::prop_assert_eq!(arabic(&long), arabic_reference(&long));
        }
    }

    #[test]
    fn arabic_agrees_with_the_reference_on_written_numbers() {
        for text in [
            "25.50",
            "１０0",
            "1,022.50",
            "1,022",
            "12．5",
            "１２．５",
            "2e3",
            "1.5E-2",
            "0.",
            "1.2.3",
            "10,22",
            "1,02",
            "007",
            "1.",
            "5G",
        ] {
            assert_eq!(arabic(text), arabic_reference(text), "{text}");
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn fig(s: &str) -> Figure {
        Figure::parse(s)
            .unwrap()
            .unwrap_or_else(|| panic!("{s} is not a figure"))
    }

    #[test]
    fn plain_numbers_keep_their_precision() {
        let f = fig("25.50");
        assert_eq!(f.number, d("25.50"));
        assert_eq!(f.decimals, 2);
        assert!(!f.exact);
        assert_eq!(
            f.interval,
            Interval::around(d("25.50"), d("0.005")).unwrap()
        );
        assert!(fig("25").exact, "bare whole numbers are exact");
        assert!(
            !fig("0万元").exact,
            "0万元 may be 3000 元 rounded to whole 万元"
        );
        assert!(fig("0件").exact);
    }

    #[test]
    fn money_converts_to_yuan_with_its_rounding() {
        let f = fig("25万元");
        assert_eq!(f.value, d("250000"));
        assert_eq!(f.dimension(), Some(Dimension::Money));
        assert_eq!(
            f.interval,
            Interval::around(d("250000"), d("5000")).unwrap()
        );
        let g = fig("768.6979万");
        assert_eq!(g.value, d("7686979"));
        assert_eq!(g.unit, None);
        assert_eq!(fig("1.2亿元").value, d("120000000"));
    }

    #[test]
    fn percentages_are_fractions_rounded_to_their_decimals() {
        let f = fig("97.6%");
        assert_eq!(f.value, d("0.976"));
        assert_eq!(
            f.interval,
            Interval::around(d("0.976"), d("0.0005")).unwrap()
        );
        assert_eq!(fig("90％").value, d("0.9"));
        assert_eq!(fig("５‰").value, d("0.005"));
        assert_eq!(fig("≥100百分比").value, d("1"));
    }

    #[test]
    fn whole_counts_are_exact_and_others_rounded() {
        let f = fig("1022件");
        assert!(f.exact);
        assert_eq!(f.interval, Interval::point(d("1022")));
        assert!(!fig("0.5人次").exact);
        assert!(!fig("2万份").exact, "a count written in 万 is rounded");
        assert_eq!(
            fig("2万份").interval,
            Interval::around(d("20000"), d("5000")).unwrap()
        );
    }

    #[test]
    fn lower_and_upper_bounds() {
        assert_eq!(fig("700余人次").interval, Interval::at_least(d("700")));
        assert_eq!(fig("2万余份").interval, Interval::at_least(d("20000")));
        assert_eq!(
            fig("3000余万元").interval,
            Interval::at_least(d("30000000"))
        );
        assert_eq!(fig("300多次").bound, Bound::AtLeast);
        assert_eq!(fig("≥50个").interval, Interval::at_least(d("50")));
        assert_eq!(fig("≤90万元").interval, Interval::at_most(d("900000")));
        assert_eq!(fig("50个以上").bound, Bound::AtLeast);
        assert_eq!(fig("不超过5%").bound, Bound::AtMost);
        assert_eq!(fig("大于等于95%").bound, Bound::AtLeast);
        assert_eq!(fig("小于3次").bound, Bound::AtMost);
        assert!(Figure::parse("≥50个以下").unwrap().is_none());
    }

    #[test]
    fn full_width_digits_and_separators() {
        assert_eq!(fig("１０0％").value, d("1"));
        assert_eq!(fig("1,022件").value, d("1022"));
        assert_eq!(fig("１２．５").value, d("12.5"));
        assert!(Figure::parse("1,02件").unwrap().is_none());
        assert!(Figure::parse("10,22").unwrap().is_none());
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(fig("六个").value, d("6"));
        assert_eq!(fig("十二次").value, d("12"));
        assert_eq!(fig("一百二十人").value, d("120"));
        assert_eq!(fig("两名").value, d("2"));
        assert_eq!(fig("三千万元").value, d("30000000"));
        assert!(fig("一批").exact);
    }

    #[test]
    fn text_is_not_a_figure() {
        for text in [
            "2018年",
            "湘办〔2017〕30号",
            "XX件",
            "优",
            "",
            "万元",
            "12月6日",
            "5G",
            "1.2.3",
        ] {
            assert_eq!(Figure::parse(text), Ok(None), "{text}");
        }
    }

    #[test]
    fn sign_exponent_and_spaces() {
        assert_eq!(fig("-5").value, d("-5"));
        assert_eq!(fig("−0.5万元").value, d("-5000"));
        assert_eq!(fig("2e3").value, d("2000"));
        assert_eq!(fig("823 批").value, d("823"));
        assert_eq!(fig(" 25 万元 ").display(), "25 万元");
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        assert_eq!(
            Figure::parse("123456789012345678901234567890123"),
            Err(FigureError::Overflow)
        );
        assert_eq!(
            Figure::parse("99999999999999999999999999亿元"),
            Err(FigureError::Overflow)
        );
    }

    #[test]
    fn more_decimals_than_a_decimal_holds() {
        // Found by fuzzing: `Decimal::new` panicked on a scale of 29.
        let f = fig("0.0000000000000000000000000001");
        assert_eq!(f.decimals, 28);
        assert!(f.interval.contains(f.value));
        let long = format!("1.{}5万元", "0".repeat(40));
        let f = fig(&long);
        assert!(f.interval.contains(f.value));
        assert!(Figure::parse(&format!("0.{}1e5", "0".repeat(40))).is_ok());
    }

    #[test]
    fn words_around_a_figure() {
        assert_eq!(fig("2495件次").unit.unwrap().name, "件次");
        assert_eq!(fig("共2495件").value, d("2495"));
        assert!(fig("共2495件").exact);
        assert_eq!(fig("2495件。").value, d("2495"));
        assert_eq!(fig("2388件，").value, d("2388"));
        assert_eq!(fig("1022件（含重复）").value, d("1022"));
        assert_eq!(fig("1022件(含重复)").value, d("1022"));
        assert_eq!(
            fig("99.5分").interval,
            Interval::around(d("99.5"), d("0.05")).unwrap()
        );
        assert_eq!(
            fig("9分").interval,
            Interval::around(d("9"), d("0.5")).unwrap()
        );
        assert_eq!(
            fig("2.5个工作日").unit.unwrap().dimension,
            Dimension::Count("工作日")
        );
        assert_eq!(fig("百分之七十七").value, d("0.77"));
        assert_eq!(fig("百分之七十七").display(), "百分之七十七");
        assert_eq!(fig("7成").value, d("0.7"));
        assert_eq!(
            fig("7成").interval,
            Interval::around(d("0.7"), d("0.05")).unwrap()
        );
        assert_eq!(fig("七成").value, d("0.7"));
        for text in [
            "共青团",
            "近期",
            "约定",
            "完成",
            "部分",
            "（1）",
            "百分之",
            "百分之几",
        ] {
            assert_eq!(Figure::parse(text), Ok(None), "{text}");
        }
    }

    #[test]
    fn near_misses_are_told_apart_from_text() {
        assert_eq!(
            NearMiss::of("得分: 89.05分"),
            Some(NearMiss::Labelled {
                colon: 6,
                full_width: false
            })
        );
        assert_eq!(
            NearMiss::of("受理：2495件"),
            Some(NearMiss::Labelled {
                colon: 6,
                full_width: true
            })
        );
        assert_eq!(NearMiss::of("下降5%"), Some(NearMiss::Change("下降")));
        assert_eq!(
            NearMiss::of("同比增长12.5万元"),
            Some(NearMiss::Change("同比增长"))
        );
        for text in [
            "2018年",
            "湘办〔2017〕30号",
            "时间: 2024年3月",
            "说明：见附件",
            "12:30",
            "下降明显",
        ] {
            assert_eq!(NearMiss::of(text), None, "{text}");
        }
    }

    #[test]
    fn approximate_figures_stand_for_a_tenth_around() {
        let about = fig("约2500件");
        assert!(!about.exact);
        assert_eq!(about.value, d("2500"));
        assert_eq!(
            about.interval,
            Interval {
                lo: Some(d("2250")),
                hi: Some(d("2750"))
            }
        );
        assert_eq!(about.display(), "约2500 件");
        assert_eq!(fig("2500件左右").interval, about.interval);
        let nearly = fig("近2500件");
        assert_eq!(
            nearly.interval,
            Interval {
                lo: Some(d("2250")),
                hi: Some(d("2500"))
            }
        );
        // The rounding of the written figure is kept when it is wider.
        let small = fig("约0.5万元");
        assert!(small.interval.contains(d("5499")));
        assert_eq!(fig("约700余人次").bound, Bound::AtLeast);
    }

    #[test]
    fn display_spaces_chinese_units() {
        assert_eq!(fig("1022件").display(), "1022 件");
        assert_eq!(fig("700余人次").display(), "700 余人次");
        assert_eq!(fig("90%").display(), "90%");
        assert_eq!(fig("≥50个").display(), "≥50 个");
        assert_eq!(fig("12").display(), "12");
    }
}
