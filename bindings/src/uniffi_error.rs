//! The one error type of the uniffi surface (`MiniappException` in Kotlin, `MiniappError` in
//! Swift), and how core errors become it.

use miniapp_core::runtime::handle::HandleError;
use miniapp_core::RuntimeError;

/// Why a call failed. One small type for every host; `detail` explains.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum MiniappError {
    /// The package could not be opened or has errors (diagnostics in `detail`).
    #[error("invalid package: {detail}")]
    InvalidPackage {
        /// What is wrong.
        detail: String,
    },
    /// An argument was malformed (bad JSON, bad selector).
    #[error("invalid argument: {detail}")]
    InvalidArgument {
        /// What is wrong.
        detail: String,
    },
    /// Nothing matched a selector.
    #[error("not found: {detail}")]
    NotFound {
        /// The selector.
        detail: String,
    },
    /// The app was closed.
    #[error("the app is closed")]
    Closed,
    /// The runtime reported an error.
    #[error("{detail}")]
    Failed {
        /// What happened.
        detail: String,
    },
}

impl From<HandleError> for MiniappError {
    fn from(_: HandleError) -> Self {
        MiniappError::Closed
    }
}

impl From<RuntimeError> for MiniappError {
    fn from(e: RuntimeError) -> Self {
        match e {
            RuntimeError::Invalid(d) => MiniappError::InvalidPackage { detail: d.to_string() },
            RuntimeError::Selector(s) => MiniappError::InvalidArgument { detail: s.to_string() },
            RuntimeError::NoMatch(s) => MiniappError::NotFound { detail: s },
            other => MiniappError::Failed { detail: other.to_string() },
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for MiniappError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        MiniappError::Failed { detail: format!("host callback failed: {}", e.reason) }
    }
}
