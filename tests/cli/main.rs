//! End-to-end tests: each runs the real `kpi` binary in a scratch project, as a user would,
//! and checks its exit code, stdout and stderr. Error texts are pinned with `insta`.

#[cfg(unix)]
mod bounded;
#[cfg(feature = "email")]
mod browser;
mod check;
mod columns;
mod config;
mod corpus;
mod data;
mod diagnostics;
mod diff;
#[cfg(feature = "email")]
mod email;
mod eval;
mod example;
mod explain;
mod init;
#[cfg(not(feature = "postgres"))]
mod lean;
mod library;
mod list;
mod locale;
mod metric_test;
mod month;
mod new;
mod objectives;
mod output;
mod partial;
mod periods;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
mod postgres_tls;
mod report;
mod scale;
mod schema;
mod security;
#[cfg(feature = "send")]
mod send;
mod shell;
mod spreadsheet;
mod sqlite;
mod strict;
mod support;
mod targets;
mod why;
mod wording;
mod workbook;
