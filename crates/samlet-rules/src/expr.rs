//! Lexer and parser for the expression language used in `formula:` and `condition:`.
//!
//! Errors carry byte offsets into the expression text; the loader maps them to file
//! line/column with [`crate::yaml::Source::locate`].

use rust_decimal::Decimal;

use crate::value::parse_decimal;

/// Byte range in the expression text.
pub type Span = (usize, usize);

/// Expression syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// Where, as byte offsets into the expression.
    pub span: Span,
    /// What went wrong and what was expected.
    pub message: String,
}

/// Parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// Expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(Decimal),
    Text(String),
    Bool(bool),
    /// An input, parameter, rule or table name.
    Name(String),
    /// `period.start`, `period.end`.
    Field(String, String),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `name(args)`.
    Call(String, Vec<Expr>),
    /// `count(members where c)`, `sum(e for members where c)`.
    Aggregate {
        func: String,
        value: Option<Box<Expr>>,
        filter: Option<Box<Expr>>,
    },
}

/// Aggregate function names.
pub const AGGREGATES: &[&str] = &["count", "sum", "min", "max", "any", "all"];
/// Words that cannot be used as names.
pub const KEYWORDS: &[&str] = &[
    "and", "or", "not", "if", "then", "else", "where", "for", "members", "true", "false", "period",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Str(String),
    Ident(String),
    Op(&'static str),
    Eof,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(d) => format!("number {d}"),
        Tok::Str(s) => format!("text \"{s}\""),
        Tok::Ident(s) if KEYWORDS.contains(&s.as_str()) => format!("keyword `{s}`"),
        Tok::Ident(s) => format!("name `{s}`"),
        Tok::Op(o) => format!("`{o}`"),
        Tok::Eof => "end of expression".to_string(),
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            // Comment to end of line (useful in multi-line formulas).
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                i += 1;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
                    i += 1;
                }
            }
            if i < b.len() && b[i] == b'%' {
                i += 1;
            }
            let text = &src[start..i];
            let d = parse_decimal(text).ok_or_else(|| ExprError {
                span: (start, i),
                message: format!("`{text}` is not a valid number"),
            })?;
            out.push((Tok::Num(d), (start, i)));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(src[start..i].to_string()), (start, i)));
            continue;
        }
        if c == b'"' || c == b'\'' {
            i += 1;
            let content_start = i;
            while i < b.len() && b[i] != c {
                i += 1;
            }
            if i >= b.len() {
                return Err(ExprError {
                    span: (start, i),
                    message: format!("text starting here is not closed; expected `{}`", c as char),
                });
            }
            out.push((Tok::Str(src[content_start..i].to_string()), (start, i + 1)));
            i += 1;
            continue;
        }
        // Compare bytes, not a `&str` slice: `i + 2` may fall inside a multi-byte character.
        let next = b.get(i + 1).copied();
        let two: Option<&'static str> = match (c, next) {
            (b'<', Some(b'=')) => Some("<="),
            (b'>', Some(b'=')) => Some(">="),
            (b'!', Some(b'=')) => Some("!="),
            (b'=', Some(b'=')) => Some("="),
            _ => None,
        };
        let op: &'static str = match two {
            Some(op) => op,
            None => match c {
                b'+' => "+",
                b'-' => "-",
                b'*' => "*",
                b'/' => "/",
                b'(' => "(",
                b')' => ")",
                b',' => ",",
                b'.' => ".",
                b'=' => "=",
                b'<' => "<",
                b'>' => ">",
                _ => {
                    let ch = src.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                    return Err(ExprError {
                        span: (i, i + ch.len_utf8()),
                        message: format!(
                            "unexpected character `{ch}`; expected a number, a name, text in quotes or an operator"
                        ),
                    });
                }
            },
        };
        i += if two.is_some() { 2 } else { 1 };
        out.push((Tok::Op(op), (start, i)));
    }
    out.push((Tok::Eof, (b.len(), b.len())));
    Ok(out)
}

struct P {
    toks: Vec<(Tok, Span)>,
    pos: usize,
}

