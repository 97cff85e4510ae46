//! The server's one integration-test binary; a module per resource.

mod align;
mod cli;
mod common;
mod compat;
mod concepts;
mod errors;
mod exchange;
mod limits;
mod lookup;
mod mining;
mod openapi;
mod tm;
mod ui;
