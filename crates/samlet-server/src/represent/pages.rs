//! Web pages: give, see and revoke mandates (`/me/mandates`); "acting for"
//! (`/me/acting-for`, `/me/acting-for/{pid}`); consents (`/me/consents`).
//! Server-rendered, no JavaScript needed, every form carries the CSRF token.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use minijinja::{context, Value};
use samlet_domain::Pid;
use samlet_store::ConsentAnswer;
use serde::Deserialize;

use super::api::{self, NewMandate, RepresentedQuery, When};
use crate::auth::{check_csrf, Citizen, MaybeCitizen};
use crate::i18n::Lang;
use crate::i18n::PageLang;
use crate::problem::ApiError;
use crate::web::{page, to_login, WebError};
use crate::AppState;

type WebResult = Result<Response, WebError>;

fn render(
    state: &AppState,
    lang: Lang,
    template: &str,
    title_key: &str,
    path: &str,
    c: &Citizen,
    extra: Value,
) -> WebResult {
    let ctx = page(lang, lang.t(title_key), path, Some(c), extra);
    Ok(state
        .templates
        .render(template, ctx)
        .map_err(|e| WebError(e, lang))?
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    pub flash: Option<String>,
}

fn flash_text(lang: Lang, flash: Option<&str>) -> Option<&'static str> {
    match flash {
        Some("given") => Some(lang.t("rep_flash_given")),
        Some("revoked") => Some(lang.t("rep_flash_revoked")),
        Some("approved") => Some(lang.t("consent_flash_approved")),
        Some("declined") => Some(lang.t("consent_flash_declined")),
        Some("consent-revoked") => Some(lang.t("consent_flash_revoked")),
        _ => None,
    }
}

async fn mandates_view(
    state: &AppState,
    lang: Lang,
    c: &Citizen,
    flash: Option<&str>,
    error: Option<String>,
) -> WebResult {
    let mine = api::my_mandates(state, c)
        .await
        .map_err(|e| WebError(e, lang))?;
    render(
        state,
        lang,
        "mandates.html",
        "rep_mandates_title",
        "/me/mandates",
        c,
        context! {
            given => Value::from_serialize(&mine.given),
            received => Value::from_serialize(&mine.received),
            areas => samlet_access::AREAS.to_vec(),
            flash => flash_text(lang, flash),
            error,
        },
    )
}

/// `GET /me/mandates`: give a mandate; see what I have given and received.
pub async fn mandates_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    Query(q): Query<FlashQuery>,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login("/me/mandates"));
    };
    mandates_view(&state, lang, &c, q.flash.as_deref(), None).await
}

/// `POST /me/mandates`: the give form. Repeated fields (`scope`, `action`)
/// arrive as pairs, so the form is read as a list.
pub async fn give_mandate_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    check_csrf(&c, &get("csrf").unwrap_or_default()).map_err(|e| WebError(e, lang))?;
    let mut scopes: Vec<String> = pairs
        .iter()
        .filter(|(n, _)| n == "scope")
        .map(|(_, v)| v.clone())
        .collect();
    if let Some(s) = get("service").filter(|s| !s.is_empty()) {
        scopes.push(s);
    }
    let actions = pairs
        .iter()
        .filter(|(n, _)| n == "action")
        .map(|(_, v)| v.clone())
        .collect();
    let valid_to = match get("valid_to").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
            Ok(d) => Some(When::Day(d)),
            Err(_) => {
                let msg = lang.t("rep_bad_date").to_owned();
                return mandates_view(&state, lang, &c, None, Some(msg)).await;
            }
        },
    };
    let body = NewMandate {
        to_pid: get("to_pid").unwrap_or_default(),
        to_surname: get("to_surname").unwrap_or_default(),
        scopes,
        actions,
        valid_from: None,
        valid_to,
    };
    match api::give_mandate(&state, &c, &body).await {
        Ok(_) => Ok(Redirect::to("/me/mandates?flash=given").into_response()),
        // Refusals and bad fields are shown on the page, next to the form.
        Err(e) if e.status == axum::http::StatusCode::TOO_MANY_REQUESTS => Err(WebError(e, lang)),
        Err(e) if e.status.is_client_error() => {
            let msg = if e.slug == api::UNKNOWN_PERSON {
                lang.t("rep_unknown_person").to_owned()
            } else {
                e.detail_in(lang)
            };
            mandates_view(&state, lang, &c, None, Some(msg)).await
        }
        Err(e) => Err(WebError(e, lang)),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    pub csrf: String,
}

