//! Units a report writes after its figures, and what each one measures.
//!
//! Money converts between 元, 万元 and 亿元 (the 万/亿 part is a magnitude, see
//! [`super::parse`]); ratios are fractions written as % or ‰; every count unit is its own
//! kind, except the synonyms for persons (人, 名, 位), so that 件 cannot be compared with 人次.

use rust_decimal::Decimal;

/// What a figure measures. Figures of different dimensions cannot be added or compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Money; the base unit is 元.
    Money,
    /// A dimensionless fraction; the base is 1 (so `90%` is 0.9).
    Ratio,
    /// A count or measure of one kind, named by its canonical unit (`人` for 人/名/位).
    Count(&'static str),
}

impl Dimension {
    /// How the dimension is named in a diagnostic.
    pub fn describe(self) -> String {
        match self {
            Dimension::Money => "金额".to_string(),
            Dimension::Ratio => "比率".to_string(),
            Dimension::Count(kind) => format!("「{kind}」计数"),
        }
    }

    /// [`Dimension::describe`], or for a bare number (no dimension) `无单位的数`.
    pub fn describe_or_bare(dimension: Option<Dimension>) -> String {
        dimension.map_or("无单位的数".to_string(), Dimension::describe)
    }
}

/// How two numbers are combined, for [`combine`]: added or subtracted, multiplied,
/// divided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    Add,
    Mul,
    Div,
}

/// How the dimensions of two operands combine, or `None` when they cannot.
/// A bare number (dimension `None`) takes the dimension of what it meets. A ratio is a
/// pure factor: multiplying by it keeps the other operand's dimension, so `95% × 10`
/// (a rate times a score written bare) is bare, and `95% × 20万元` is money. Used when
/// a rule is checked (units written in it) and when it runs (units of figures).
pub fn combine(
    how: Combine,
    a: Option<Dimension>,
    b: Option<Dimension>,
) -> Option<Option<Dimension>> {
    use Dimension::Ratio;
    match how {
        Combine::Add => match (a, b) {
            (None, x) | (x, None) => Some(x),
            (Some(x), Some(y)) if x == y => Some(Some(x)),
            _ => None,
        },
        Combine::Mul => match (a, b) {
            (Some(Ratio), x) | (x, Some(Ratio)) | (None, x) | (x, None) => Some(x),
            _ => None,
        },
        Combine::Div => match (a, b) {
            (x, None) | (x, Some(Ratio)) => Some(x),
            (Some(x), Some(y)) if x == y => Some(Some(Ratio)),
            _ => None,
        },
    }
}

/// Whether two dimensions can be compared (or added).
pub fn comparable(a: Option<Dimension>, b: Option<Dimension>) -> bool {
    combine(Combine::Add, a, b).is_some()
}

/// One unit as it may be written after a number.
#[derive(Debug, PartialEq, Eq)]
pub struct UnitDef {
    /// The unit as written: `元`, `%`, `人次`.
    pub name: &'static str,
    pub dimension: Dimension,
    /// Base units per one of this unit (`%` is 0.01 of the ratio 1).
    pub factor: Decimal,
    /// Whole numbers in this unit are exact counts rather than rounded measurements.
    pub counted: bool,
}

const fn money(name: &'static str) -> UnitDef {
    UnitDef {
        name,
        dimension: Dimension::Money,
        factor: Decimal::ONE,
        counted: false,
    }
}

const fn ratio(name: &'static str, per: u32) -> UnitDef {
    UnitDef {
        name,
        dimension: Dimension::Ratio,
        factor: Decimal::from_parts(1, 0, 0, false, per),
        counted: false,
    }
}

const fn count(name: &'static str, kind: &'static str) -> UnitDef {
    UnitDef {
        name,
        dimension: Dimension::Count(kind),
        factor: Decimal::ONE,
        counted: true,
    }
}

const fn measure(name: &'static str, kind: &'static str) -> UnitDef {
    UnitDef {
        name,
        dimension: Dimension::Count(kind),
        factor: Decimal::ONE,
        counted: false,
    }
}

