//! TBX 2008 ("martif", ISO 30042:2008), the TBX that OmegaT (every
//! version) and translate-toolkit read.
//!
//! Same data categories and positions as TBX-Basic v3 (see [`super::tbx`]),
//! with the 2008 element names and no namespace:
//!
//! | TBX v3          | TBX 2008       |
//! |-----------------|----------------|
//! | `<tbx style="dca">` | `<martif type="TBX-Basic">` |
//! | `tbxHeader`     | `martifHeader` |
//! | `conceptEntry`  | `termEntry`    |
//! | `langSec`       | `langSet`      |
//! | `termSec`       | `tig`          |
//!
//! The output validates against the XSD OmegaT ships
//! (`tbx2008-omegat/tbx.xsd`). The reader in [`super::tbx`] reads both
//! dialects (and `ntig`/`termGrp` term sections), so a martif file can be
//! imported with either `tbx` or `tbx-martif`. One caveat: that XSD wants at
//! least one `termEntry`, so an export whose filters match nothing is an
//! empty `<body/>` that readers accept but the XSD does not.

use crate::formats::tbx::Dialect;
use crate::formats::Format;

/// Element names of TBX 2008.
pub(crate) const MARTIF: Dialect = Dialect {
    format: Format::TbxMartif,
    root: "martif",
    header: "martifHeader",
    entry: "termEntry",
    lang_sec: "langSet",
    term_sec: "tig",
};
