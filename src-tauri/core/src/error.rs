//! The one error type. It crosses IPC and the CLI as `{code, message}`; `code` is stable,
//! the UI and scripts branch on it, never on the message. Messages never contain secrets.

use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

/// Stable error codes. Adding one is fine; renaming one breaks the UI and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    InvalidUrl,
    InsecureHttp,
    KeychainUnavailable,
    ProviderUnauthorized,
    ProviderForbidden,
    InsufficientScope,
    OrgRestricted,
    SsoRequired,
    RateLimited,
    Network,
    ProviderError,
    ProviderUnavailable,
    BindingDisabled,
    OauthStateMismatch,
    OauthDenied,
    OauthExpired,
    OauthCancelled,
    NotFound,
    Conflict,
    Storage,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidUrl => "invalid_url",
            ErrorCode::InsecureHttp => "insecure_http",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::ProviderUnauthorized => "provider_unauthorized",
            ErrorCode::ProviderForbidden => "provider_forbidden",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::OrgRestricted => "org_restricted",
            ErrorCode::SsoRequired => "sso_required",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Network => "network",
            ErrorCode::ProviderError => "provider_error",
            ErrorCode::ProviderUnavailable => "provider_unavailable",
            ErrorCode::BindingDisabled => "binding_disabled",
            ErrorCode::OauthStateMismatch => "oauth_state_mismatch",
            ErrorCode::OauthDenied => "oauth_denied",
            ErrorCode::OauthExpired => "oauth_expired",
            ErrorCode::OauthCancelled => "oauth_cancelled",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Storage => "storage",
            ErrorCode::Internal => "internal",
        }
    }
}

/// `{code, message}`: what every fallible use case returns.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, thiserror::Error, TS)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Storage, message)
    }
    pub fn keychain_unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::KeychainUnavailable, message)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 2)?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let e = Error::new(ErrorCode::KeychainUnavailable, "no Secret Service");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "keychain_unavailable", "message": "no Secret Service"})
        );
    }

    #[test]
    fn code_strings_match_serde() {
        for code in [ErrorCode::InvalidUrl, ErrorCode::OauthStateMismatch, ErrorCode::NotFound] {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.as_str()));
        }
    }
}
