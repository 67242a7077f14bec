//! tfvpc: what a Terraform plan does to an AWS network, before apply.
//!
//! plan JSON → [`plan`] → [`model`] (before and after) → [`analysis`] (reachability) →
//! [`rules`] (findings) → [`report`] (JSON, SARIF, markdown) ← [`cli`].
#![forbid(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod rules;
