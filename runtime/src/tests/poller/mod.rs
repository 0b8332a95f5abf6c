//! The long-running-operation driver against scripted responses, through azure_core's
//! `Poller` exactly as generated clients return it; one file per concern, sharing the scripts
//! and requests of `support`.

mod delays;
mod failures;
mod final_state;
mod requests;
mod resume;
mod streaming;
mod support;
