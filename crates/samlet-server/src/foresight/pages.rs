//! The foresight web pages: join and vote on a phone (`/f/…`), the team's
//! presenter screen and report (`/foresight/sessions/{id}/…`), and the
//! library (`/foresight/library`). Server-rendered and usable without
//! JavaScript; the presenter screen refreshes itself (a small static script
//! polls the live counts; without JS a `<noscript>` meta refresh does).

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use minijinja::{context, Value};
use samlet_foresight::{
    blind_spot_matrix_svg, format_number, gap_bar_chart_svg, scale_labels, themes_csv, trends_csv,
    BallotInput, ChartOptions, ParticipantInput, RatingInput, Results, Scale, Segment,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use samlet_app::foresight::{self as fs, role_label, Loaded, REVEAL_MIN_BALLOTS};

use super::api::{join_session, status_of};
use super::{
    check_form_token, form_token, require_team, team_actor, too_few_error, withheld_error,
    FORM_COOKIE, PARTICIPANT_COOKIE, TEAM_COOKIE,
};
use crate::auth::token_hash;
use crate::i18n::Lang;
use crate::i18n::PageLang;
use crate::problem::ApiError;
use crate::web::{page, WebError};
use crate::AppState;

type WebResult = Result<Response, WebError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/foresight/library", get(library))
        .route("/foresight/assets/{file}", get(asset))
        .route("/f", get(enter_code))
        .route("/f/{code}", get(join_page))
        .route("/f/{code}/join", post(join_post))
        .route("/f/{code}/ballot", get(ballot_page).post(ballot_post))
        .route("/foresight/sessions/{id}/present", get(present))
        .route("/foresight/sessions/{id}/live.json", get(live))
        .route("/foresight/sessions/{id}/close", post(close_post))
        .route("/foresight/sessions/{id}/reveal", post(reveal_post))
        .route("/foresight/sessions/{id}/report", get(report))
        .route("/foresight/sessions/{id}/report.pdf", get(report_pdf))
        .route("/foresight/sessions/{id}/results.json", get(results_json))
        .route("/foresight/sessions/{id}/trends.csv", get(trends_csv_file))
        .route("/foresight/sessions/{id}/themes.csv", get(themes_csv_file))
}

fn render(state: &AppState, lang: Lang, name: &str, ctx: Value) -> WebResult {
    Ok(state
        .templates
        .render(name, ctx)
        .map_err(|e| WebError(e, lang))?
        .into_response())
}

pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, ct): (&'static str, &str) = match file.as_str() {
        "foresight.css" => (include_str!("../../assets/foresight.css"), "text/css"),
        "live.js" => (
            include_str!("../../assets/foresight-live.js"),
            "text/javascript",
        ),
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

pub async fn library(State(state): State<AppState>, PageLang(lang): PageLang) -> WebResult {
    let lib = fs::effective_library(state.store.as_ref())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let categories: Vec<Value> = [
        samlet_foresight::Category::Political,
        samlet_foresight::Category::Economic,
        samlet_foresight::Category::Social,
        samlet_foresight::Category::Technological,
        samlet_foresight::Category::Environmental,
        samlet_foresight::Category::Legal,
    ]
    .into_iter()
    .map(|c| {
        let forces: Vec<Value> = lib
            .driving_forces_in(c)
            .filter(|f| !f.retired)
            .map(|f| {
                context! {
                    code => f.code.clone(),
                    title => f.title.get(lang),
                    description => f.description.get(lang),
                    key_figures => f.key_figures.iter().map(|k| k.get(lang).to_owned()).collect::<Vec<_>>(),
                    sources => f.sources.clone(),
                }
            })
            .collect();
        context! { name => c.name(lang), forces }
    })
    .collect();
    let themes: Vec<Value> = lib
        .themes()
        .iter()
        .map(|th| {
            let trends: Vec<Value> = lib
                .trends_in_theme(&th.code)
                .filter(|t| !t.retired)
                .map(|t| {
                    context! {
                        code => t.code.clone(),
                        title => t.title.get(lang),
                        description => t.description.get(lang),
                        key_figures => t.key_figures.iter().map(|k| k.get(lang).to_owned()).collect::<Vec<_>>(),
                        sources => t.sources.clone(),
                        importance => t.reference_scores.map(|r| format_number(r.importance, lang)),
                        preparedness => t.reference_scores.map(|r| format_number(r.preparedness, lang)),
                    }
                })
                .collect();
            context! { code => th.code.clone(), title => th.title.get(lang), trends }
        })
        .collect();
    let ctx = page(
        lang,
        lang.t("fs_library_title"),
        "/foresight/library",
        None,
        context! { categories, themes, sources => Value::from_serialize(lib.sources()) },
    );
    render(&state, lang, "foresight_library.html", ctx)
}

#[derive(Deserialize)]
pub struct CodeQuery {
    pub code: Option<String>,
}

/// `/f`: type the code (or `/f?code=…` from the form).
pub async fn enter_code(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(q): Query<CodeQuery>,
) -> WebResult {
    let mut error = None;
    if let Some(typed) = q.code.as_deref() {
        if let Some(s) = fs::load_by_code(state.store.as_ref(), typed)
            .await
            .map_err(|e| WebError(e.into(), lang))?
        {
            return Ok(Redirect::to(&format!("/f/{}", s.row.join_code)).into_response());
        }
        error = Some(lang.t("fs_unknown_code"));
    }
    let ctx = page(
        lang,
        lang.t("fs_join_title"),
        "/f",
        None,
        context! { error, code => q.code },
    );
    let mut res = render(&state, lang, "foresight_code.html", ctx)?;
    if error.is_some() {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(res)
}

async fn session_for_code(state: &AppState, code: &str, lang: Lang) -> Result<Loaded, WebError> {
    fs::load_by_code(state.store.as_ref(), code)
        .await
        .map_err(|e| WebError(e.into(), lang))?
        .ok_or_else(|| WebError(ApiError::not_found(lang.t("fs_unknown_code")), lang))
}

/// The participant's token hash and the ballot form's CSRF token, if the
/// cookie's token belongs to this session.
async fn participant(
    state: &AppState,
    headers: &HeaderMap,
    s: &Loaded,
) -> Result<Option<(Vec<u8>, String)>, ApiError> {
    let jar = CookieJar::from_headers(headers);
    let Some(c) = jar.get(PARTICIPANT_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(c.value());
    let sid = match fs::participant_session(state.store.as_ref(), &hash).await {
        Ok(id) => Some(id),
        Err(fs::Error::UnknownParticipant) => None,
        Err(e) => return Err(e.into()),
    };
    let csrf = form_token(state.config.secret.expose_secret(), "ballot", c.value());
    Ok((sid.as_deref() == Some(s.row.id.as_str())).then_some((hash, csrf)))
}

fn closed_page(state: &AppState, lang: Lang, s: &Loaded) -> WebResult {
    let ctx = page(
        lang,
        lang.t("fs_closed"),
        "/f",
        None,
        context! { session_title => s.row.title.clone() },
    );
    let mut res = render(state, lang, "foresight_closed.html", ctx)?;
    *res.status_mut() = StatusCode::CONFLICT;
    Ok(res)
}

/// `/f/{code}`: what the QR code opens. Joining is a POST so that link
/// previews and crawlers do not count as participants.
pub async fn join_page(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(code): Path<String>,
) -> WebResult {
    let s = session_for_code(&state, &code, lang).await?;
    if !s.row.is_open() {
        return closed_page(&state, lang, &s);
    }
    if participant(&state, &headers, &s)
        .await
        .map_err(|e| WebError(e, lang))?
        .is_some()
    {
        return Ok(Redirect::to(&format!("/f/{}/ballot", s.row.join_code)).into_response());
    }
    let path = format!("/f/{}", s.row.join_code);
    let (jar, form_secret) = form_cookie(&state, jar);
    let ctx = page(
        lang,
        lang.t("fs_join_title"),
        &path,
        None,
        context! {
            session_title => s.row.title.clone(),
            code => s.row.join_code.clone(),
            trends => s.spec.trends.len(),
            fs_csrf => form_token(state.config.secret.expose_secret(), "join", &form_secret),
        },
    );
    Ok((jar, render(&state, lang, "foresight_join.html", ctx)?).into_response())
}

/// The form cookie (see [`FORM_COOKIE`]): reuse the browser's, or set a new one.
pub(crate) fn form_cookie(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(FORM_COOKIE) {
        let v = c.value().to_owned();
        return (jar, v);
    }
    let v = crate::auth::random_token("");
    let cookie = Cookie::build((FORM_COOKIE, v.clone()))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::hours(12))
        .build();
    (jar.add(cookie), v)
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    pub csrf: Option<String>,
}

pub async fn join_post(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    crate::ratelimit::ClientIp(ip): crate::ratelimit::ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    Path(code): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    state
        .limits
        .join_address
        .check(&ip)
        .map_err(|e| WebError(e, lang))?;
    let s = session_for_code(&state, &code, lang).await?;
    if !s.row.is_open() {
        return closed_page(&state, lang, &s);
    }
    check_form_token(
        &state,
        "join",
        jar.get(FORM_COOKIE).map(|c| c.value()),
        f.csrf.as_deref(),
    )
    .map_err(|e| WebError(e, lang))?;
    let ballot = format!("/f/{}/ballot", s.row.join_code);
    // A browser that has joined this session stays the one participant it
    // was: joining again (back button, a second tap, a script replaying
    // the form) would otherwise mint a new participant and a new ballot.
    if participant(&state, &headers, &s)
        .await
        .map_err(|e| WebError(e, lang))?
        .is_some()
    {
        return Ok(Redirect::to(&ballot).into_response());
    }
    state
        .limits
        .join_code
        .check(&s.row.join_code)
        .map_err(|e| WebError(e, lang))?;
    let token = join_session(&state, &s)
        .await
        .map_err(|e| WebError(e, lang))?;
    let cookie = Cookie::build((PARTICIPANT_COOKIE, token))
        .path("/f/")
        .http_only(true)
        .secure(state.config.secure_cookies())
        // Strict as well as the form token: defence in depth.
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::hours(24))
        .build();
    Ok((jar.add(cookie), Redirect::to(&ballot)).into_response())
}

#[derive(Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

/// The form's state: chosen values by field name, and errors by field name.
#[derive(Default)]
struct FormState {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

fn ballot_ctx(
    state: &AppState,
    lang: Lang,
    s: &Loaded,
    form: &FormState,
    saved: bool,
    csrf: &str,
) -> Value {
    let imp = scale_labels(Scale::Importance, lang);
    let prep = scale_labels(Scale::Preparedness, lang);
    let trends: Vec<Value> = s
        .spec
        .trends
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let scale = |name: String, labels: [&str; 6]| {
                let options: Vec<Value> = labels
                    .iter()
                    .enumerate()
                    .map(|(v, l)| context! { value => (v + 1).to_string(), label => *l })
                    .collect();
                context! {
                    name => name.clone(),
                    value => form.values.get(&name).cloned(),
                    error => form.errors.get(&name).cloned(),
                    options,
                }
            };
            context! {
                index => i,
                code => t.code.clone(),
                title => t.title_in(lang),
                theme => t.theme_in(lang),
                importance => scale(format!("imp_{i}"), imp),
                preparedness => scale(format!("prep_{i}"), prep),
            }
        })
        .collect();
    let roles: Option<Vec<Value>> = s.spec.questions.role.as_ref().map(|r| {
        r.iter()
            .map(|k| context! { key => k.clone(), label => role_label(k, lang) })
            .collect()
    });
    let errors: Vec<Value> = form
        .errors
        .iter()
        .map(|(field, msg)| context! { field => field.clone(), msg => msg.clone() })
        .collect();
    let path = format!("/f/{}/ballot", s.row.join_code);
    page(
        lang,
        lang.t("fs_ballot_title"),
        &path,
        None,
        context! {
            session_title => s.row.title.clone(),
            code => s.row.join_code.clone(),
            trends,
            roles,
            ask_experience => s.spec.questions.experience_years,
            role => form.values.get("role").cloned().unwrap_or_default(),
            experience_years => form.values.get("experience_years").cloned().unwrap_or_default(),
            errors,
            saved,
            fs_csrf => csrf,
            public_url => state.config.public_url.clone(),
        },
    )
}

