//! The strategy team's library: driving forces, themes and trends that the
//! team adds, edits, retires and reinstates.
//!
//! The seeded library stays in the binary as the default; an edit is stored
//! as a whole item that replaces the seeded one with its code, and deleting
//! the edit restores the default. Sessions copy the trends' statements into
//! their own spec when they are created, so an edit never changes what was
//! rated in an earlier session.

use samlet_foresight::{Library, LibraryEdit, LibraryError};
use samlet_store::{ForesightStore, LibraryKind};

use super::{internal, invalid, Error, Result};

/// The seeded library with the team's edits laid over it.
pub async fn effective_library<S: ForesightStore + ?Sized>(store: &S) -> Result<Library> {
    let base = Library::builtin().map_err(internal)?;
    let mut edits = Vec::new();
    for row in store.foresight_library_items().await? {
        let e: LibraryEdit = serde_json::from_str(&row.item)
            .map_err(|e| internal(format!("stored library item: {e}")))?;
        edits.push(e);
    }
    base.with_edits(&edits).map_err(internal)
}

/// Is this code one of the seeded items of its kind (`driving_force`,
/// `theme`, `trend`)?
pub fn seeded(kind: &str, code: &str) -> bool {
    let Ok(lib) = Library::builtin() else {
        return false;
    };
    match kind {
        "driving_force" => lib.driving_force(code).is_some(),
        "theme" => lib.theme(code).is_some(),
        _ => lib.trend(code).is_some(),
    }
}

/// Check an edit against the current library and store it. The merged
/// library's pointer (`/trends/14/title/en`) becomes one into the item (`/title/en`).
pub async fn save_edit<S: ForesightStore + ?Sized>(store: &S, edit: LibraryEdit) -> Result<()> {
    let current = effective_library(store).await?;
    let merged = current.with_edits([&edit]).map_err(|e| match e {
        LibraryError::Invalid { pointer, reason } => {
            let list = match edit {
                LibraryEdit::DrivingForce(_) => "/driving_forces/",
                LibraryEdit::Theme(_) => "/themes/",
                LibraryEdit::Trend(_) => "/trends/",
            };
            let inner = pointer
                .strip_prefix(list)
                .and_then(|rest| rest.split_once('/').map(|(_, p)| format!("/{p}")))
                .unwrap_or(pointer);
            invalid(inner, reason)
        }
        LibraryError::Json(e) => invalid("", e.to_string()),
    })?;
    drop(merged);
    let json = serde_json::to_string(&edit).map_err(internal)?;
    let kind = match &edit {
        LibraryEdit::DrivingForce(_) => LibraryKind::DrivingForce,
        LibraryEdit::Theme(_) => LibraryKind::Theme,
        LibraryEdit::Trend(_) => LibraryKind::Trend,
    };
    store
        .put_foresight_library_item(kind, edit.code(), &json, chrono::Utc::now())
        .await?;
    Ok(())
}

/// Remove the team's edit: a seeded item returns to its default, an added
/// one disappears (refused while trends still use an added theme).
pub async fn reset_edit<S: ForesightStore + ?Sized>(
    store: &S,
    kind: &str,
    code: &str,
) -> Result<()> {
    if kind == "theme" && !seeded(kind, code) {
        let lib = effective_library(store).await?;
        if lib.trends_in_theme(code).next().is_some() {
            return Err(Error::ThemeHasTrends(code.to_owned()));
        }
    }
    // A kind the store does not know has no edit to remove.
    let deleted = match kind.parse::<LibraryKind>() {
        Ok(kind) => store.delete_foresight_library_item(kind, code).await?,
        Err(_) => false,
    };
    if !deleted {
        return Err(Error::NoEdit(code.to_owned()));
    }
    Ok(())
}

/// The items the team has added or changed, as (kind, code).
pub async fn edited<S: ForesightStore + ?Sized>(store: &S) -> Result<Vec<(String, String)>> {
    Ok(store
        .foresight_library_items()
        .await?
        .into_iter()
        .map(|r| (r.kind.as_str().to_owned(), r.code))
        .collect())
}
