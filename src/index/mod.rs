//! Indexing: the files that list the site rather than show a page — the
//! search index, the JSON API, the sitemap and `robots.txt`, and the
//! offline app (web manifest and service worker with its precache list).

pub mod api;
pub mod offline;
pub mod search;
pub mod sitemap;