/// `POST /me/mandates/{id}/revoke`.
pub async fn revoke_mandate_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    check_csrf(&c, &f.csrf).map_err(|e| WebError(e, lang))?;
    api::end_mandate(&state, &c, &id)
        .await
        .map_err(|e| WebError(e, lang))?;
    Ok(Redirect::to("/me/mandates?flash=revoked").into_response())
}

/// `GET /me/acting-for`: the people I act for, searchable and paged.
pub async fn acting_for_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<RepresentedQuery>,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login("/me/acting-for"));
    };
    let data = api::represented_page(&state, &c, &q)
        .await
        .map_err(|e| WebError(e, lang))?;
    let qs = |page: u32| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if let Some(q) = q.q.as_deref().filter(|v| !v.is_empty()) {
            s.append_pair("q", q);
        }
        s.append_pair("page", &page.to_string());
        s.finish()
    };
    let prev_query = (data.page > 1).then(|| qs(data.page - 1));
    let next_query = data.next_page.map(qs);
    // Links carry opaque handles, never the person's number.
    let handles: Vec<String> = data
        .people
        .iter()
        .map(|p| state.handles.make(c.pid.as_str(), &p.pid))
        .collect();
    render(
        &state,
        lang,
        "acting_for.html",
        "rep_acting_title",
        "/me/acting-for",
        &c,
        context! {
            people => Value::from_serialize(&data.people),
            handles,
            q => q.q.clone().unwrap_or_default(),
            prev_query, next_query,
        },
    )
}

/// The person behind an acting-for handle, when this viewer made it.
pub fn open_handle(state: &AppState, c: &Citizen, handle: &str) -> Option<Pid> {
    state
        .handles
        .open(c.pid.as_str(), handle)
        .and_then(|p| Pid::parse(&p, state.config.pid_policy).ok())
}

/// A handle that does not open: an old address with an identity number
/// redirects to the list (the redirect carries no number); anything else is 404.
pub fn handle_not_opened(handle: &str, lang: Lang) -> Response {
    if samlet_app::represent::log_forms::is_person_number(handle) {
        Redirect::to("/me/acting-for").into_response()
    } else {
        WebError(ApiError::not_found(lang.t("rep_no_such_handle")), lang).into_response()
    }
}

/// `GET /me/acting-for/{handle}`: the person's overview within scope, under a
/// banner that says whose it is, with what the representative may do for
/// them (open a message, answer a consent request) when a basis allows
/// acting. Logged for the person to see.
pub async fn represented_page(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeCitizen(c): MaybeCitizen,
    Path(handle): Path<String>,
    Query(q): Query<FlashQuery>,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login("/me/acting-for"));
    };
    let err = |e| WebError(e, lang);
    let Some(subject) = open_handle(&state, &c, &handle) else {
        return Ok(handle_not_opened(&handle, lang));
    };
    let (granted, o, act) = super::represented_view(&state, &headers, &c.pid, &subject, true)
        .await
        .map_err(err)?;
    let name = display_name(&state, &subject).await.map_err(err)?;
    let kinds: Vec<&str> = granted.kinds.iter().map(|k| k.as_str()).collect();
    let flash = match q.flash.as_deref() {
        Some("approved") => Some(lang.t("rep_act_flash_approved")),
        Some("declined") => Some(lang.t("rep_act_flash_declined")),
        _ => None,
    };
    render(
        &state,
        lang,
        "represented.html",
        "rep_acting_title",
        "/me/acting-for",
        &c,
        context! {
            name, handle, flash,
            kinds, scopes => granted.scopes.labels(),
            o => Value::from_serialize(&o),
            can_act => act.is_some(),
            act_orgs => act.as_ref().map(|a| a.orgs.clone()).unwrap_or_default(),
            act_scopes => act.as_ref().map(|a| a.granted.scopes.labels()).unwrap_or_default(),
            consent_requests => Value::from_serialize(act.as_ref().map(|a| {
                let now = chrono::Utc::now();
                a.consent_requests.iter().map(|c| api::consent_view(c, now)).collect::<Vec<_>>()
            })),
        },
    )
}