impl P {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }
    fn span(&self) -> Span {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }
    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn fail<T>(&self, expected: &str) -> Result<T, ExprError> {
        Err(ExprError {
            span: self.span(),
            message: format!("expected {expected}, found {}", describe(self.peek())),
        })
    }
    fn expect_op(&mut self, op: &str, expected: &str) -> Result<Span, ExprError> {
        if self.is_op(op) {
            Ok(self.bump().1)
        } else {
            self.fail(expected)
        }
    }
    fn expect_kw(&mut self, kw: &str, expected: &str) -> Result<Span, ExprError> {
        if self.is_kw(kw) {
            Ok(self.bump().1)
        } else {
            self.fail(expected)
        }
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        if self.is_kw("if") {
            let (_, s) = self.bump();
            let c = self.expr()?;
            self.expect_kw("then", "`then` after the condition of `if`")?;
            let t = self.expr()?;
            self.expect_kw("else", "`else` (every `if` needs an `else`)")?;
            let e = self.expr()?;
            let span = (s.0, e.span.1);
            return Ok(Expr {
                kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                span,
            });
        }
        self.or()
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.and()?;
        while self.is_kw("or") {
            self.bump();
            let r = self.and()?;
            l = bin(BinOp::Or, l, r);
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.not()?;
        while self.is_kw("and") {
            self.bump();
            let r = self.not()?;
            l = bin(BinOp::And, l, r);
        }
        Ok(l)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.is_kw("not") {
            let (_, s) = self.bump();
            let e = self.not()?;
            let span = (s.0, e.span.1);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(e)),
                span,
            });
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Expr, ExprError> {
        let l = self.add()?;
        let op = match self.peek() {
            Tok::Op("=") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            _ => return Ok(l),
        };
        self.bump();
        let r = self.add()?;
        if matches!(self.peek(), Tok::Op("=" | "!=" | "<" | "<=" | ">" | ">=")) {
            return self.fail("`and`/`or` between comparisons (comparisons cannot be chained)");
        }
        Ok(bin(op, l, r))
    }

    fn add(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(l),
            };
            self.bump();
            let r = self.mul()?;
            l = bin(op, l, r);
        }
    }

    fn mul(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                _ => return Ok(l),
            };
            self.bump();
            let r = self.unary()?;
            l = bin(op, l, r);
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.is_op("-") {
            let (_, s) = self.bump();
            let e = self.unary()?;
            let span = (s.0, e.span.1);
            return Ok(Expr {
                kind: ExprKind::Neg(Box::new(e)),
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Num(d) => Ok(Expr {
                kind: ExprKind::Number(d),
                span,
            }),
            Tok::Str(s) => Ok(Expr {
                kind: ExprKind::Text(s),
                span,
            }),
            Tok::Op("(") => {
                let e = self.expr()?;
                self.expect_op(")", "`)` to close the `(`")?;
                Ok(e)
            }
            Tok::Ident(name) => match name.as_str() {
                "true" | "false" => Ok(Expr {
                    kind: ExprKind::Bool(name == "true"),
                    span,
                }),
                "period" => {
                    self.expect_op(".", "`.start` or `.end` after `period`")?;
                    let (f, fspan) = self.bump();
                    match f {
                        Tok::Ident(field) if field == "start" || field == "end" => Ok(Expr {
                            kind: ExprKind::Field(name, field),
                            span: (span.0, fspan.1),
                        }),
                        other => Err(ExprError {
                            span: fspan,
                            message: format!(
                                "expected `start` or `end` after `period.`, found {}",
                                describe(&other)
                            ),
                        }),
                    }
                }
                "members" => Err(ExprError {
                    span,
                    message: "`members` can only be used inside an aggregate, e.g. count(members where role = \"child\")".into(),
                }),
                kw if KEYWORDS.contains(&kw) => Err(ExprError {
                    span,
                    message: format!("expected a value, found keyword `{kw}`"),
                }),
                _ if self.is_op("(") => self.call(name, span),
                _ => Ok(Expr {
                    kind: ExprKind::Name(name),
                    span,
                }),
            },
            other => Err(ExprError {
                span,
                message: format!(
                    "expected a value (number, text, name, function call or `(`), found {}",
                    describe(&other)
                ),
            }),
        }
    }

    fn call(&mut self, name: String, start: Span) -> Result<Expr, ExprError> {
        self.bump(); // (
        if AGGREGATES.contains(&name.as_str()) {
            if self.is_kw("members") {
                self.bump();
                let filter = self.filter()?;
                let end = self.expect_op(")", "`where` or `)` after `members`")?;
                return Ok(Expr {
                    kind: ExprKind::Aggregate {
                        func: name,
                        value: None,
                        filter,
                    },
                    span: (start.0, end.1),
                });
            }
            let first = self.expr()?;
            if self.is_kw("for") {
                self.bump();
                self.expect_kw("members", "`members` after `for`")?;
                let filter = self.filter()?;
                let end = self.expect_op(")", "`where` or `)` after `for members`")?;
                return Ok(Expr {
                    kind: ExprKind::Aggregate {
                        func: name,
                        value: Some(Box::new(first)),
                        filter,
                    },
                    span: (start.0, end.1),
                });
            }
            return self.rest_args(name, start, vec![first]);
        }
        if self.is_op(")") {
            let end = self.bump().1;
            return Ok(Expr {
                kind: ExprKind::Call(name, Vec::new()),
                span: (start.0, end.1),
            });
        }
        let first = self.expr()?;
        self.rest_args(name, start, vec![first])
    }

    fn rest_args(
        &mut self,
        name: String,
        start: Span,
        mut args: Vec<Expr>,
    ) -> Result<Expr, ExprError> {
        while self.is_op(",") {
            self.bump();
            args.push(self.expr()?);
        }
        let end = self.expect_op(")", "`,` or `)` in the argument list")?;
        Ok(Expr {
            kind: ExprKind::Call(name, args),
            span: (start.0, end.1),
        })
    }

    fn filter(&mut self) -> Result<Option<Box<Expr>>, ExprError> {
        if self.is_kw("where") {
            self.bump();
            Ok(Some(Box::new(self.expr()?)))
        } else {
            Ok(None)
        }
    }
}