/// Every unit hecha recognises. A scalar ending in anything else is text, not a figure.
pub static UNITS: &[UnitDef] = &[
    money("元"),
    ratio("%", 2),
    ratio("％", 2),
    ratio("百分比", 2),
    ratio("个百分点", 2),
    ratio("百分点", 2),
    ratio("‰", 3),
    ratio("成", 1),
    count("人", "人"),
    count("名", "人"),
    count("位", "人"),
    count("人次", "人次"),
    count("件", "件"),
    count("件次", "件次"),
    count("起", "起"),
    count("批", "批"),
    count("批次", "批次"),
    count("次", "次"),
    count("场", "场"),
    count("期", "期"),
    count("轮", "轮"),
    count("个", "个"),
    count("项", "项"),
    count("家", "家"),
    count("所", "所"),
    count("处", "处"),
    count("份", "份"),
    count("册", "册"),
    count("本", "本"),
    count("张", "张"),
    count("块", "块"),
    count("条", "条"),
    count("篇", "篇"),
    count("封", "封"),
    count("幅", "幅"),
    count("部", "部"),
    count("户", "户"),
    count("台", "台"),
    count("辆", "辆"),
    count("套", "套"),
    count("座", "座"),
    count("间", "间"),
    count("类", "类"),
    count("天", "天"),
    measure("小时", "小时"),
    measure("工作日", "工作日"),
    measure("个工作日", "工作日"),
    measure("分", "分"),
    measure("亩", "亩"),
    measure("平方米", "平方米"),
    measure("公里", "公里"),
    measure("千米", "公里"),
    measure("米", "米"),
    measure("吨", "吨"),
    measure("公斤", "公斤"),
    measure("千克", "公斤"),
];

/// The unit that `text` ends with, preferring the longest name (`人次` over `次`).
pub fn unit_suffix(text: &str) -> Option<&'static UnitDef> {
    // The last byte first: most figures end in a digit, which no unit does.
    let last = *text.as_bytes().last()?;
    by_last_byte()[usize::from(last)]
        .iter()
        .map(|&i| &UNITS[usize::from(i)])
        .find(|unit| text.ends_with(unit.name))
}

/// For each byte, the units whose name ends with it, longest first (of two as long, the
/// later in [`UNITS`] first): the first that `text` ends with is the one
/// [`reference_unit_suffix`] finds among all.
fn by_last_byte() -> &'static [Vec<u8>; 256] {
    static TABLE: std::sync::OnceLock<[Vec<u8>; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: [Vec<u8>; 256] = std::array::from_fn(|_| Vec::new());
        for (i, unit) in UNITS.iter().enumerate() {
            let last = unit.name.as_bytes().last().expect("a unit has a name");
            table[usize::from(*last)].push(u8::try_from(i).expect("fewer than 256 units"));
        }
        for units in &mut table {
            units.sort_by_key(|&i| std::cmp::Reverse((UNITS[usize::from(i)].name.len(), i)));
        }
        table
    })
}

/// [`unit_suffix`] as it was before its table: every unit tested.
#[cfg(test)]
fn reference_unit_suffix(text: &str) -> Option<&'static UnitDef> {
    UNITS
        .iter()
        .filter(|unit| text.ends_with(unit.name))
        .max_by_key(|unit| unit.name.len())
}

/// The unit written exactly as `name`.
pub fn unit_named(name: &str) -> Option<&'static UnitDef> {
    UNITS.iter().find(|unit| unit.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_suffix_wins() {
        assert_eq!(unit_suffix("5708人次").unwrap().name, "人次");
        assert_eq!(unit_suffix("12次").unwrap().name, "次");
        assert_eq!(unit_suffix("3千米").unwrap().name, "千米");
        assert!(unit_suffix("2018年").is_none());
    }

    #[test]
    fn the_table_finds_the_unit_every_unit_tested_finds() {
        let mut texts = vec![String::new(), "12".into(), "2018年".into(), "x".into()];
        for a in UNITS {
            texts.push(format!("5{}", a.name));
            texts.push(a.name.to_string());
            for b in UNITS {
                texts.push(format!("{}{}", a.name, b.name));
            }
        }
        for text in &texts {
            assert_eq!(
                unit_suffix(text).map(|u| u as *const UnitDef),
                reference_unit_suffix(text).map(|u| u as *const UnitDef),
                "{text}"
            );
        }
    }

    #[test]
    fn person_synonyms_share_a_dimension() {
        let a = unit_named("名").unwrap().dimension;
        let b = unit_named("人").unwrap().dimension;
        assert_eq!(a, b);
        assert_ne!(a, unit_named("人次").unwrap().dimension);
    }

    #[test]
    fn percent_and_permille_factors() {
        assert_eq!(unit_named("%").unwrap().factor, Decimal::new(1, 2));
        assert_eq!(unit_named("‰").unwrap().factor, Decimal::new(1, 3));
    }
}
