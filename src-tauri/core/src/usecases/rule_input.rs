//! What a build rule may say, checked once for adding and editing: a branch or tag name or
//! pattern, paths inside the repository, an image repository with a tag template, and an https
//! trigger URL. Bad input is refused before anything is stored or sent.

use crate::error::{Error, ErrorCode, Result};
use crate::model::SourceType;
use crate::providers::Host;
use crate::vault::Secret;

/// The placeholders a tag template may use.
pub const PLACEHOLDERS: [&str; 4] = ["{branch}", "{tag}", "{sha}", "{sha7}"];

/// The characters that make a branch or tag source a regular expression.
pub const REGEX_CHARS: &str = "*?[]()|^$+\\";

/// A rule's fields as the user typed them.
pub struct RuleInput<'a> {
    pub source_type: SourceType,
    pub source: &'a str,
    pub dockerfile: &'a str,
    pub context: Option<&'a str>,
    pub image: &'a str,
    pub trigger_url: Option<&'a str>,
}

/// A rule's fields once checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleFields {
    pub source_type: SourceType,
    pub source: String,
    pub is_regex: bool,
    pub dockerfile: String,
    pub context: String,
    pub image: String,
    pub tag_template: String,
    pub trigger_url: Option<String>,
}

impl RuleInput<'_> {
    pub fn check(&self) -> Result<RuleFields> {
        let source = self.source.trim().to_owned();
        if source.is_empty() || source.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_input("the branch or tag is empty or has spaces"));
        }
        let is_regex = source.chars().any(|c| REGEX_CHARS.contains(c));
        if is_regex {
            regex::Regex::new(&source).map_err(|e| Error::invalid_input(format!("{source:?} is not a valid pattern: {e}")))?;
        }
        let (image, tag_template) = split_image(self.image, self.source_type)?;
        Ok(RuleFields {
            source_type: self.source_type,
            source,
            is_regex,
            dockerfile: check_relative("Dockerfile path", self.dockerfile)?,
            context: check_relative("build context", self.context.unwrap_or("."))?,
            image,
            tag_template,
            trigger_url: self.trigger_url.map(str::trim).filter(|u| !u.is_empty()).map(check_trigger_url).transpose()?,
        })
    }
}

/// The repository's full name, trimmed of slashes.
pub fn check_repo(repo: &str) -> Result<String> {
    let repo = repo.trim().trim_matches('/').to_owned();
    if repo.is_empty() || !repo.contains('/') || repo.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid_input("the repository is its full name, e.g. owner/name or group/subgroup/project"));
    }
    Ok(repo)
}

/// An `Authorization` header value to keep in the keychain; empty means none.
pub fn check_auth(value: Option<&str>) -> Result<Option<Secret>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().any(|c| c.is_control()) => Err(Error::invalid_input("the header value has control characters")),
        Some(v) => Ok(Some(Secret::new(v))),
        None => Ok(None),
    }
}

fn split_image(image: &str, source_type: SourceType) -> Result<(String, String)> {
    let image = image.trim();
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    let (repo, template) = match image[last_slash..].find(':') {
        Some(i) => (&image[..last_slash + i], image[last_slash + i + 1..].to_owned()),
        None => (image, match source_type { SourceType::Branch => "{branch}".to_owned(), SourceType::Tag => "{tag}".to_owned() }),
    };
    if repo.is_empty() || repo.chars().any(|c| c.is_whitespace() || c.is_uppercase()) {
        return Err(Error::invalid_input(format!("{image:?} is not an image repository (lowercase, e.g. registry.example.com/team/app[:{{branch}}])")));
    }
    let mut rest = template.clone();
    for p in PLACEHOLDERS {
        rest = rest.replace(p, "");
    }
    if template.is_empty() || rest.contains('{') || rest.contains('}') || !rest.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(Error::invalid_input(format!("the tag template {template:?} may use {} and letters, digits, '.', '_' and '-'", PLACEHOLDERS.join(", "))));
    }
    Ok((repo.to_owned(), template))
}

fn check_relative(what: &str, path: &str) -> Result<String> {
    let p = path.trim();
    if p.is_empty() || p.starts_with('/') || p.contains('\\') || p.split('/').any(|seg| seg == "..") {
        return Err(Error::invalid_input(format!("the {what} must be a path inside the repository, not {path:?}")));
    }
    Ok(p.to_owned())
}

pub fn check_trigger_url(url: &str) -> Result<String> {
    let u = url::Url::parse(url.trim()).map_err(|_| Error::new(ErrorCode::InvalidUrl, format!("{url:?} is not a trigger URL")))?;
    match u.scheme() {
        "https" => Ok(u.to_string()),
        "http" if Host::parse(url).is_ok_and(|h| h.is_loopback()) => Ok(u.to_string()),
        _ => Err(Error::new(ErrorCode::InsecureHttp, "the trigger URL must use https (http only for loopback)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_and_templates() {
        assert_eq!(split_image("registry.example.com/team/app", SourceType::Branch).unwrap(), ("registry.example.com/team/app".into(), "{branch}".into()));
        assert_eq!(split_image("localhost:5000/app:{branch}-{sha7}", SourceType::Branch).unwrap(), ("localhost:5000/app".into(), "{branch}-{sha7}".into()));
        assert_eq!(split_image("app:{tag}", SourceType::Tag).unwrap(), ("app".into(), "{tag}".into()));
        for bad in ["", "App", "app:{nope}", "app:a b", "app:"] {
            assert!(split_image(bad, SourceType::Branch).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn paths_stay_inside_the_repository() {
        assert_eq!(check_relative("x", "docker/Dockerfile").unwrap(), "docker/Dockerfile");
        for bad in ["", "/etc/passwd", "../x", "a/../../b", "a\\b"] {
            assert!(check_relative("x", bad).is_err(), "{bad:?}");
        }
        assert!(check_trigger_url("http://builds.example.com/hook").is_err());
        assert!(check_trigger_url("https://builds.example.com/hook").is_ok());
        assert!(check_trigger_url("http://127.0.0.1:9000/hook").is_ok());
    }

    #[test]
    fn sources_names_and_patterns() {
        let input = |source| RuleInput { source_type: SourceType::Tag, source, dockerfile: "Dockerfile", context: None, image: "app", trigger_url: None };
        let plain = input("release").check().unwrap();
        assert!(!plain.is_regex);
        assert_eq!((plain.context.as_str(), plain.tag_template.as_str()), (".", "{tag}"));
        assert!(input("v[0-9]+\\..*").check().unwrap().is_regex);
        for bad in ["", "a b", "v[0-9", "(unclosed"] {
            assert!(input(bad).check().is_err(), "{bad:?}");
        }
        assert!(check_repo("owner").is_err());
        assert_eq!(check_repo("/group/sub/project/").unwrap(), "group/sub/project");
    }
}
