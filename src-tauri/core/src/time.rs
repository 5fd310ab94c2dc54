//! Timestamps: RFC 3339 in UTC with milliseconds and a `Z`, so they sort as text.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn now() -> String {
    format(Utc::now())
}

pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses any RFC 3339 time and normalises it to our format.
pub fn normalize(s: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| format(t.with_timezone(&Utc)))
}
