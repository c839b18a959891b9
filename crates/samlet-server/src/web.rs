//! The server-rendered web UI. Works without JavaScript: every action is a
//! link or a form POST carrying the session's CSRF token.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, NaiveDate, Utc};
use std::sync::LazyLock;

use minijinja::value::Kwargs;
use minijinja::{context, Environment, State as TplState, Value};
use samlet_app::overview;
use samlet_domain::Country;
use serde::Deserialize;

use crate::api::me::new_calendar_url;
use crate::auth::{check_csrf, Citizen, CsrfForm, MaybeCitizen};
use crate::i18n::PageLang;
use crate::i18n::{Lang, LANG_COOKIE};
use crate::problem::ApiError;
use crate::AppState;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("landing.html", include_str!("../templates/landing.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("calendar.html", include_str!("../templates/calendar.html")),
    ("error.html", include_str!("../templates/error.html")),
    (
        "foresight_code.html",
        include_str!("../templates/foresight_code.html"),
    ),
    (
        "foresight_join.html",
        include_str!("../templates/foresight_join.html"),
    ),
    (
        "foresight_closed.html",
        include_str!("../templates/foresight_closed.html"),
    ),
    (
        "foresight_ballot.html",
        include_str!("../templates/foresight_ballot.html"),
    ),
    (
        "foresight_present.html",
        include_str!("../templates/foresight_present.html"),
    ),
    (
        "foresight_analysis.html",
        include_str!("../templates/foresight_analysis.html"),
    ),
    (
        "foresight_report.html",
        include_str!("../templates/foresight_report.html"),
    ),
    (
        "foresight_library.html",
        include_str!("../templates/foresight_library.html"),
    ),
    ("rules.html", include_str!("../templates/rules.html")),
    ("journey.html", include_str!("../templates/journey.html")),
    (
        "access_log.html",
        include_str!("../templates/access_log.html"),
    ),
    (
        "foresight_team.html",
        include_str!("../templates/foresight_team.html"),
    ),
    (
        "foresight_team_actions.html",
        include_str!("../templates/foresight_team_actions.html"),
    ),
    (
        "foresight_team_item.html",
        include_str!("../templates/foresight_team_item.html"),
    ),
    (
        "foresight_team_created.html",
        include_str!("../templates/foresight_team_created.html"),
    ),
    ("mandates.html", include_str!("../templates/mandates.html")),
    (
        "acting_for.html",
        include_str!("../templates/acting_for.html"),
    ),
    (
        "represented.html",
        include_str!("../templates/represented.html"),
    ),
    (
        "represented_message.html",
        include_str!("../templates/represented_message.html"),
    ),
    ("consents.html", include_str!("../templates/consents.html")),
];

pub struct Templates {
    /// Dates on pages are days in this country's time zone.
    country: Country,
}

/// A date as the template got it: a plain date, or an instant shown as the
/// day it is in the country's time zone.
fn parse_date(v: &Value, country: Country) -> Option<NaiveDate> {
    let s = v.as_str()?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| country.today(t.with_timezone(&Utc)))
    })
}