fn bin(op: BinOp, l: Expr, r: Expr) -> Expr {
    let span = (l.span.0, r.span.1);
    Expr {
        kind: ExprKind::Binary(op, Box::new(l), Box::new(r)),
        span,
    }
}

/// Parses one expression.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let toks = lex(src)?;
    let mut p = P { toks, pos: 0 };
    if matches!(p.peek(), Tok::Eof) {
        return p.fail("an expression");
    }
    let e = p.expr()?;
    if !matches!(p.peek(), Tok::Eof) {
        return p.fail("an operator or the end of the expression");
    }
    Ok(e)
}

impl Expr {
    /// Every free name the expression uses (inputs, parameters, rules, tables), with its span.
    pub fn names(&self, out: &mut Vec<(String, Span)>) {
        match &self.kind {
            ExprKind::Name(n) => out.push((n.clone(), self.span)),
            ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Bool(_) | ExprKind::Field(..) => {}
            ExprKind::Neg(e) | ExprKind::Not(e) => e.names(out),
            ExprKind::Binary(_, a, b) => {
                a.names(out);
                b.names(out);
            }
            ExprKind::If(a, b, c) => {
                a.names(out);
                b.names(out);
                c.names(out);
            }
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.names(out)),
            ExprKind::Aggregate { value, filter, .. } => {
                if let Some(v) = value {
                    v.names(out);
                }
                if let Some(f) = filter {
                    f.names(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        let e = parse("a + b * c > 3 and not d").unwrap();
        let ExprKind::Binary(BinOp::And, l, r) = e.kind else {
            panic!()
        };
        assert!(matches!(r.kind, ExprKind::Not(_)));
        let ExprKind::Binary(BinOp::Gt, l2, _) = l.kind else {
            panic!()
        };
        let ExprKind::Binary(BinOp::Add, _, m) = l2.kind else {
            panic!()
        };
        assert!(matches!(m.kind, ExprKind::Binary(BinOp::Mul, _, _)));
    }

    #[test]
    fn aggregates() {
        let e =
            parse("count(members where role = \"child\" and age(birth_date, period.start) < 18)")
                .unwrap();
        assert!(matches!(
            e.kind,
            ExprKind::Aggregate {
                value: None,
                filter: Some(_),
                ..
            }
        ));
        let e = parse("sum(annual_income for members where role = 'parent')").unwrap();
        assert!(matches!(
            e.kind,
            ExprKind::Aggregate {
                value: Some(_),
                filter: Some(_),
                ..
            }
        ));
        let e = parse("max(0, a - b)").unwrap();
        assert!(matches!(e.kind, ExprKind::Call(ref n, ref a) if n == "max" && a.len() == 2));
    }

    #[test]
    fn numbers_and_percent() {
        let e = parse("1_200_000 * 10%").unwrap();
        let ExprKind::Binary(_, a, b) = e.kind else {
            panic!()
        };
        assert_eq!(a.kind, ExprKind::Number(Decimal::from(1_200_000)));
        assert_eq!(b.kind, ExprKind::Number(Decimal::new(1, 1)));
    }

    #[test]
    fn errors_have_spans() {
        let e = parse("a + * b").unwrap_err();
        assert_eq!(e.span, (4, 5));
        assert!(e.message.contains("expected a value"), "{}", e.message);
        let e = parse("if a then b").unwrap_err();
        assert!(e.message.contains("`else`"));
        assert_eq!(e.span, (11, 11));
        let e = parse("(a + b").unwrap_err();
        assert!(e.message.contains("`)`"));
        let e = parse("a $ b").unwrap_err();
        assert_eq!(e.span, (2, 3));
        let e = parse("a b").unwrap_err();
        assert!(e.message.contains("found name `b`"));
        let e = parse("1 < 2 < 3").unwrap_err();
        assert!(e.message.contains("chained"));
    }
}
