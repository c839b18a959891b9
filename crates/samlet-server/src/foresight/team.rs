//! The strategy team's library (`samlet_app::foresight::library`): add,
//! edit, retire and reinstate driving forces, themes and trends, and create
//! sessions from chosen trends — as a JSON API (agency token with
//! `samlet:foresight`) and as web pages under `/foresight/team`.
//!
//! Web sign-in: the team pastes an agency token with the scope once; it is
//! kept in an HttpOnly, SameSite=Strict cookie limited to `/foresight/team`
//! and checked against the store (expiry, scope) on every request. Every
//! form carries a CSRF token derived from that cookie.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use minijinja::{context, Value};
use samlet_foresight::{Category, DrivingForce, LibraryEdit, LocalizedText, Theme, Trend};
use secrecy::ExposeSecret;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use samlet_app::foresight::library::seeded;
use samlet_app::foresight::{self as fs, effective_library, reset_edit, save_edit};

use super::{bearer, check_form_token, form_token, require_agency_scope, FORM_COOKIE};
use crate::extract::json_body;
use crate::i18n::Lang;
use crate::i18n::PageLang;
use crate::problem::{ApiError, ApiResult};
use crate::web::{page, WebError};
use crate::AppState;

/// The team's signed-in agency token on the web pages (path `/foresight/team`).
pub const LIBRARY_COOKIE: &str = "samlet_fteam";
const TEAM_BASE: &str = "/foresight/team";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_force, delete_force))
        .routes(routes!(put_theme, delete_theme))
        .routes(routes!(put_trend, delete_trend))
        .route("/foresight/team", get(team_page))
        .route("/foresight/team/login", post(login))
        .route("/foresight/team/logout", post(logout))
        .route("/foresight/team/sessions", post(create_session_form))
        .route("/foresight/team/{kind}/new", get(new_item_page))
        .route("/foresight/team/{kind}/{code}", get(edit_item_page))
        .route("/foresight/team/{kind}", post(save_item))
        .route("/foresight/team/{kind}/{code}/{action}", post(item_action))
}

async fn require_library_team(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError::unauthorized("Send an agency access token with the samlet:foresight scope.")
    })?;
    require_agency_scope(state, token).await
}

fn path_matches(path_code: &str, body_code: &str) -> ApiResult<()> {
    if path_code == body_code {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "/code",
            format!("The body's code {body_code:?} differs from the address's {path_code:?}."),
        ))
    }
}