/// Every template, compiled once (at start: `AppState::new` forces it).
static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, src) in TEMPLATES {
        // The templates are part of the binary and a test renders each one,
        // so a syntax error is a build defect, not a runtime condition.
        if let Err(e) = env.add_template(name, src) {
            panic!("template {name}: {e}");
        }
    }
    env.add_filter("date", |state: &TplState, v: Value| -> String {
        let (lang, country) = page_locale(state);
        parse_date(&v, country)
            .map(|d| lang.date(d))
            .unwrap_or_else(|| v.to_string())
    });
    env.add_filter("datetime", |state: &TplState, v: Value| -> String {
        let (lang, country) = page_locale(state);
        v.as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| lang.date_time(&country.local(t.with_timezone(&Utc))))
            .unwrap_or_else(|| v.to_string())
    });
    env.add_filter(
        "money",
        |state: &TplState, amount: String, currency: String| -> String {
            page_locale(state).0.money(&amount, &currency)
        },
    );
    env.add_filter("number", |state: &TplState, n: i64| -> String {
        page_locale(state).0.integer(n)
    });
    // A message with arguments: `{{ msg("unread_count", count=n) }}`.
    env.add_function(
        "msg",
        |state: &TplState, id: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let lang = page_locale(state).0;
            let mut m = lang.msg(id);
            for key in kwargs.args() {
                let v: Value = kwargs.get(key)?;
                m = match (v.as_i64(), v.as_str()) {
                    (Some(n), _) => m.arg(key, n),
                    (None, Some(s)) => m.text(key, s.to_owned()),
                    (None, None) => m.text(key, v.to_string()),
                };
            }
            Ok(m.to_string())
        },
    );
    env
});

/// The page's language and country, from the context `page()` built.
fn page_locale(state: &TplState) -> (Lang, Country) {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::Nb);
    let country = state
        .lookup("country")
        .and_then(|v| v.as_str().and_then(|c| c.parse().ok()))
        .unwrap_or_default();
    (lang, country)
}

impl Templates {
    pub fn new(country: Country) -> Self {
        LazyLock::force(&ENV);
        Self { country }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<Html<String>, ApiError> {
        render(name, context! { country => self.country.code(), ..ctx })
    }
}

/// Renders a page with the compiled templates.
pub(crate) fn render(name: &str, ctx: Value) -> Result<Html<String>, ApiError> {
    ENV.get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(ApiError::internal)
}

/// The context every page gets.
pub(crate) fn page(
    lang: Lang,
    title: &str,
    path: &str,
    citizen: Option<&Citizen>,
    extra: Value,
) -> Value {
    let languages = Lang::ALL
        .iter()
        .map(|l| context! { code => l.code(), name => l.name() })
        .collect::<Vec<_>>();
    let base = context! {
        lang => lang.code(),
        tr => Value::from_object(crate::i18n::Messages(lang)),
        title,
        path,
        languages,
        citizen => citizen.is_some(),
        csrf => citizen.map(|c| c.csrf.clone()),
    };
    context! { ..base, ..extra }
}

/// Errors on HTML routes render a page, not problem+json.
pub struct WebError(pub ApiError, pub Lang);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let WebError(e, lang) = self;
        let heading = if e.status == StatusCode::NOT_FOUND {
            lang.t("not_found_title")
        } else {
            lang.t("error_title")
        };
        let html = render(
            "error.html",
            page(
                lang,
                heading,
                "/",
                None,
                context! { heading, detail => e.detail_in(lang) },
            ),
        )
        .ok();
        match html {
            Some(h) => {
                let mut res = (e.status, h).into_response();
                e.set_retry_after(&mut res);
                res
            }
            None => e.into_response(),
        }
    }
}

type WebResult = Result<Response, WebError>;

pub async fn landing(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
) -> WebResult {
    let ctx = page(lang, lang.t("tagline"), "/", c.as_ref(), context! {});
    Ok(state
        .templates
        .render("landing.html", ctx)
        .map_err(|e| WebError(e, lang))?
        .into_response())
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

pub async fn login_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    Query(q): Query<NextQuery>,
) -> WebResult {
    let next = crate::auth::safe_next(q.next.as_deref()).to_owned();
    if c.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let demo_persons = &state.config.demo_persons;
    let ctx = page(
        lang,
        lang.t("login_title"),
        "/login",
        None,
        context! { dev => state.config.dev, oidc => state.oidc.is_some(), next, demo_persons },
    );
    Ok(state
        .templates
        .render("login.html", ctx)
        .map_err(|e| WebError(e, lang))?
        .into_response())
}

