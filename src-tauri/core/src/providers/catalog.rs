//! What each provider is, as the seeds' "Code Source" tables present it.

use crate::model::{AuthMethod, ProviderInfo, ProviderKind};

pub fn info(kind: ProviderKind) -> ProviderInfo {
    use AuthMethod::{Oauth, Token};
    let (default_host, supported_version, methods, self_hosted): (Option<&str>, &str, &[AuthMethod], bool) =
        match kind {
            ProviderKind::Github => (Some("https://github.com"), "GitHub.com and GitHub Enterprise Server", &[Oauth, Token], true),
            ProviderKind::Gitlab => (Some("https://gitlab.com"), "GitLab.com and self-managed GitLab", &[Token, Oauth], true),
            ProviderKind::Bitbucket => (Some("https://bitbucket.org"), "Bitbucket Cloud", &[Oauth, Token], false),
            ProviderKind::Gitee => (Some("https://gitee.com"), "Gitee.com", &[Oauth, Token], false),
            ProviderKind::Codeup => (Some("https://openapi-rdc.aliyuncs.com"), "Alibaba Cloud Codeup (Yunxiao)", &[Token], false),
            ProviderKind::Gitea => (None, "Gitea 1.20+ and Forgejo", &[Oauth, Token], true),
        };
    ProviderInfo {
        kind,
        name: kind.display_name().to_owned(),
        default_host: default_host.map(str::to_owned),
        supported_version: supported_version.to_owned(),
        binding_methods: methods.to_vec(),
        self_hosted,
    }
}

pub fn catalog() -> Vec<ProviderInfo> {
    ProviderKind::ALL.into_iter().map(info).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalog_lists_every_provider_with_a_method() {
        let c = super::catalog();
        assert_eq!(c.len(), 6);
        assert!(c.iter().all(|p| !p.binding_methods.is_empty()));
        let codeup = c.iter().find(|p| p.kind == crate::model::ProviderKind::Codeup).unwrap();
        assert_eq!(codeup.binding_methods, vec![crate::model::AuthMethod::Token]);
    }
}
