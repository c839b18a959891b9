//! See the crate documentation for this module's place in the layers.
//!
//! A person's own overview: their cases, deadlines, benefits and messages,
//! with overdue deadlines and unread counts as of the person's own day, and
//! the private calendar feed of their deadlines and payment dates. Every
//! function here is for the person themself (the `person` argument comes
//! from their session); reading for someone else goes through `represent`
//! or `sharing` and the access log.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use rand::RngCore;
use samlet_domain::Pid;
use samlet_store::{
    BenefitView, DeadlineView, MessageView, Overview, OverviewLimits, Store, StoreError,
};
use sha2::{Digest, Sha256};

/// Why an overview use case did not go through.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The person has no message with this agency and id.
    #[error("the person has no such message")]
    NoSuchMessage,
    /// No person has this calendar token: it never existed or was revoked.
    #[error("the calendar token is unknown or revoked")]
    UnknownCalendarToken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The person's overview, with deadlines before `today` (the person's date,
/// in their country's time zone) marked overdue.
pub async fn overview<S: Store + ?Sized>(
    store: &S,
    person: &Pid,
    today: NaiveDate,
) -> Result<Overview> {
    let o = store
        .overview(person.as_str(), OverviewLimits::default())
        .await?;
    Ok(o.with_today(today))
}

/// One page of the person's messages, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagePage {
    pub messages: Vec<MessageView>,
    /// The next page's number, when there are more messages.
    pub next_page: Option<u32>,
}

/// Page `page` (1-based; 0 counts as 1) of `per_page` messages.
pub async fn messages<S: Store + ?Sized>(
    store: &S,
    person: &Pid,
    page: u32,
    per_page: u32,
) -> Result<MessagePage> {
    let page = page.max(1);
    let offset = i64::from(page - 1) * i64::from(per_page);
    // One extra tells whether there is a next page.
    let mut messages = store
        .messages(person.as_str(), offset, i64::from(per_page) + 1)
        .await?;
    let next_page = (messages.len() > per_page as usize).then_some(page + 1);
    messages.truncate(per_page as usize);
    Ok(MessagePage {
        messages,
        next_page,
    })
}

/// One of the person's messages with its body. Reading it changes nothing
/// (it stays unread until [`mark_read`]), so a GET can show it.
pub async fn message<S: Store + ?Sized>(
    store: &S,
    person: &Pid,
    org: &str,
    message_id: &str,
) -> Result<MessageView> {
    store
        .message(person.as_str(), org, message_id)
        .await?
        .ok_or(Error::NoSuchMessage)
}

/// Mark one of the person's messages read; the first time it was read is
/// kept.
pub async fn mark_read<S: Store + ?Sized>(
    store: &S,
    person: &Pid,
    org: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if store
        .mark_message_read(person.as_str(), org, message_id, now)
        .await?
    {
        Ok(())
    } else {
        Err(Error::NoSuchMessage)
    }
}

/// Issue the person a new calendar token, the secret in their feed's URL;
/// the previous token stops working. Only its hash is stored, so the token
/// is shown once.
pub async fn issue_calendar_token<S: Store + ?Sized>(
    store: &S,
    person: &Pid,
    now: DateTime<Utc>,
) -> Result<String> {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    let token = URL_SAFE_NO_PAD.encode(b);
    store
        .set_calendar_token(person.as_str(), &token_hash(&token), now)
        .await?;
    Ok(token)
}

/// Revoke the person's calendar token: their feed's URL stops working.
pub async fn revoke_calendar_token<S: Store + ?Sized>(
    store: &S,
    person: &Pid,
    now: DateTime<Utc>,
) -> Result<()> {
    store.revoke_calendar_tokens(person.as_str(), now).await?;
    Ok(())
}

/// What a calendar feed shows: the person's deadlines and the benefits
/// that have a next payment date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CalendarItems {
    /// By due date, earliest first, overdue ones too (a calendar keeps the past).
    pub deadlines: Vec<DeadlineView>,
    /// Each has `next_payment`.
    pub payments: Vec<BenefitView>,
}

/// The calendar items of the person a calendar token belongs to. The token
/// is the only credential: a calendar program sends no session.
pub async fn calendar<S: Store + ?Sized>(store: &S, token: &str) -> Result<CalendarItems> {
    let pid = store
        .pid_for_calendar_token(&token_hash(token))
        .await?
        .ok_or(Error::UnknownCalendarToken)?;
    let o = store.overview(&pid, OverviewLimits::default()).await?;
    Ok(CalendarItems {
        deadlines: o.deadlines,
        payments: o
            .benefits
            .into_iter()
            .filter(|b| b.next_payment.is_some())
            .collect(),
    })
}

