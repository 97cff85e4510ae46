//! The server's one integration-test binary; a module per resource.

mod align;
mod backup;
mod cli;
mod collections;
mod common;
mod compat;
mod concepts;
mod docs;
mod edges;
mod errors;
mod exchange;
mod history;
mod jobs;
mod layering;
mod limits;
mod lookup;
mod mining;
mod openapi;
mod postgres;
mod pretranslate;
mod tm;
mod ui;
