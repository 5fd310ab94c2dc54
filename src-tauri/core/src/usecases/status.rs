//! The status a verification leads to: a pure function, tested over its whole table. Only an
//! answer that demonstrably came from the provider can make a token invalid; network trouble,
//! 5xx and rate limits never mark a good token bad.

use crate::error::{Error, ErrorCode};
use crate::model::BindingStatus;

/// `now` and `expires_at` are RFC 3339 strings in our format (they compare as text).
pub fn next_status(current: BindingStatus, outcome: &Result<bool, Error>, expires_at: Option<&str>, now: &str) -> BindingStatus {
    match outcome {
        Ok(true) => BindingStatus::Active,
        Ok(false) => BindingStatus::InsufficientScopes,
        Err(e) => match e.code {
            ErrorCode::ProviderUnauthorized if expires_at.is_some_and(|t| t <= now) => BindingStatus::Expired,
            ErrorCode::ProviderUnauthorized => BindingStatus::Invalid,
            ErrorCode::InsufficientScope => BindingStatus::InsufficientScopes,
            // Could not talk to the provider, or something else answered (a proxy's page).
            ErrorCode::Network | ErrorCode::ProviderError => BindingStatus::Unreachable,
            // Rate limits, 5xx, 403s of other kinds: say nothing new about the token.
            _ => current,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BindingStatus::*;

    const NOW: &str = "2026-11-22T00:00:00.000Z";
    const PAST: &str = "2026-11-01T00:00:00.000Z";
    const FUTURE: &str = "2027-01-01T00:00:00.000Z";

    fn err(code: ErrorCode) -> Result<bool, Error> {
        Err(Error::new(code, "x"))
    }

    #[test]
    fn the_whole_table() {
        for current in BindingStatus::ALL {
            assert_eq!(next_status(current, &Ok(true), None, NOW), Active);
            assert_eq!(next_status(current, &Ok(false), None, NOW), InsufficientScopes);
            assert_eq!(next_status(current, &err(ErrorCode::ProviderUnauthorized), None, NOW), Invalid);
            assert_eq!(next_status(current, &err(ErrorCode::ProviderUnauthorized), Some(FUTURE), NOW), Invalid);
            assert_eq!(next_status(current, &err(ErrorCode::ProviderUnauthorized), Some(PAST), NOW), Expired);
            assert_eq!(next_status(current, &err(ErrorCode::InsufficientScope), None, NOW), InsufficientScopes);
            assert_eq!(next_status(current, &err(ErrorCode::Network), None, NOW), Unreachable);
            assert_eq!(next_status(current, &err(ErrorCode::ProviderError), None, NOW), Unreachable);
            for unchanged in [ErrorCode::RateLimited, ErrorCode::ProviderUnavailable, ErrorCode::ProviderForbidden, ErrorCode::SsoRequired, ErrorCode::OrgRestricted, ErrorCode::NotFound] {
                assert_eq!(next_status(current, &err(unchanged), Some(PAST), NOW), current, "{unchanged:?}");
            }
        }
    }
}
