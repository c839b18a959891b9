//! OpenAPI schemas of response strings the server fills from a fixed set,
//! for fields typed as plain strings; the contract test's response check
//! holds the server to them.

use utoipa::openapi::{Object, ObjectBuilder, Type};

fn of(values: &[&str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}

pub fn representation_state() -> Object {
    of(&["active", "not_yet_valid", "expired", "revoked"])
}

pub fn basis_status() -> Object {
    of(&["pending", "accepted", "revoked"])
}

pub fn item_kind() -> Object {
    of(&["case", "status", "deadline", "benefit", "message"])
}

pub fn line_status() -> Object {
    of(&["accepted", "rejected"])
}
