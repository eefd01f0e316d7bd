//! Current-server API (server token): the server the token belongs to.

use serde_json::Value;

use super::servers;
use crate::json::ApiError;
use crate::router::{Auth, Ctx, Route};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/server", Auth::Server, get),
    Route::new("PUT", "/server", Auth::Server, edit),
];

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    Ok(servers::render(ctx.current(&mut state)?))
}

fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let mut state = ctx.state();
    let id = ctx.current(&mut state)?.id;
    servers::edit_server(&mut state, id, &body)
}