pub(crate) fn to_login(path: &str) -> Response {
    Redirect::to(&format!("/login?next={}", urlencode(path))).into_response()
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Show only birth date digits; the rest of the number stays off the screen
/// (someone may be looking over the person's shoulder).
fn masked(pid: &str) -> String {
    format!(
        "{}{}",
        &pid[..6.min(pid.len())],
        "*".repeat(pid.len().saturating_sub(6))
    )
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    pub page: Option<u32>,
    pub flash: Option<String>,
}

pub async fn overview(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<OverviewQuery>,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login("/me"));
    };
    let err = |e| WebError(e, lang);
    let o = overview::overview(&*state.store, &c.pid, state.config.today())
        .await
        .map_err(|e| web_error(e, lang))?;
    let page_no =
        crate::extract::bounded(q.page, 1, crate::extract::MAX_PAGE, "page").map_err(err)?;
    let overview::MessagePage {
        messages,
        next_page,
    } = overview::messages(&*state.store, &c.pid, page_no, 20)
        .await
        .map_err(|e| web_error(e, lang))?;
    let status_color: std::collections::BTreeMap<&str, &str> = [
        ("received", "info"),
        ("in_progress", "info"),
        ("awaiting_citizen", "warning"),
        ("decided", "success"),
        ("appealed", "warning"),
        ("closed", "neutral"),
        ("withdrawn", "neutral"),
    ]
    .into_iter()
    .collect();
    let flash = match q.flash.as_deref() {
        Some("calendar-revoked") => Some(lang.t("calendar_revoked")),
        _ => None,
    };
    let mine = crate::api::journeys::my_journeys(&state, &c.pid, lang)
        .await
        .map_err(err)?;
    let ctx = page(
        lang,
        lang.t("overview_title"),
        "/me",
        Some(&c),
        context! { journeys => Value::from_serialize(&mine.journeys), offers => Value::from_serialize(&mine.offers), o => Value::from_serialize(&o), messages => Value::from_serialize(&messages), page => page_no, next_page, status_color, flash, masked_pid => masked(c.pid.as_str()) },
    );
    Ok(state
        .templates
        .render("overview.html", ctx)
        .map_err(err)?
        .into_response())
}

pub async fn message(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    Path((org, id)): Path<(String, String)>,
    uri: Uri,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login(uri.path()));
    };
    // Reading changes nothing (a GET never does): the page's button, or
    // the overview's link to an unread message, marks it read by POST.
    let m = overview::message(&*state.store, &c.pid, &org, &id)
        .await
        .map_err(|e| web_error(e, lang))?;
    let ctx = page(
        lang,
        &m.subject.clone(),
        uri.path(),
        Some(&c),
        context! { m => Value::from_serialize(&m) },
    );
    Ok(state
        .templates
        .render("message.html", ctx)
        .map_err(|e| WebError(e, lang))?
        .into_response())
}

