//! HTTP handlers, one module per resource. Handlers are thin: parse the
//! request into domain types, run the engine call on the blocking pool,
//! convert the result into a wire type.

pub mod concepts;
pub mod exchange;
pub mod health;
pub mod lookup;

use actix_web::web;

use crate::error::ApiError;
use crate::AppState;

/// Runs a blocking engine call off the async executor.
pub(crate) async fn blocking<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&glossary::Glossary) -> Result<T, glossary::Error> + Send + 'static,
    T: Send + 'static,
{
    let glossary = state.glossary.clone();
    Ok(web::block(move || f(&glossary)).await??)
}
