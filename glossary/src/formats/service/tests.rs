//! Import/export tests against a real store.