/// `POST /me/messages/{org}/{message_id}/read`: mark the message read and
/// show it (303 to its page). The overview's unread messages open through
/// this form, so opening one from the list still marks it read.
pub async fn message_read(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Path((org, id)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> WebResult {
    check_csrf(&c, &f.csrf).map_err(|e| WebError(e, lang))?;
    overview::mark_read(&*state.store, &c.pid, &org, &id, Utc::now())
        .await
        .map_err(|e| web_error(e, lang))?;
    Ok(crate::auth::local_redirect(&format!(
        "/me/messages/{}/{}",
        urlencode_path(&org),
        urlencode_path(&id)
    ))
    .into_response())
}

/// One path segment, percent-encoded (a message id is the agency's choice).
fn urlencode_path(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub async fn calendar_create(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Form(f): Form<CsrfForm>,
) -> WebResult {
    check_csrf(&c, &f.csrf).map_err(|e| WebError(e, lang))?;
    let url = new_calendar_url(&state, &c, lang)
        .await
        .map_err(|e| WebError(e, lang))?;
    let webcal = url
        .replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1);
    let ctx = page(
        lang,
        lang.t("calendar_url_title"),
        "/me",
        Some(&c),
        context! { url, webcal },
    );
    let html = state
        .templates
        .render("calendar.html", ctx)
        .map_err(|e| WebError(e, lang))?;
    // The page shows a secret: keep it out of caches and history.
    Ok(([(header::CACHE_CONTROL, "no-store")], html).into_response())
}

pub async fn calendar_revoke(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Form(f): Form<CsrfForm>,
) -> WebResult {
    check_csrf(&c, &f.csrf).map_err(|e| WebError(e, lang))?;
    overview::revoke_calendar_token(&*state.store, &c.pid, Utc::now())
        .await
        .map_err(|e| web_error(e, lang))?;
    Ok(Redirect::to("/me?flash=calendar-revoked").into_response())
}

/// The overview's errors on a page: a message the person does not have is
/// the page's own "not found", in the page's language.
fn web_error(e: overview::Error, lang: Lang) -> WebError {
    match e {
        overview::Error::NoSuchMessage => {
            WebError(ApiError::not_found(lang.t("not_found_title")), lang)
        }
        e => WebError(e.into(), lang),
    }
}

pub async fn set_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
    jar: CookieJar,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Nb);
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(cookie::time::Duration::days(365))
        .build();
    (
        jar.add(cookie),
        Redirect::to(crate::auth::safe_next(q.next.as_deref())),
    )
        .into_response()
}

pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, ct): (&'static str, &str) = match file.as_str() {
        "designsystemet.css" => (
            include_str!("../assets/vendor/designsystemet/designsystemet.css"),
            "text/css",
        ),
        "theme.css" => (
            include_str!("../assets/vendor/designsystemet/theme.css"),
            "text/css",
        ),
        "samlet.css" => (include_str!("../assets/samlet.css"), "text/css"),
        _ => return ApiError::not_found("No such asset.").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// The example household the rules page starts with.
const EXAMPLE_HOUSEHOLD: &str = r#"{
  "members": [
    {"id": "Kari", "role": "parent", "birth_date": "1984-04-12", "annual_income": 800000},
    {"id": "Ola", "role": "parent", "birth_date": "1983-10-02", "annual_income": 500000},
    {"id": "Emil", "role": "child", "birth_date": "2012-03-15", "annual_income": 0},
    {"id": "Jonas", "role": "child", "birth_date": "2019-06-07", "annual_income": 0}
  ]
}"#;

#[derive(Deserialize)]
pub struct RulesQuery {
    pub period: Option<String>,
    pub household: Option<String>,
}

/// Anyone can try a published rule: a GET form (no side effects, nothing stored), so it works
/// without JavaScript and without login.
pub async fn rules_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    Path(ruleset): Path<String>,
    Query(q): Query<RulesQuery>,
    uri: Uri,
) -> WebResult {
    if state.rules.get(&ruleset).is_none() {
        return Err(WebError(
            ApiError::not_found(format!("There is no rule set `{ruleset}`.")),
            lang,
        ));
    }
    let (mut result, mut error, mut trace_json) = (None, None, None);
    if let (Some(period), Some(household)) = (&q.period, &q.household) {
        let parsed = serde_json::from_str::<serde_json::Value>(household).map_err(|e| {
            ApiError::invalid("/household", format!("{}: {e}", lang.t("rules_not_json")))
        });
        match parsed.and_then(|h| {
            samlet_app::rules::explain(&state.rules, &ruleset, period, h, lang)
                .map_err(ApiError::from)
                .and_then(crate::api::rules::explain_response)
        }) {
            Ok(r) => {
                trace_json = serde_json::to_string_pretty(&r.trace).ok();
                result = Some(r);
            }
            Err(e) => error = Some(e.detail),
        }
    }
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let period = q
        .period
        .clone()
        .unwrap_or_else(|| state.config.today().format("%Y-%m").to_string());
    let household = q
        .household
        .clone()
        .unwrap_or_else(|| EXAMPLE_HOUSEHOLD.to_owned());
    let path = uri.path().to_owned();
    let ctx = page(
        lang,
        lang.t("rules_title"),
        &path,
        c.as_ref(),
        context! { ruleset, period, household, error, trace_json, result => Value::from_serialize(&result) },
    );
    let html = state
        .templates
        .render("rules.html", ctx)
        .map_err(|e| WebError(e, lang))?;
    Ok((status, html).into_response())
}

