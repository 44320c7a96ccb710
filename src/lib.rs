//! Waymark: a static site generator for research on how corruption enables
//! human trafficking in the Mekong sub-region.
//!
//! A build runs as a pipeline, one module per step:
//! [`content`] loads and validates (one module per kind), [`link`] resolves
//! cross-references, [`render`] turns documents into pages with Tera, and
//! [`write`] puts them on disk atomically. [`build::Build`] is one run of it.

pub mod archive;
pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod fileio;
pub mod hash;
pub mod i18n;
pub mod link;
pub mod lint;
pub mod markdown;
pub mod render;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
pub mod translations;
pub mod write;
pub mod zawgyi;