/// The represented person's name, or their masked number.
async fn display_name(state: &AppState, subject: &Pid) -> Result<String, ApiError> {
    Ok(state
        .store
        .person_name(subject.as_str())
        .await?
        .unwrap_or_else(|| samlet_app::represent::log_forms::masked(subject.as_str())))
}

/// `POST /me/acting-for/{handle}/messages/{org}/{message_id}/open`: open a
/// message for the person (marks it read, as if they opened it) and show it.
pub async fn open_message_form(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    c: Citizen,
    Path((handle, org, message_id)): Path<(String, String, String)>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    let err = |e| WebError(e, lang);
    check_csrf(&c, &f.csrf).map_err(err)?;
    let Some(subject) = open_handle(&state, &c, &handle) else {
        return Ok(handle_not_opened(&handle, lang));
    };
    let m = super::act::open_message(&state, &headers, &c.pid, &subject, &org, &message_id)
        .await
        .map_err(err)?;
    let name = display_name(&state, &subject).await.map_err(err)?;
    render(
        &state,
        lang,
        "represented_message.html",
        "rep_acting_title",
        "/me/acting-for",
        &c,
        context! { name, handle, m => Value::from_serialize(&m) },
    )
}

/// `POST /me/acting-for/{handle}/consents/{id}/approve|decline`: answer a
/// consent request for the person.
pub async fn answer_consent_form(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    headers: HeaderMap,
    c: Citizen,
    Path((handle, id, answer)): Path<(String, String, String)>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    let err = |e| WebError(e, lang);
    check_csrf(&c, &f.csrf).map_err(err)?;
    let Some(subject) = open_handle(&state, &c, &handle) else {
        return Ok(handle_not_opened(&handle, lang));
    };
    let (answer, flash) = match answer.as_str() {
        "approve" => (ConsentAnswer::Approve, "approved"),
        "decline" => (ConsentAnswer::Decline, "declined"),
        _ => return Err(err(ApiError::not_found("No such action."))),
    };
    super::act::answer_consent(&state, &headers, &c.pid, &subject, &id, answer)
        .await
        .map_err(err)?;
    Ok(
        crate::auth::local_redirect(&format!("/me/acting-for/{handle}?flash={flash}"))
            .into_response(),
    )
}

/// `GET /me/consents`: requests to answer, consents to revoke, history.
pub async fn consents_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    Query(q): Query<FlashQuery>,
) -> WebResult {
    let Some(c) = c else {
        return Ok(to_login("/me/consents"));
    };
    let all = api::my_consents(&state, &c)
        .await
        .map_err(|e| WebError(e, lang))?;
    let (pending, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|x| x.state == "pending");
    let (active, history): (Vec<_>, Vec<_>) = rest.into_iter().partition(|x| x.state == "approved");
    render(
        &state,
        lang,
        "consents.html",
        "consent_title",
        "/me/consents",
        &c,
        context! {
            pending => Value::from_serialize(&pending),
            active => Value::from_serialize(&active),
            history => Value::from_serialize(&history),
            flash => flash_text(lang, q.flash.as_deref()),
        },
    )
}

/// `POST /me/consents/{id}/approve|decline|revoke`.
pub async fn consent_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<CsrfOnly>,
) -> WebResult {
    let err = |e| WebError(e, lang);
    check_csrf(&c, &f.csrf).map_err(err)?;
    let flash = match action.as_str() {
        "approve" => {
            api::answer(&state, &c, &id, ConsentAnswer::Approve)
                .await
                .map_err(err)?;
            "approved"
        }
        "decline" => {
            api::answer(&state, &c, &id, ConsentAnswer::Decline)
                .await
                .map_err(err)?;
            "declined"
        }
        "revoke" => {
            api::revoke(&state, &c, &id).await.map_err(err)?;
            "consent-revoked"
        }
        _ => return Err(err(ApiError::not_found("No such action."))),
    };
    Ok(Redirect::to(&format!("/me/consents?flash={flash}")).into_response())
}
