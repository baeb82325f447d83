//! The grammar, with winnow:
//!
//! ```text
//! query   := expr? ("ORDER" "BY" order ("," order)*)? EOF
//! expr    := and ("OR" and)*
//! and     := unary ("AND" unary)*
//! unary   := "NOT" unary | "(" expr ")" | clause
//! clause  := field ("=" value | "!=" value | "IN" list | "NOT" "IN" list)
//! list    := "(" value ("," value)* ")"
//! value   := '"' … '"' | "'" … "'" | word
//! order   := field ("ASC" | "DESC")?
//! ```
//!
//! Once a construct has clearly begun (a field name, `(`, `ORDER`), the rest is parsed with
//! `cut_err`, so an error is reported where the query went wrong, not where backtracking gave up.
//!
//! `unary` is the only recursive rule (`NOT` and `(` nest). The input carries the nesting depth
//! (winnow's `Stateful`), and a `NOT` or `(` that would nest deeper than
//! [`MAX_FILTER_NESTING`] is refused before recursing, so no query can exhaust the stack. The
//! length is checked before parsing ([`MAX_FILTER_CHARS`]), which also bounds the tree that
//! `AND`/`OR` chains build (a few hundred clauses at most) and therefore every recursive walk of
//! it (`check_dates`, evaluation, drop).

use winnow::ascii::{Caseless, multispace0};
use winnow::combinator::{
    alt, cut_err, delimited, eof, fail, not, opt, preceded, repeat, separated,
};
use winnow::error::{ContextError, ErrMode, StrContext, StrContextValue};
use winnow::prelude::*;
use winnow::stream::Stateful;
use winnow::token::{one_of, take_till, take_while};

use super::eval::parse_day;
use super::{Expr, Field, MAX_FILTER_CHARS, MAX_FILTER_NESTING, OrderBy, QueryError, QueueFilter};

/// The text still to read and how many `NOT`s and `(`s enclose the current position.
type In<'a> = Stateful<&'a str, Nesting>;

#[derive(Clone, Copy, Debug, Default)]
struct Nesting(usize);

/// The label a too-deep `NOT` or `(` fails with, turned into its own message by [`parse`].
const TOO_DEEP: &str = "nesting limit";

fn expected(what: &'static str) -> StrContext {
    StrContext::Expected(StrContextValue::Description(what))
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '-' | '+')
}

/// A keyword, case-insensitive, not followed by more word characters (so `ORDERS` is a value).
fn keyword<'a>(word: &'static str) -> impl Parser<In<'a>, (), ErrMode<ContextError>> {
    (Caseless(word), not(one_of(word_char))).void()
}

fn ws<'a, O>(
    inner: impl Parser<In<'a>, O, ErrMode<ContextError>>,
) -> impl Parser<In<'a>, O, ErrMode<ContextError>> {
    delimited(multispace0, inner, multispace0)
}

fn field(input: &mut In<'_>) -> ModalResult<Field> {
    alt((
        keyword("type").value(Field::Type),
        keyword("status").value(Field::Status),
        keyword("assignee").value(Field::Assignee),
        keyword("created").value(Field::Created),
        keyword("space").value(Field::Space),
        keyword("customer").value(Field::Customer),
    ))
    .context(expected(
        "a field (type, status, assignee, created, space, customer)",
    ))
    .parse_next(input)
}

fn quoted(input: &mut In<'_>) -> ModalResult<String> {
    alt((
        delimited(
            '"',
            take_till(0.., '"'),
            cut_err('"').context(expected("a closing \"")),
        ),
        delimited(
            '\'',
            take_till(0.., '\''),
            cut_err('\'').context(expected("a closing '")),
        ),
    ))
    .map(str::to_string)
    .parse_next(input)
}

fn value(input: &mut In<'_>) -> ModalResult<String> {
    ws(alt((
        quoted,
        take_while(1.., word_char).map(str::to_string),
    )))
    .context(expected("a value"))
    .parse_next(input)
}

fn list(input: &mut In<'_>) -> ModalResult<Vec<String>> {
    preceded(
        ws('(').context(expected("( after IN")),
        cut_err((
            separated(1.., value, ws(',')),
            ws(')').context(expected(", or )")),
        )),
    )
    .map(|(values, _)| values)
    .parse_next(input)
}

fn clause(input: &mut In<'_>) -> ModalResult<Expr> {
    let field = ws(field).parse_next(input)?;
    let (negated, values) = cut_err(
        alt((
            preceded(ws("!="), cut_err(value)).map(|v| (true, vec![v])),
            preceded(ws('='), cut_err(value)).map(|v| (false, vec![v])),
            preceded(ws(keyword("in")), cut_err(list)).map(|l| (false, l)),
            preceded(
                (ws(keyword("not")), cut_err(ws(keyword("in")))),
                cut_err(list),
            )
            .map(|l| (true, l)),
        ))
        .context(expected("=, !=, IN or NOT IN")),
    )
    .parse_next(input)?;
    Ok(Expr::Compare {
        field,
        negated,
        values,
    })
}

