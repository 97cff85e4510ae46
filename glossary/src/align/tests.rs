//! Unit tests of the aligner.
