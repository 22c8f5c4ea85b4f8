//! Lexer: splits an expression into tokens, each with its byte span in the expression.
//!
//! Chinese keys are plain names (`办结`, `其中：财政拨款`, `项目资金（万元）`); a number
//! runs on into its unit (`75万元`, `100%`), read by the same parser as report figures.

use super::{Span, is_name_char};
use crate::figure::Figure;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Name(String),
    /// `$name`: a rule parameter.
    Param(String),
    /// A number with its unit; the figure is parsed here, once.
    Number(Box<Figure>, String),
    Str(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    /// `..`: the parent.
    DotDot,
    Star,
    /// `**`: a node and everything under it.
    StarStar,
    Plus,
    Minus,
    Slash,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Span,
}

/// A lexing error, as data. Each variant's doc shows an expression that triggers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexError {
    /// `办结 & 交办`
    UnexpectedChar(char),
    /// `matches(., "XX)`
    UnterminatedString,
    /// `2018年 > 0` (a key that starts with a digit must be written `["2018年"]`)
    BadNumber(String),
    /// `$ > 1`
    EmptyParam,
}

pub(crate) fn lex(src: &str) -> Result<Vec<Token>, (LexError, Span)> {
    let mut tokens = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let two = src[start..].chars().take(2).collect::<String>();
        let fixed = match two.as_str() {
            "==" => Some((Tok::Eq, 2)),
            "!=" => Some((Tok::Ne, 2)),
            "<=" => Some((Tok::Le, 2)),
            ">=" => Some((Tok::Ge, 2)),
            ".." => Some((Tok::DotDot, 2)),
            "**" => Some((Tok::StarStar, 2)),
            _ => None,
        }
        .or(match c {
            '(' => Some((Tok::LParen, 1)),
            ')' => Some((Tok::RParen, 1)),
            '[' => Some((Tok::LBracket, 1)),
            ']' => Some((Tok::RBracket, 1)),
            ',' => Some((Tok::Comma, 1)),
            '.' => Some((Tok::Dot, 1)),
            '*' | '×' => Some((Tok::Star, 1)),
            '+' => Some((Tok::Plus, 1)),
            '-' => Some((Tok::Minus, 1)),
            '/' | '÷' => Some((Tok::Slash, 1)),
            '=' => Some((Tok::Eq, 1)),
            '<' => Some((Tok::Lt, 1)),
            '>' => Some((Tok::Gt, 1)),
            '≤' => Some((Tok::Le, 1)),
            '≥' => Some((Tok::Ge, 1)),
            '≠' => Some((Tok::Ne, 1)),
            _ => None,
        });
        if let Some((tok, nchars)) = fixed {
            let mut end = start;
            for _ in 0..nchars {
                let (i, ch) = chars.next().expect("peeked");
                end = i + ch.len_utf8();
            }
            tokens.push(Token {
                tok,
                span: start..end,
            });
            continue;
        }
        if c == '"' || c == '\'' {
            chars.next();
            let mut text = String::new();
            let mut end = None;
            while let Some((i, ch)) = chars.next() {
                match ch {
                    '\\' => match chars.next() {
                        Some((_, esc)) => text.push(esc),
                        None => break,
                    },
                    _ if ch == c => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => text.push(ch),
                }
            }
            let Some(end) = end else {
                return Err((LexError::UnterminatedString, start..src.len()));
            };
            tokens.push(Token {
                tok: Tok::Str(text),
                span: start..end,
            });
            continue;
        }
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            let mut end = start;
            while let Some(&(i, ch)) = chars.peek() {
                let numeric = ch.is_ascii_digit() || ('０'..='９').contains(&ch) || ch == '．';
                let separator = (ch == '.' || ch == ',')
                    && src[i + 1..].starts_with(|n: char| n.is_ascii_digit());
                let unit =
                    ch == '%' || ch == '％' || ch == '‰' || (!ch.is_ascii() && is_name_char(ch));
                if !(numeric || separator || unit) {
                    break;
                }
                end = i + ch.len_utf8();
                chars.next();
            }
            let text = &src[start..end];
            match Figure::parse(text) {
                Ok(Some(figure)) => tokens.push(Token {
                    tok: Tok::Number(Box::new(figure), text.to_string()),
                    span: start..end,
                }),
                _ => return Err((LexError::BadNumber(text.to_string()), start..end)),
            }
            continue;
        }
        if c == '$' {
            chars.next();
            let name = take_name(src, &mut chars);
            let end = start + 1 + name.len();
            if name.is_empty() {
                return Err((LexError::EmptyParam, start..end));
            }
            tokens.push(Token {
                tok: Tok::Param(name),
                span: start..end,
            });
            continue;
        }
        if is_name_char(c) {
            let name = take_name(src, &mut chars);
            let end = start + name.len();
            tokens.push(Token {
                tok: Tok::Name(name),
                span: start..end,
            });
            continue;
        }
        return Err((LexError::UnexpectedChar(c), start..start + c.len_utf8()));
    }
    Ok(tokens)
}

fn take_name(src: &str, chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> String {
    let mut name = String::new();
    while let Some(&(_, ch)) = chars.peek() {
        if !is_name_char(ch) {
            break;
        }
        name.push(ch);
        chars.next();
    }
    let _ = src;
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn chinese_names_and_operators() {
        assert_eq!(
            toks("办结 <= 交办"),
            vec![Tok::Name("办结".into()), Tok::Le, Tok::Name("交办".into())]
        );
        assert_eq!(toks("a≤b")[1], Tok::Le);
        assert_eq!(
            toks("其中：财政拨款")[0],
            Tok::Name("其中：财政拨款".into())
        );
    }

    #[test]
    fn numbers_carry_units() {
        let t = toks("执行率 > 100%");
        assert!(
            matches!(&t[2], Tok::Number(f, s) if s == "100%" && f.value == rust_decimal::Decimal::ONE)
        );
        assert!(matches!(&toks("75万元")[0], Tok::Number(_, s) if s == "75万元"));
        assert_eq!(toks("2*3").len(), 3);
        assert_eq!(toks("a.b[0]").len(), 6);
    }

    #[test]
    fn spans_are_byte_ranges() {
        let tokens = lex("办结 <= 交办").unwrap();
        assert_eq!(tokens[0].span, 0..6);
        assert_eq!(tokens[1].span, 7..9);
        assert_eq!(tokens[2].span, 10..16);
    }

    #[test]
    fn paths_and_params() {
        assert_eq!(toks("..说明"), vec![Tok::DotDot, Tok::Name("说明".into())]);
        assert_eq!(toks("**")[0], Tok::StarStar);
        assert_eq!(toks("$阈值")[0], Tok::Param("阈值".into()));
        assert_eq!(toks("'XX|××'")[0], Tok::Str("XX|××".into()));
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            lex("a & b").unwrap_err(),
            (LexError::UnexpectedChar('&'), 2..3)
        );
        assert_eq!(lex("\"abc").unwrap_err().0, LexError::UnterminatedString);
        assert_eq!(
            lex("2018年").unwrap_err().0,
            LexError::BadNumber("2018年".into())
        );
    }
}