pub async fn not_found(PageLang(lang): PageLang, headers: HeaderMap, uri: Uri) -> Response {
    let e = ApiError::not_found(format!("There is nothing at {}.", uri.path()));
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.contains("text/html"))
        .unwrap_or(false);
    if wants_html && !uri.path().starts_with("/api/") {
        WebError(e, lang).into_response()
    } else {
        e.into_response()
    }
}

#[derive(Deserialize)]
pub struct FlashQuery {
    pub flash: Option<String>,
}

/// A personal checklist for one life event.
pub async fn journey_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    Path(id): Path<String>,
    Query(q): Query<FlashQuery>,
    uri: Uri,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login(uri.path()));
    };
    let err = |e| WebError(e, lang);
    let today = state.config.today();
    let j = samlet_app::journeys::journey_of(&*state.store, &state.journeys, &c.pid, &id, today)
        .await
        .map_err(|e| err(e.into()))?
        .ok_or_else(|| err(ApiError::not_found(lang.t("not_found_title"))))?;
    let j = crate::api::journeys::JourneyView::new(j, lang);
    let title = j.title.clone();
    let flash = match q.flash.as_deref() {
        Some("task-done") => Some(lang.t("journey_marked_done")),
        Some("answered") => Some(lang.t("journey_answers_saved")),
        _ => None,
    };
    let ctx = page(
        lang,
        &title,
        uri.path(),
        Some(&c),
        context! { j => Value::from_serialize(&j), flash },
    );
    Ok(state
        .templates
        .render("journey.html", ctx)
        .map_err(err)?
        .into_response())
}

/// The citizen ticks off one of their own tasks (a form POST with the CSRF token; no JS needed).
pub async fn journey_task_done(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Path((id, task)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> WebResult {
    check_csrf(&c, &f.csrf).map_err(|e| WebError(e, lang))?;
    let who = samlet_app::journeys::Marker::Citizen(&c.pid);
    samlet_app::journeys::mark_done(&*state.store, who, &id, &task, chrono::Utc::now())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    Ok(Redirect::to(&format!("/me/journeys/{}?flash=task-done", urlencode(&id))).into_response())
}

/// The citizen answers the journey's questions (a form POST with the CSRF token; no JS needed).
/// Fields are `fact.<name>`; an empty value means "not answered".
pub async fn journey_answers(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> WebResult {
    let csrf = f
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    check_csrf(&c, &csrf).map_err(|e| WebError(e, lang))?;
    let mut answers = serde_json::Map::new();
    for (k, v) in &f {
        let (Some(fact), false) = (k.strip_prefix("fact."), v.trim().is_empty()) else {
            continue;
        };
        let v = v.trim();
        let value = match v {
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            _ => match v.parse::<i64>() {
                Ok(n) => serde_json::Value::from(n),
                Err(_) => serde_json::Value::String(v.to_owned()),
            },
        };
        answers.insert(fact.to_owned(), value);
    }
    samlet_app::journeys::answer(
        &*state.store,
        &state.journeys,
        &c.pid,
        &id,
        &answers,
        chrono::Utc::now(),
        state.config.today(),
    )
    .await
    .map_err(|e| WebError(e.into(), lang))?;
    Ok(Redirect::to(&format!("/me/journeys/{}?flash=answered", urlencode(&id))).into_response())
}