fn form_from_ballot(s: &Loaded, stored: &str) -> FormState {
    let mut f = FormState::default();
    if let Ok(b) = serde_json::from_str::<BallotInput>(stored) {
        if let Some(r) = b.participant.role {
            f.values.insert("role".into(), r);
        }
        if let Some(y) = b.participant.experience_years {
            f.values.insert("experience_years".into(), y.to_string());
        }
        for r in b.ratings {
            if let Some(i) = s.trends.position(&r.trend) {
                f.values
                    .insert(format!("imp_{i}"), r.importance.to_string());
                f.values
                    .insert(format!("prep_{i}"), r.preparedness.to_string());
            }
        }
    }
    f
}

pub async fn ballot_page(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<SavedQuery>,
) -> WebResult {
    let s = session_for_code(&state, &code, lang).await?;
    if !s.row.is_open() {
        return closed_page(&state, lang, &s);
    }
    let Some((hash, csrf)) = participant(&state, &headers, &s)
        .await
        .map_err(|e| WebError(e, lang))?
    else {
        return Ok(Redirect::to(&format!("/f/{}", s.row.join_code)).into_response());
    };
    let stored = fs::own_ballot(state.store.as_ref(), &hash)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let form = stored
        .as_deref()
        .map(|b| form_from_ballot(&s, b))
        .unwrap_or_default();
    let ctx = ballot_ctx(
        &state,
        lang,
        &s,
        &form,
        q.saved.is_some() && stored.is_some(),
        &csrf,
    );
    let mut res = render(&state, lang, "foresight_ballot.html", ctx)?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn ballot_post(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult {
    let s = session_for_code(&state, &code, lang).await?;
    if !s.row.is_open() {
        return closed_page(&state, lang, &s);
    }
    let Some((hash, csrf)) = participant(&state, &headers, &s)
        .await
        .map_err(|e| WebError(e, lang))?
    else {
        return Ok(Redirect::to(&format!("/f/{}", s.row.join_code)).into_response());
    };
    let mut form = FormState::default();
    for (k, v) in fields {
        form.values.insert(k, v.trim().to_owned());
    }
    // The expected token is derived from the cookie; compare what the form sent.
    let sent = form.values.remove("csrf");
    if !super::ct_eq(sent.unwrap_or_default().as_bytes(), csrf.as_bytes()) {
        return Err(WebError(super::csrf_error(), lang));
    }
    // Every trend on both scales, as in the study; each gap gets its own message.
    let mut ratings = Vec::with_capacity(s.spec.trends.len());
    for (i, t) in s.spec.trends.iter().enumerate() {
        let mut pick = |name: String, scale: &str| -> Option<i64> {
            match form.values.get(&name).and_then(|v| v.parse::<i64>().ok()) {
                Some(v) if (1..=6).contains(&v) => Some(v),
                _ => {
                    form.errors.insert(
                        name,
                        format!(
                            "{} {}, {}: {}",
                            t.code,
                            t.title_in(lang),
                            scale.to_lowercase(),
                            lang.t("fs_missing_rating")
                        ),
                    );
                    None
                }
            }
        };
        let imp = pick(format!("imp_{i}"), lang.t("fs_importance"));
        let prep = pick(format!("prep_{i}"), lang.t("fs_preparedness"));
        if let (Some(importance), Some(preparedness)) = (imp, prep) {
            ratings.push(RatingInput {
                trend: t.code.clone(),
                importance,
                preparedness,
            });
        }
    }
    let role = form.values.get("role").filter(|r| !r.is_empty()).cloned();
    let experience_years = match form.values.get("experience_years").map(String::as_str) {
        None | Some("") => None,
        Some(v) => match v.parse::<i64>() {
            Ok(y) if (0..=70).contains(&y) => Some(y),
            _ => {
                form.errors.insert(
                    "experience_years".into(),
                    lang.t("fs_bad_experience").into(),
                );
                None
            }
        },
    };
    if form.errors.is_empty() {
        let input = BallotInput {
            participant: ParticipantInput {
                role,
                experience_years,
            },
            ratings,
        };
        match fs::validate_ballot(&s, &input) {
            Ok(ballot) => {
                fs::give_ballot(&state.foresight, state.store.as_ref(), &s, &hash, &ballot)
                    .await
                    .map_err(|e| WebError(e.into(), lang))?;
                return Ok(
                    Redirect::to(&format!("/f/{}/ballot?saved=1", s.row.join_code)).into_response(),
                );
            }
            Err(e) => {
                let e = ApiError::from(e);
                let field = match e.pointer.as_deref() {
                    Some("/participant/role") => "role",
                    Some("/participant/experience_years") => "experience_years",
                    _ => "form",
                };
                form.errors.insert(field.into(), e.detail);
            }
        }
    }
    let ctx = ballot_ctx(&state, lang, &s, &form, false, &csrf);
    let mut res = render(&state, lang, "foresight_ballot.html", ctx)?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

#[derive(Deserialize)]
pub struct KeyQuery {
    pub key: Option<String>,
}

fn team_path(id: &str) -> String {
    format!("/foresight/sessions/{id}")
}

async fn team_session(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    lang: Lang,
) -> Result<Loaded, WebError> {
    let s = fs::load(state.store.as_ref(), id)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    require_team(state, headers, &s.row)
        .await
        .map_err(|e| WebError(e, lang))?;
    Ok(s)
}

/// The presenter screen. `?key=fk_…` (the link from `session create`) sets
/// the team cookie and redirects, so the key does not stay in the address bar.
pub async fn present(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(q): Query<KeyQuery>,
) -> WebResult {
    if let Some(key) = q.key {
        let s = fs::load(state.store.as_ref(), &id)
            .await
            .map_err(|e| WebError(e.into(), lang))?;
        if !super::ct_eq(&token_hash(&key), &s.row.team_key_hash) {
            return Err(WebError(ApiError::forbidden(lang.t("fs_wrong_key")), lang));
        }
        let cookie = Cookie::build((TEAM_COOKIE, key))
            .path(team_path(&id))
            .http_only(true)
            .secure(state.config.secure_cookies())
            .same_site(SameSite::Strict)
            .max_age(cookie::time::Duration::days(30))
            .build();
        return Ok((
            jar.add(cookie),
            Redirect::to(&format!("{}/present", team_path(&id))),
        )
            .into_response());
    }
    let s = team_session(&state, &headers, &id, lang).await?;
    let status = status_of(&state, &s).await.map_err(|e| WebError(e, lang))?;
    let join_url = super::join_url(&state, &s.row.join_code);
    let analysis = if s.row.results_visible() {
        let r = page_results(&state, &s, lang).await?;
        Some(analysis_ctx(lang, &s, &r))
    } else {
        None
    };
    let path = format!("{}/present", team_path(&id));
    let ctx = page(
        lang,
        &s.row.title.clone(),
        &path,
        None,
        context! {
            id => s.row.id.clone(),
            session_title => s.row.title.clone(),
            code => s.row.join_code.clone(),
            join_url => join_url.clone(),
            join_host => join_url.split("/f/").next().unwrap_or_default().trim_start_matches("https://").trim_start_matches("http://").to_owned(),
            qr => super::qr_data_url(&join_url),
            open => status.open,
            joined => status.joined,
            voted => status.voted,
            analysis,
            revealed => revealed_ctx(lang, &s),
            can_reveal => status.open && s.row.revealed_at.is_none() && status.voted >= REVEAL_MIN_BALLOTS,
            fs_csrf => jar.get(TEAM_COOKIE).map(|c| form_token(state.config.secret.expose_secret(), "close", c.value())),
            fs_reveal_csrf => jar.get(TEAM_COOKIE).map(|c| form_token(state.config.secret.expose_secret(), "reveal", c.value())),
        },
    );
    let mut res = render(&state, lang, "foresight_present.html", ctx)?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn live(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let s = fs::load(state.store.as_ref(), &id).await?;
    require_team(&state, &headers, &s.row).await?;
    let status = status_of(&state, &s).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(status)).into_response())
}

pub async fn close_post(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    let s = team_session(&state, &headers, &id, lang).await?;
    check_form_token(
        &state,
        "close",
        jar.get(TEAM_COOKIE).map(|c| c.value()),
        f.csrf.as_deref(),
    )
    .map_err(|e| WebError(e, lang))?;
    fs::close(state.store.as_ref(), &s.row.id)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    Ok(Redirect::to(&format!("{}/present", team_path(&id))).into_response())
}

/// The presenter's reveal: an explicit form post with its own CSRF token,
/// refused under [`REVEAL_MIN_BALLOTS`], recorded with who and when.
pub async fn reveal_post(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    let s = fs::load(state.store.as_ref(), &id)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let who = team_actor(&state, &headers, &s.row)
        .await
        .map_err(|e| WebError(e, lang))?;
    check_form_token(
        &state,
        "reveal",
        jar.get(TEAM_COOKIE).map(|c| c.value()),
        f.csrf.as_deref(),
    )
    .map_err(|e| WebError(e, lang))?;
    fs::reveal(state.store.as_ref(), &s, &who)
        .await
        .map_err(|e| match e {
            fs::Error::TooFewBallots => WebError(too_few_error(lang.t("fs_reveal_too_few")), lang),
            e => WebError(e.into(), lang),
        })?;
    Ok(Redirect::to(&format!("{}/present", team_path(&id))).into_response())
}

/// A session's results for a web page; a withheld session is refused in the page's language.
async fn page_results(
    state: &AppState,
    s: &Loaded,
    lang: Lang,
) -> Result<std::sync::Arc<Results>, WebError> {
    state
        .foresight
        .get(state.store.as_ref(), s)
        .await
        .map_err(|e| match e {
            fs::Error::Withheld => WebError(withheld_error(lang.t("fs_results_withheld")), lang),
            e => WebError(e.into(), lang),
        })
}

/// The session's record of a reveal, in words: when, and by whom.
fn revealed_ctx(lang: Lang, s: &Loaded) -> Option<Value> {
    let at = s.row.revealed_at?;
    let by = match s.row.revealed_by.as_deref() {
        Some(b) if b.starts_with("agency ") => format!(
            "{} {}",
            lang.t("fs_revealed_by_agency"),
            b.trim_start_matches("agency ")
        ),
        _ => lang.t("fs_revealed_by_team").to_owned(),
    };
    let when = format!("{} {}", lang.date(at.date_naive()), at.format("%H:%M UTC"));
    Some(context! { lead => lang.t("fs_revealed"), when, by })
}

fn num(v: Option<f64>, lang: Lang) -> String {
    v.map(|v| format_number(v, lang))
        .unwrap_or_else(|| "–".into())
}

fn segment_rows(lang: Lang, segs: &[Segment], label: &dyn Fn(&str) -> String) -> Vec<Value> {
    segs.iter()
        .map(|seg| {
            let name = seg.key().map(label).unwrap_or_else(|| lang.t("fs_not_said").to_owned());
            match seg {
                Segment::Shown { ballots, trends, themes, .. } => {
                    let top: Vec<Value> = trends
                        .iter()
                        .filter(|t| t.gap.is_some())
                        .take(3)
                        .map(|t| context! { code => t.code.clone(), title => t.title.clone(), gap => num(t.gap, lang) })
                        .collect();
                    let themes: Vec<Value> = themes
                        .iter()
                        .map(|t| context! { theme => t.theme.clone(), mean_gap => num(t.mean_gap, lang) })
                        .collect();
                    let blind: Vec<String> = trends.iter().filter(|t| t.in_blind_spot).map(|t| t.code.clone()).collect();
                    context! { name, shown => true, ballots => *ballots, top, themes, blind }
                }
                Segment::Hidden => context! { name => lang.t("fs_hidden_groups"), shown => false },
            }
        })
        .collect()
}

/// Everything the presenter screen (after closing) and the report show.
fn analysis_ctx(lang: Lang, s: &Loaded, r: &Results) -> Value {
    let th = &s.spec.thresholds;
    let matrix = blind_spot_matrix_svg(
        r,
        th,
        &ChartOptions {
            lang,
            id_prefix: "matrix".into(),
        },
    );
    let bars = gap_bar_chart_svg(
        r,
        &ChartOptions {
            lang,
            id_prefix: "gaps".into(),
        },
    );
    let trends: Vec<Value> = r
        .trends
        .iter()
        .enumerate()
        .map(|(i, t)| {
            context! {
                rank => i + 1,
                code => t.code.clone(),
                title => t.title.clone(),
                theme => t.theme.clone(),
                n => t.n,
                importance => num(t.importance_mean, lang),
                preparedness => num(t.preparedness_mean, lang),
                gap => num(t.gap, lang),
                in_blind_spot => t.in_blind_spot,
            }
        })
        .collect();
    let blind: Vec<Value> = r
        .trends
        .iter()
        .filter(|t| t.in_blind_spot)
        .map(|t| context! { code => t.code.clone(), title => t.title.clone(), importance => num(t.importance_mean, lang), preparedness => num(t.preparedness_mean, lang), gap => num(t.gap, lang) })
        .collect();
    let themes: Vec<Value> = r
        .themes
        .iter()
        .map(|t| context! { theme => t.theme.clone(), mean_gap => num(t.mean_gap, lang) })
        .collect();
    let widest = r
        .themes
        .iter()
        .filter_map(|t| t.mean_gap.map(|g| (t.theme.clone(), g)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(theme, g)| context! { theme, mean_gap => num(Some(g), lang) });
    let largest = r.trends.first().filter(|t| t.gap.is_some()).map(
        |t| context! { code => t.code.clone(), title => t.title.clone(), gap => num(t.gap, lang) },
    );
    let by_role = segment_rows(lang, &r.segments.by_role, &|k| role_label(k, lang));
    let by_experience = segment_rows(lang, &r.segments.by_experience, &|k| {
        lang.msg("fs-years").text("years", k.to_owned()).to_string()
    });
    context! {
        ballots => r.ballots,
        matrix,
        bars,
        trends,
        blind,
        themes,
        widest,
        largest,
        by_role,
        by_experience,
        threshold_importance => format_number(th.importance(), lang),
        threshold_preparedness => format_number(th.preparedness(), lang),
        imp_labels => scale_labels(Scale::Importance, lang).to_vec(),
        prep_labels => scale_labels(Scale::Preparedness, lang).to_vec(),
    }
}

#[derive(Deserialize)]
pub struct ReportQuery {
    pub download: Option<String>,
}

const REPORT_CSS: &str = include_str!("../../assets/foresight-report.css");

/// The self-contained report: inline CSS and SVG, no scripts, readable
/// offline once saved. Its CSP allows exactly its one inline style block (by hash).
pub async fn report(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> WebResult {
    let s = team_session(&state, &headers, &id, lang).await?;
    let r = page_results(&state, &s, lang).await?;
    let html = render_report(&state, lang, &s, &r).map_err(|e| WebError(e, lang))?;
    let mut res = html.into_response();
    let csp = format!(
        "default-src 'none'; img-src 'self' data:; style-src 'sha256-{}'; frame-ancestors 'none'; form-action 'none'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(REPORT_CSS.as_bytes()))
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if q.download.is_some() {
        res.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"foresight-report.html\""),
        );
    }
    Ok(res)
}

/// The report as HTML (also used by `samlet foresight report`).
pub fn render_report(
    state: &AppState,
    lang: Lang,
    s: &Loaded,
    r: &Results,
) -> Result<Html<String>, ApiError> {
    render_report_with(&state.templates, lang, s, r)
}

pub fn render_report_with(
    templates: &crate::web::Templates,
    lang: Lang,
    s: &Loaded,
    r: &Results,
) -> Result<Html<String>, ApiError> {
    let fmt_date = |d: chrono::DateTime<chrono::Utc>| lang.date(d.date_naive());
    let ctx = context! {
        lang => lang.code(),
        tr => Value::from_object(crate::i18n::Messages(lang)),
        style => REPORT_CSS,
        id => s.row.id.clone(),
        title => s.row.title.clone(),
        created => fmt_date(s.row.created_at),
        closed => s.row.closed_at.map(fmt_date),
        revealed => revealed_ctx(lang, s),
        trend_count => s.spec.trends.len(),
        theme_count => r.themes.len(),
        asks_role => s.spec.questions.role.is_some(),
        asks_experience => s.spec.questions.experience_years,
        a => analysis_ctx(lang, s, r),
    };
    templates.render("foresight_report.html", ctx)
}

/// The report as a PDF (see [`samlet_app::foresight::report`]).
pub async fn report_pdf(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> WebResult {
    let s = team_session(&state, &headers, &id, lang).await?;
    let r = page_results(&state, &s, lang).await?;
    let bytes =
        fs::report::report_pdf(lang, &s, &r).map_err(|e| WebError(ApiError::internal(e), lang))?;
    Ok(super::pdf_response(bytes))
}

async fn team_results(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Loaded, std::sync::Arc<Results>), ApiError> {
    let s = fs::load(state.store.as_ref(), id).await?;
    require_team(state, headers, &s.row).await?;
    let r = state.foresight.get(state.store.as_ref(), &s).await?;
    Ok((s, r))
}

pub async fn results_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (_, r) = team_results(&state, &headers, &id).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"foresight-results.json\"",
        )],
        Json((*r).clone()),
    )
        .into_response())
}

fn csv(body: String, name: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response()
}

pub async fn trends_csv_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (_, r) = team_results(&state, &headers, &id).await?;
    Ok(csv(
        trends_csv(&r),
        "attachment; filename=\"foresight-trends.csv\"",
    ))
}

pub async fn themes_csv_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (_, r) = team_results(&state, &headers, &id).await?;
    Ok(csv(
        themes_csv(&r),
        "attachment; filename=\"foresight-themes.csv\"",
    ))
}