/// Tokens are stored only as hashes, so a database leak leaks no feed.
fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use samlet_domain::{Country, Currency, Due, Money, ValidBenefit, ValidDeadline, ValidMessage};
    use samlet_store::conformance::{org, person};
    use samlet_store::{Item, SqliteStore};

    async fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = SqliteStore::open(&url).await.expect("open sqlite");
        (dir, store)
    }

    async fn nav(store: &SqliteStore) -> i64 {
        store
            .create_agency(&org("88964078"), "NAV")
            .await
            .expect("agency")
            .id
    }

    async fn ingest(store: &SqliteStore, agency: i64, items: Vec<Item>) {
        for r in store.ingest(agency, items).await.expect("ingest") {
            r.expect("accepted");
        }
    }

    fn deadline(p: &Pid, id: &str, date: NaiveDate) -> Item {
        Item::Deadline(ValidDeadline {
            pid: p.clone(),
            deadline_id: id.into(),
            title: id.into(),
            due: Due { date, at: None },
            case_id: None,
            url: None,
        })
    }

    fn message_item(p: &Pid, id: &str) -> Item {
        Item::Message(ValidMessage {
            pid: p.clone(),
            message_id: id.into(),
            subject: format!("Brev {id}"),
            body: format!("Innhold {id}"),
        })
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("instant")
    }

    #[tokio::test]
    async fn a_deadline_is_overdue_from_the_first_second_of_the_next_day_in_oslo() {
        let (_dir, store) = store().await;
        let nav = nav(&store).await;
        let p = person(3);
        let due = NaiveDate::from_ymd_opt(2026, 6, 15).expect("date");
        ingest(&store, nav, vec![deadline(&p, "meldekort", due)]).await;
        let overdue_at = |now| {
            let store = &store;
            let p = &p;
            async move {
                let o = overview(store, p, Country::No.today(now))
                    .await
                    .expect("overview");
                o.deadlines[0].overdue
            }
        };
        // Summer time (UTC+2): midnight in Oslo is 22:00 UTC the day before.
        assert!(
            !overdue_at(utc(2026, 6, 15, 21, 59, 59)).await,
            "23:59:59 in Oslo on the due date is not late"
        );
        assert!(
            overdue_at(utc(2026, 6, 15, 22, 0, 0)).await,
            "00:00 in Oslo the day after is late, though UTC is still on the due date"
        );
        // Winter time (UTC+1), and the night the clocks go forward.
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10).expect("date");
        ingest(&store, nav, vec![deadline(&p, "winter", winter)]).await;
        let o = overview(&store, &p, Country::No.today(utc(2026, 1, 10, 23, 0, 0)))
            .await
            .expect("overview");
        let winter_overdue = o
            .deadlines
            .iter()
            .find(|d| d.deadline_id == "winter")
            .map(|d| d.overdue);
        assert_eq!(winter_overdue, Some(true), "00:00 CET is 23:00 UTC");
        let spring = NaiveDate::from_ymd_opt(2026, 3, 28).expect("date");
        ingest(&store, nav, vec![deadline(&p, "spring", spring)]).await;
        for (now, late) in [
            (utc(2026, 3, 28, 22, 59, 59), false),
            (utc(2026, 3, 28, 23, 0, 0), true),
        ] {
            let o = overview(&store, &p, Country::No.today(now))
                .await
                .expect("overview");
            let d = o.deadlines.iter().find(|d| d.deadline_id == "spring");
            assert_eq!(d.map(|d| d.overdue), Some(late), "at {now}");
        }
    }

    #[tokio::test]
    async fn unread_counts_follow_marking_read_and_opening_changes_nothing() {
        let (_dir, store) = store().await;
        let nav = nav(&store).await;
        let p = person(4);
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        ingest(
            &store,
            nav,
            vec![message_item(&p, "a"), message_item(&p, "b")],
        )
        .await;
        let counts = |o: Overview| (o.unread_messages, o.total_messages);
        let o = overview(&store, &p, today).await.expect("overview");
        assert_eq!(counts(o), (2, 2));

        let m = message(&store, &p, "889640782", "a").await.expect("open");
        assert_eq!(m.body.as_deref(), Some("Innhold a"));
        assert!(!m.read, "opening is not reading");
        let o = overview(&store, &p, today).await.expect("overview");
        assert_eq!(counts(o), (2, 2), "a GET changes nothing");

        mark_read(&store, &p, "889640782", "a", Utc::now())
            .await
            .expect("mark");
        let first = message(&store, &p, "889640782", "a")
            .await
            .expect("open")
            .read_at;
        assert!(first.is_some());
        mark_read(&store, &p, "889640782", "a", Utc::now())
            .await
            .expect("mark again");
        let again = message(&store, &p, "889640782", "a").await.expect("open");
        assert_eq!(again.read_at, first, "the first reading is kept");
        let o = overview(&store, &p, today).await.expect("overview");
        assert_eq!(counts(o), (1, 2));

        let other = person(5);
        assert!(matches!(
            mark_read(&store, &other, "889640782", "b", Utc::now()).await,
            Err(Error::NoSuchMessage)
        ));
        assert!(matches!(
            message(&store, &other, "889640782", "b").await,
            Err(Error::NoSuchMessage)
        ));
        let o = overview(&store, &p, today).await.expect("overview");
        assert_eq!(counts(o), (1, 2), "another person cannot mark mine read");
    }

    #[tokio::test]
    async fn messages_come_a_page_at_a_time_with_the_next_page_when_there_is_one() {
        let (_dir, store) = store().await;
        let nav = nav(&store).await;
        let p = person(6);
        ingest(
            &store,
            nav,
            ["a", "b", "c"]
                .iter()
                .map(|id| message_item(&p, id))
                .collect(),
        )
        .await;
        let page = |n| messages(&store, &p, n, 2);
        let first = page(1).await.expect("page 1");
        assert_eq!((first.messages.len(), first.next_page), (2, Some(2)));
        let second = page(2).await.expect("page 2");
        assert_eq!((second.messages.len(), second.next_page), (1, None));
        assert_eq!(page(0).await.expect("page 0"), first, "0 counts as 1");
        let beyond = page(3).await.expect("page 3");
        assert!(beyond.messages.is_empty() && beyond.next_page.is_none());
        let exact = messages(&store, &p, 1, 3).await.expect("all");
        assert_eq!((exact.messages.len(), exact.next_page), (3, None));
    }

    #[tokio::test]
    async fn a_calendar_token_shows_deadlines_and_payment_dates_until_it_is_renewed_or_revoked() {
        let (_dir, store) = store().await;
        let nav = nav(&store).await;
        let p = person(7);
        let day = |d| NaiveDate::from_ymd_opt(2026, 4, d).expect("date");
        let benefit = |id: &str, next_payment| {
            Item::Benefit(ValidBenefit {
                pid: p.clone(),
                benefit_id: id.into(),
                name: id.into(),
                amount: Money::parse("1766.00").expect("money"),
                currency: Currency::parse("NOK").expect("currency"),
                next_payment,
            })
        };
        ingest(
            &store,
            nav,
            vec![
                deadline(&p, "frist", day(20)),
                benefit("BT", Some(day(20))),
                benefit("ended", None),
                message_item(&p, "a"),
            ],
        )
        .await;
        assert!(matches!(
            calendar(&store, "no-such-token").await,
            Err(Error::UnknownCalendarToken)
        ));
        let token = issue_calendar_token(&store, &p, Utc::now())
            .await
            .expect("issue");
        let items = calendar(&store, &token).await.expect("feed");
        let ids = |items: &CalendarItems| {
            (
                items
                    .deadlines
                    .iter()
                    .map(|d| d.deadline_id.clone())
                    .collect::<Vec<_>>(),
                items
                    .payments
                    .iter()
                    .map(|b| b.benefit_id.clone())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(ids(&items), (vec!["frist".into()], vec!["BT".into()]));

        let renewed = issue_calendar_token(&store, &p, Utc::now())
            .await
            .expect("renew");
        assert_ne!(renewed, token);
        assert!(matches!(
            calendar(&store, &token).await,
            Err(Error::UnknownCalendarToken)
        ));
        assert!(calendar(&store, &renewed).await.is_ok());
        revoke_calendar_token(&store, &p, Utc::now())
            .await
            .expect("revoke");
        assert!(matches!(
            calendar(&store, &renewed).await,
            Err(Error::UnknownCalendarToken)
        ));
    }
}
