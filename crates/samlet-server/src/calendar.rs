//! The private iCalendar feed (RFC 5545): deadlines and payment dates, with
//! reminders, at a secret URL the citizen can revoke and renew.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};
use samlet_app::overview::{self, CalendarItems};
use sha2::{Digest, Sha256};

use crate::i18n::{Lang, PageLang};
use crate::problem::ApiError;
use crate::AppState;

/// A stable UID that does not reveal the person: a hash of the agency's ids.
fn uid(kind: &str, org: &str, id: &str) -> String {
    let h = Sha256::digest(format!("{kind}\0{org}\0{id}").as_bytes());
    let hex: String = h[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}-{hex}@samlet")
}

/// Build the feed. Deadlines get a reminder the day before (or an hour
/// before, when they have a time); payments are all-day events.
pub fn feed(o: &CalendarItems, name: &str, lang: Lang) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for d in &o.deadlines {
        let mut e = Event::new();
        e.uid(&uid("deadline", &d.agency.org, &d.deadline_id))
            .summary(
                &lang
                    .msg("cal_deadline")
                    .text("title", d.title.as_str())
                    .to_string(),
            )
            .description(&format!("{} – {}", d.agency.name, d.title));
        match d.due_at {
            Some(at) => {
                e.starts(at).ends(at);
                e.alarm(Alarm::display(
                    &d.title,
                    Trigger::before_start(chrono::Duration::hours(1)),
                ));
            }
            None => {
                e.all_day(d.due_date);
                e.alarm(Alarm::display(
                    &d.title,
                    Trigger::before_start(chrono::Duration::days(1)),
                ));
            }
        }
        if let Some(u) = &d.url {
            e.url(u);
        }
        cal.push(e.done());
    }
    for b in &o.payments {
        if let Some(day) = b.next_payment {
            let e = Event::new()
                .uid(&uid("payment", &b.agency.org, &b.benefit_id))
                .summary(
                    &lang
                        .msg("cal_payment")
                        .text("name", b.name.as_str())
                        .text("amount", lang.money(&b.amount, &b.currency))
                        .to_string(),
                )
                .description(&b.agency.name)
                .all_day(day)
                .done();
            cal.push(e);
        }
    }
    cal.done().to_string()
}

#[derive(serde::Deserialize)]
pub struct FeedQuery {
    lang: Option<String>,
}

/// `GET /calendar/{token}.ics`: no session needed, the URL is the secret.
pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FeedQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(|| PageLang::of(&headers, state.config.country_lang()));
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    match overview::calendar(&*state.store, token).await {
        Ok(o) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            feed(&o, "Samlet", lang),
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