fn unary(input: &mut In<'_>) -> ModalResult<Expr> {
    multispace0.parse_next(input)?;
    let nests = {
        let mut probe = *input;
        alt((keyword("not"), '('.void()))
            .parse_next(&mut probe)
            .is_ok()
    };
    if !nests {
        return clause.parse_next(input);
    }
    // Refused here, pointing at the `NOT` or `(` itself, before the recursion goes deeper.
    if input.state.0 >= MAX_FILTER_NESTING {
        return cut_err(fail.context(StrContext::Label(TOO_DEEP))).parse_next(input);
    }
    input.state.0 += 1;
    let nested = alt((
        preceded(ws(keyword("not")), cut_err(unary)).map(|e| Expr::Not(Box::new(e))),
        preceded(
            ws('('),
            cut_err((expr, ws(')').context(expected("AND, OR or )")))),
        )
        .map(|(e, _)| e),
    ))
    .parse_next(input);
    input.state.0 -= 1;
    nested
}

fn and(input: &mut In<'_>) -> ModalResult<Expr> {
    let first = unary.parse_next(input)?;
    let rest: Vec<Expr> =
        repeat(0.., preceded(ws(keyword("and")), cut_err(unary))).parse_next(input)?;
    Ok(rest
        .into_iter()
        .fold(first, |a, b| Expr::And(Box::new(a), Box::new(b))))
}

fn expr(input: &mut In<'_>) -> ModalResult<Expr> {
    let first = and.parse_next(input)?;
    let rest: Vec<Expr> =
        repeat(0.., preceded(ws(keyword("or")), cut_err(and))).parse_next(input)?;
    Ok(rest
        .into_iter()
        .fold(first, |a, b| Expr::Or(Box::new(a), Box::new(b))))
}

fn order_item(input: &mut In<'_>) -> ModalResult<OrderBy> {
    let field = ws(field).parse_next(input)?;
    let direction = opt(ws(alt((
        keyword("asc").value(false),
        keyword("desc").value(true),
    ))))
    .parse_next(input)?;
    Ok(OrderBy {
        field,
        descending: direction.unwrap_or(false),
    })
}

fn order_by(input: &mut In<'_>) -> ModalResult<Vec<OrderBy>> {
    preceded(
        (
            ws(keyword("order")),
            cut_err(ws(keyword("by")).context(expected("BY after ORDER"))),
        ),
        cut_err(separated(1.., order_item, ws(','))),
    )
    .parse_next(input)
}

fn query(input: &mut In<'_>) -> ModalResult<QueueFilter> {
    multispace0.parse_next(input)?;
    // A query may start with ORDER BY alone; otherwise a condition comes first.
    let condition = if peek_keyword(input, "order") {
        None
    } else {
        opt(expr).parse_next(input)?
    };
    let order = opt(order_by).parse_next(input)?.unwrap_or_default();
    multispace0.parse_next(input)?;
    eof.context(expected("AND, OR, ORDER BY or the end of the filter"))
        .parse_next(input)?;
    Ok(QueueFilter { condition, order })
}

fn peek_keyword(input: &In<'_>, word: &'static str) -> bool {
    let mut probe = *input;
    keyword(word).parse_next(&mut probe).is_ok()
}

/// Values of `created` must be days; checked after parsing so the error can point at them.
fn check_dates(expr: &Expr, source: &str) -> Result<(), (usize, String)> {
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => {
            check_dates(a, source)?;
            check_dates(b, source)
        }
        Expr::Not(inner) => check_dates(inner, source),
        Expr::Compare {
            field: Field::Created,
            values,
            ..
        } => match values.iter().find(|v| parse_day(v).is_none()) {
            Some(bad) => Err((
                source.find(bad.as_str()).unwrap_or(0),
                format!("created takes a day written YYYY-MM-DD, not {bad:?}."),
            )),
            None => Ok(()),
        },
        Expr::Compare { .. } => Ok(()),
    }
}

pub(super) fn parse(source: &str) -> Result<QueueFilter, QueryError> {
    // Checked before any parsing; the error keeps only the part that fits, to draw the pointer.
    if let Some((cut, _)) = source.char_indices().nth(MAX_FILTER_CHARS) {
        return Err(QueryError {
            position: MAX_FILTER_CHARS,
            message: format!("it is longer than {MAX_FILTER_CHARS} characters; shorten it."),
            query: source[..cut].to_string(),
        });
    }
    let error = |byte: usize, message: String| QueryError {
        position: source[..byte.min(source.len())].chars().count(),
        message,
        query: source.to_string(),
    };
    let input = In {
        input: source,
        state: Nesting::default(),
    };
    let filter = query.parse(input).map_err(|e| {
        if e.inner()
            .context()
            .any(|c| matches!(c, StrContext::Label(l) if *l == TOO_DEEP))
        {
            return error(
                e.offset(),
                format!(
                    "NOT and parentheses nest more than {MAX_FILTER_NESTING} levels deep here; simplify the filter."
                ),
            );
        }
        let expected: Vec<String> = e
            .inner()
            .context()
            .filter_map(|c| match c {
                StrContext::Expected(v) => Some(v.to_string()),
                _ => None,
            })
            .collect();
        let found = source[e.offset()..]
            .split_whitespace()
            .next()
            .map_or("the end of the filter".to_string(), |w| format!("{w:?}"));
        let wanted = match expected.first() {
            Some(first) => format!("expected {first}"),
            None => "this is not understood".to_string(),
        };
        error(e.offset(), format!("{wanted}, found {found}."))
    })?;
    if let Some(condition) = &filter.condition {
        check_dates(condition, source).map_err(|(at, message)| error(at, message))?;
    }
    Ok(filter)
}