/// Add or change a driving force.
///
/// Add or replace a driving force; `"retired": true` retires it.
#[utoipa::path(put, path = "/api/v1/foresight/library/driving-forces/{code}", tag = "foresight",
    params(("code" = String, Path, description = "Category prefix and number, e.g. P4")),
    request_body(content = super::schema::DrivingForceSchema, description = "The driving force; its code is the one in the address", content_type = "application/json"),
    security(("agency_token" = [])),
    responses((status = 200, description = "Stored; the item as now in the library", body = super::schema::DrivingForceSchema), (status = 401, body = crate::problem::Problem), (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn put_force(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> ApiResult<Json<DrivingForce>> {
    require_library_team(&state, &headers).await?;
    let f: DrivingForce = json_body(req).await?;
    path_matches(&code, &f.code)?;
    save_edit(state.store.as_ref(), LibraryEdit::DrivingForce(f.clone())).await?;
    Ok(Json(f))
}

/// Add or change a theme.
///
/// Add or replace a theme.
#[utoipa::path(put, path = "/api/v1/foresight/library/themes/{code}", tag = "foresight",
    params(("code" = String, Path)),
    request_body(content = super::schema::ThemeSchema, description = "The theme; its code is the one in the address", content_type = "application/json"),
    security(("agency_token" = [])),
    responses((status = 200, description = "Stored", body = super::schema::ThemeSchema), (status = 401, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn put_theme(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> ApiResult<Json<Theme>> {
    require_library_team(&state, &headers).await?;
    let t: Theme = json_body(req).await?;
    path_matches(&code, &t.code)?;
    save_edit(state.store.as_ref(), LibraryEdit::Theme(t.clone())).await?;
    Ok(Json(t))
}

/// Add or change a trend.
///
/// Add or replace a trend; `"retired": true` retires it (no longer offered
/// for new sessions; sessions that rated it keep their own copy).
#[utoipa::path(put, path = "/api/v1/foresight/library/trends/{code}", tag = "foresight",
    params(("code" = String, Path, description = "e.g. 2.5")),
    request_body(content = super::schema::TrendSchema, description = "The trend; its code is the one in the address", content_type = "application/json"),
    security(("agency_token" = [])),
    responses((status = 200, description = "Stored", body = super::schema::TrendSchema), (status = 401, body = crate::problem::Problem), (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn put_trend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> ApiResult<Json<Trend>> {
    require_library_team(&state, &headers).await?;
    let t: Trend = json_body(req).await?;
    path_matches(&code, &t.code)?;
    save_edit(state.store.as_ref(), LibraryEdit::Trend(t.clone())).await?;
    Ok(Json(t))
}

/// Undo the team's edit of a driving force.
///
/// Remove the team's edit of a driving force (seeded: back to default; added: gone).
#[utoipa::path(delete, path = "/api/v1/foresight/library/driving-forces/{code}", tag = "foresight",
    params(("code" = String, Path)), security(("agency_token" = [])),
    responses((status = 204), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn delete_force(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    require_library_team(&state, &headers).await?;
    reset_edit(state.store.as_ref(), "driving_force", &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo the team's edit of a theme.
///
/// Remove the team's edit of a theme (refused while an added theme has trends).
#[utoipa::path(delete, path = "/api/v1/foresight/library/themes/{code}", tag = "foresight",
    params(("code" = String, Path)), security(("agency_token" = [])),
    responses((status = 204), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem)))]
pub async fn delete_theme(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    require_library_team(&state, &headers).await?;
    reset_edit(state.store.as_ref(), "theme", &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo the team's edit of a trend.
///
/// Remove the team's edit of a trend (seeded: back to default; added: gone).
#[utoipa::path(delete, path = "/api/v1/foresight/library/trends/{code}", tag = "foresight",
    params(("code" = String, Path)), security(("agency_token" = [])),
    responses((status = 204), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn delete_trend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    require_library_team(&state, &headers).await?;
    reset_edit(state.store.as_ref(), "trend", &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- web pages ----

type WebResult = Result<Response, WebError>;

/// The signed-in team's token (from the cookie), checked against the store.
async fn signed_in(state: &AppState, jar: &CookieJar) -> Option<String> {
    let token = jar.get(LIBRARY_COOKIE)?.value().to_owned();
    require_agency_scope(state, &token).await.ok()?;
    Some(token)
}

fn csrf_for(state: &AppState, token: &str) -> String {
    form_token(state.config.secret.expose_secret(), "library", token)
}

/// Signed in and the form's CSRF token matches.
async fn team_form(
    state: &AppState,
    jar: &CookieJar,
    csrf: Option<&str>,
    lang: Lang,
) -> Result<String, WebError> {
    let Some(token) = signed_in(state, jar).await else {
        return Err(WebError(
            ApiError::unauthorized(lang.t("fs_team_sign_in_first")),
            lang,
        ));
    };
    check_form_token(state, "library", Some(&token), csrf).map_err(|e| WebError(e, lang))?;
    Ok(token)
}

fn render(state: &AppState, lang: Lang, name: &str, ctx: Value) -> WebResult {
    Ok(state
        .templates
        .render(name, ctx)
        .map_err(|e| WebError(e, lang))?
        .into_response())
}

fn lines(v: &LocalizedText, lang: Lang) -> &str {
    v.get(lang)
}

fn status_of_item(
    kind: &str,
    code: &str,
    edited: &[(String, String)],
    retired: bool,
) -> &'static str {
    if retired {
        "retired"
    } else if !seeded(kind, code) {
        "added"
    } else if edited.iter().any(|(k, c)| k == kind && c == code) {
        "edited"
    } else {
        "seeded"
    }
}

pub async fn team_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
) -> WebResult {
    let Some(token) = signed_in(&state, &jar).await else {
        let (jar, form_secret) = super::pages::form_cookie(&state, jar);
        let ctx = page(
            lang,
            lang.t("fs_team_title"),
            TEAM_BASE,
            None,
            context! { signed_in => false, fs_csrf => form_token(state.config.secret.expose_secret(), "team-login", &form_secret) },
        );
        return Ok((jar, render(&state, lang, "foresight_team.html", ctx)?).into_response());
    };
    let lib = effective_library(state.store.as_ref())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let edited = fs::library::edited(state.store.as_ref())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let forces: Vec<Value> = lib
        .driving_forces()
        .iter()
        .map(|f| {
            context! {
                code => f.code.clone(),
                title => lines(&f.title, lang),
                category => f.category.name(lang),
                status => status_of_item("driving_force", &f.code, &edited, f.retired),
                retired => f.retired,
            }
        })
        .collect();
    let themes: Vec<Value> = lib
        .themes()
        .iter()
        .map(|th| {
            let trends: Vec<Value> = lib
                .trends_in_theme(&th.code)
                .map(|t| {
                    context! {
                        code => t.code.clone(),
                        title => lines(&t.title, lang),
                        status => status_of_item("trend", &t.code, &edited, t.retired),
                        retired => t.retired,
                    }
                })
                .collect();
            context! { code => th.code.clone(), title => th.title.get(lang), trends }
        })
        .collect();
    let ctx = page(
        lang,
        lang.t("fs_team_title"),
        TEAM_BASE,
        None,
        context! { signed_in => true, fs_csrf => csrf_for(&state, &token), forces, themes },
    );
    let mut res = render(&state, lang, "foresight_team.html", ctx)?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub token: String,
    pub csrf: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> WebResult {
    check_form_token(
        &state,
        "team-login",
        jar.get(FORM_COOKIE).map(|c| c.value()),
        f.csrf.as_deref(),
    )
    .map_err(|e| WebError(e, lang))?;
    let token = f.token.trim().to_owned();
    require_agency_scope(&state, &token)
        .await
        .map_err(|e| WebError(e.at("/token"), lang))?;
    let cookie = Cookie::build((LIBRARY_COOKIE, token))
        .path(TEAM_BASE)
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::hours(8))
        .build();
    Ok((jar.add(cookie), Redirect::to(TEAM_BASE)).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Form(f): Form<CsrfForm>,
) -> WebResult {
    team_form(&state, &jar, f.csrf.as_deref(), lang).await?;
    let gone = Cookie::build((LIBRARY_COOKIE, "")).path(TEAM_BASE).build();
    Ok((jar.remove(gone), Redirect::to(TEAM_BASE)).into_response())
}

/// `driving-forces` or `trends` in the address; the stored kind.
fn kind_of(segment: &str, lang: Lang) -> Result<&'static str, WebError> {
    match segment {
        "driving-forces" => Ok("driving_force"),
        "trends" => Ok("trend"),
        _ => Err(WebError(
            ApiError::not_found(lang.t("fs_team_no_such_item")),
            lang,
        )),
    }
}

/// What the edit form shows: one field per text, key figures one per line.
#[derive(Default, Clone)]
struct ItemForm {
    values: std::collections::BTreeMap<String, String>,
    errors: std::collections::BTreeMap<String, String>,
}

impl ItemForm {
    fn set(&mut self, k: &str, v: impl Into<String>) {
        self.values.insert(k.to_owned(), v.into());
    }

    fn get(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }

    fn of_texts(
        &mut self,
        code: &str,
        title: &LocalizedText,
        description: &LocalizedText,
        figures: &[LocalizedText],
        sources: &[String],
    ) {
        self.set("code", code);
        self.set("title_nb", &title.nb);
        self.set("title_en", &title.en);
        self.set("description_nb", &description.nb);
        self.set("description_en", &description.en);
        let join = |f: &dyn Fn(&LocalizedText) -> &str| {
            figures.iter().map(f).collect::<Vec<_>>().join("\n")
        };
        self.set("key_figures_nb", join(&|t| &t.nb));
        self.set("key_figures_en", join(&|t| &t.en));
        self.set("sources", sources.join("\n"));
    }
}

fn split_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Field names in the form for a pointer into the item.
fn field_of(pointer: &str) -> &'static str {
    let p = pointer.trim_start_matches('/');
    match p.split('/').collect::<Vec<_>>().as_slice() {
        ["title", "en", ..] => "title_en",
        ["title", ..] => "title_nb",
        ["description", "en", ..] => "description_en",
        ["description", ..] => "description_nb",
        ["key_figures", _, "en", ..] => "key_figures_en",
        ["key_figures", ..] => "key_figures_nb",
        ["sources", ..] => "sources",
        ["theme", ..] => "theme",
        ["category", ..] => "category",
        _ => "code",
    }
}

const CATEGORIES: [Category; 6] = [
    Category::Political,
    Category::Economic,
    Category::Social,
    Category::Technological,
    Category::Environmental,
    Category::Legal,
];

fn category_key(c: Category) -> &'static str {
    match c {
        Category::Political => "political",
        Category::Economic => "economic",
        Category::Social => "social",
        Category::Technological => "technological",
        Category::Environmental => "environmental",
        Category::Legal => "legal",
    }
}

async fn item_page(
    state: &AppState,
    lang: Lang,
    token: &str,
    kind: &'static str,
    existing: bool,
    form: &ItemForm,
) -> WebResult {
    let lib = effective_library(state.store.as_ref())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let segment = if kind == "trend" {
        "trends"
    } else {
        "driving-forces"
    };
    let categories: Vec<Value> = CATEGORIES
        .iter()
        .map(|c| context! { key => category_key(*c), name => c.name(lang) })
        .collect();
    let themes: Vec<Value> = lib
        .themes()
        .iter()
        .map(|t| context! { key => t.code.clone(), name => format!("{}. {}", t.code, t.title.get(lang)) })
        .collect();
    let errors: Vec<Value> = form
        .errors
        .iter()
        .map(|(field, msg)| context! { field => field.clone(), msg => msg.clone() })
        .collect();
    let title = if existing {
        format!("{} {}", lang.t("fs_team_edit"), form.get("code"))
    } else if kind == "trend" {
        lang.t("fs_team_new_trend").to_owned()
    } else {
        lang.t("fs_team_new_force").to_owned()
    };
    let ctx = page(
        lang,
        &title,
        TEAM_BASE,
        None,
        context! {
            heading => title.clone(),
            kind,
            segment,
            existing,
            v => Value::from_serialize(&form.values),
            field_errors => Value::from_serialize(&form.errors),
            errors,
            categories,
            themes,
            fs_csrf => csrf_for(state, token),
        },
    );
    let mut res = render(state, lang, "foresight_team_item.html", ctx)?;
    if !form.errors.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub async fn new_item_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Path(segment): Path<String>,
) -> WebResult {
    let kind = kind_of(&segment, lang)?;
    let Some(token) = signed_in(&state, &jar).await else {
        return Ok(Redirect::to(TEAM_BASE).into_response());
    };
    item_page(&state, lang, &token, kind, false, &ItemForm::default()).await
}

pub async fn edit_item_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Path((segment, code)): Path<(String, String)>,
) -> WebResult {
    let kind = kind_of(&segment, lang)?;
    let Some(token) = signed_in(&state, &jar).await else {
        return Ok(Redirect::to(TEAM_BASE).into_response());
    };
    let lib = effective_library(state.store.as_ref())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let mut form = ItemForm::default();
    let not_found = || WebError(ApiError::not_found(lang.t("fs_team_no_such_item")), lang);
    if kind == "trend" {
        let t = lib.trend(&code).ok_or_else(not_found)?;
        form.of_texts(
            &t.code,
            &t.title,
            &t.description,
            &t.key_figures,
            &t.sources,
        );
        form.set("theme", &t.theme);
    } else {
        let f = lib.driving_force(&code).ok_or_else(not_found)?;
        form.of_texts(
            &f.code,
            &f.title,
            &f.description,
            &f.key_figures,
            &f.sources,
        );
        form.set("category", category_key(f.category));
    }
    item_page(&state, lang, &token, kind, true, &form).await
}

/// Save the edit form (new or changed item). Fields the form does not show
/// (a force's tagline, a trend's study scores, retired) are kept.
pub async fn save_item(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Path(segment): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult {
    let kind = kind_of(&segment, lang)?;
    let mut form = ItemForm::default();
    for (k, v) in fields {
        form.values
            .insert(k, v.replace("\r\n", "\n").trim().to_owned());
    }
    let token = team_form(
        &state,
        &jar,
        form.values.get("csrf").map(String::as_str),
        lang,
    )
    .await?;
    let existing = form.get("existing") == "1";
    let lib = effective_library(state.store.as_ref())
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let code = form.get("code");
    let loc = |nb: &str, en: &str| LocalizedText::new(form.get(nb), form.get(en));
    let (title, description) = (
        loc("title_nb", "title_en"),
        loc("description_nb", "description_en"),
    );
    let (nb_figs, en_figs) = (
        split_lines(&form.get("key_figures_nb")),
        split_lines(&form.get("key_figures_en")),
    );
    if nb_figs.len() != en_figs.len() {
        form.errors.insert(
            "key_figures_en".into(),
            lang.t("fs_team_figures_pair").into(),
        );
    }
    let figures: Vec<LocalizedText> = nb_figs
        .into_iter()
        .zip(en_figs)
        .map(|(nb, en)| LocalizedText::new(nb, en))
        .collect();
    let sources = split_lines(&form.get("sources"));
    let taken = if kind == "trend" {
        lib.trend(&code).is_some()
    } else {
        lib.driving_force(&code).is_some()
    };
    if !existing && taken {
        form.errors
            .insert("code".into(), lang.t("fs_team_code_taken").into());
    }
    let edit = if kind == "trend" {
        let old = lib.trend(&code);
        LibraryEdit::Trend(Trend {
            code: code.clone(),
            theme: form.get("theme"),
            title,
            description,
            key_figures: figures,
            sources,
            reference_scores: old.and_then(|t| t.reference_scores),
            retired: old.is_some_and(|t| t.retired),
        })
    } else {
        let old = lib.driving_force(&code);
        let category = CATEGORIES
            .iter()
            .copied()
            .find(|c| category_key(*c) == form.get("category"));
        let Some(category) = category else {
            form.errors
                .insert("category".into(), lang.t("fs_team_pick_category").into());
            return item_page(&state, lang, &token, kind, existing, &form).await;
        };
        LibraryEdit::DrivingForce(DrivingForce {
            code: code.clone(),
            category,
            title,
            tagline_nb: old.map(|f| f.tagline_nb.clone()).unwrap_or_default(),
            description,
            key_figures: figures,
            sources,
            retired: old.is_some_and(|f| f.retired),
        })
    };
    if form.errors.is_empty() {
        match save_edit(state.store.as_ref(), edit).await {
            Ok(()) => {
                return Ok(crate::auth::local_redirect(&format!(
                    "{TEAM_BASE}?saved={code}#item-{code}"
                ))
                .into_response())
            }
            Err(e) => {
                let e = ApiError::from(e);
                let field = field_of(e.pointer.as_deref().unwrap_or(""));
                form.errors.insert(field.into(), e.detail);
            }
        }
    }
    item_page(&state, lang, &token, kind, existing, &form).await
}

/// Retire, reinstate or reset (restore the seeded default / delete an added item).
pub async fn item_action(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Path((segment, code, action)): Path<(String, String, String)>,
    Form(f): Form<CsrfForm>,
) -> WebResult {
    let kind = kind_of(&segment, lang)?;
    team_form(&state, &jar, f.csrf.as_deref(), lang).await?;
    let store = state.store.as_ref();
    let lib = effective_library(store)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let not_found = || WebError(ApiError::not_found(lang.t("fs_team_no_such_item")), lang);
    let retire = match action.as_str() {
        "retire" => true,
        "reinstate" => false,
        "reset" => {
            reset_edit(store, kind, &code)
                .await
                .map_err(|e| WebError(e.into(), lang))?;
            return Ok(
                crate::auth::local_redirect(&format!("{TEAM_BASE}#item-{code}")).into_response(),
            );
        }
        _ => return Err(not_found()),
    };
    let edit = if kind == "trend" {
        let mut t = lib.trend(&code).cloned().ok_or_else(not_found)?;
        t.retired = retire;
        LibraryEdit::Trend(t)
    } else {
        let mut d = lib.driving_force(&code).cloned().ok_or_else(not_found)?;
        d.retired = retire;
        LibraryEdit::DrivingForce(d)
    };
    save_edit(store, edit)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    Ok(crate::auth::local_redirect(&format!("{TEAM_BASE}#item-{code}")).into_response())
}

/// Create a session from the trends ticked on the team page.
pub async fn create_session_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    let token = team_form(&state, &jar, get("csrf").as_deref(), lang).await?;
    let trends: Vec<fs::TrendEntry> = fields
        .iter()
        .filter(|(k, _)| k == "trend")
        .map(|(_, code)| fs::TrendEntry {
            code: code.clone(),
            title: None,
            theme: None,
        })
        .collect();
    let number = |k: &str| get(k).and_then(|v| v.replace(',', ".").parse::<f64>().ok());
    let thresholds = match (number("importance"), number("preparedness")) {
        (Some(i), Some(p)) => Some(
            samlet_foresight::Thresholds::new(i, p)
                .map_err(|e| WebError(ApiError::invalid("/thresholds", e.to_string()), lang))?,
        ),
        _ => None,
    };
    let file = fs::SessionFile {
        title: get("title").unwrap_or_default(),
        trends,
        thresholds,
        questions: None,
    };
    let created = fs::create_session(state.store.as_ref(), file)
        .await
        .map_err(|e| WebError(e.into(), lang))?;
    let presenter = format!(
        "{}/foresight/sessions/{}/present?key={}",
        state.config.public_url.trim_end_matches('/'),
        created.id,
        created.team_key
    );
    let ctx = page(
        lang,
        lang.t("fs_team_session_created"),
        TEAM_BASE,
        None,
        context! {
            created => true,
            signed_in => true,
            fs_csrf => csrf_for(&state, &token),
            id => created.id.clone(),
            join_code => created.join_code.clone(),
            join_url => super::join_url(&state, &created.join_code),
            presenter,
            team_key => created.team_key.clone(),
        },
    );
    let mut res = render(&state, lang, "foresight_team_created.html", ctx)?;
    *res.status_mut() = StatusCode::CREATED;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
