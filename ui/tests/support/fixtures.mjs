// Fixture data shaped like src/lib/api/bindings.ts. Times are relative to NOW,
// which the tests also pin in the page clock, so screenshots are stable.
export const NOW = new Date('2025-06-02T09:30:00Z');

const DAY = 24 * 3600 * 1000;
const at = (ms) => new Date(NOW.getTime() + ms).toISOString();

// Mirrors src-tauri/core/src/providers/catalog.rs.
export const PROVIDERS = [
  {
    kind: 'github',
    name: 'GitHub',
    default_host: 'https://github.com',
    supported_version: 'GitHub.com and GitHub Enterprise Server',
    binding_methods: ['oauth', 'token'],
    self_hosted: true,
  },
  {
    kind: 'gitlab',
    name: 'GitLab',
    default_host: 'https://gitlab.com',
    supported_version: 'GitLab.com and self-managed GitLab',
    binding_methods: ['token', 'oauth'],
    self_hosted: true,
  },
  {
    kind: 'bitbucket',
    name: 'Bitbucket',
    default_host: 'https://bitbucket.org',
    supported_version: 'Bitbucket Cloud',
    binding_methods: ['oauth', 'token'],
    self_hosted: false,
  },
  {
    kind: 'gitee',
    name: 'Gitee',
    default_host: 'https://gitee.com',
    supported_version: 'Gitee.com',
    binding_methods: ['oauth', 'token'],
    self_hosted: false,
  },
  {
    kind: 'codeup',
    name: 'Codeup',
    default_host: 'https://openapi-rdc.aliyuncs.com',
    supported_version: 'Alibaba Cloud Codeup (Yunxiao)',
    binding_methods: ['token'],
    self_hosted: false,
  },
  {
    kind: 'gitea',
    name: 'Gitea / Forgejo',
    default_host: null,
    supported_version: 'Gitea 1.20+ and Forgejo',
    binding_methods: ['oauth', 'token'],
    self_hosted: true,
  },
];

export function appInfo({ vaultAvailable = true } = {}) {
  return {
    version: '0.1.0',
    data_dir: '/home/user/.local/share/codebind',
    database_path: '/home/user/.local/share/codebind/codebind.db',
    vault: vaultAvailable
      ? { backend: 'Secret Service (Linux)', available: true, problem: null }
      : {
          backend: 'Secret Service (Linux)',
          available: false,
          problem: 'no Secret Service provider is running on the session bus.',
        },
    providers: PROVIDERS,
  };
}

const AVATAR =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><rect width="20" height="20" fill="#8b5cf6"/><circle cx="10" cy="8" r="3.5" fill="#fff"/><path d="M3 19c1-4 4-6 7-6s6 2 7 6z" fill="#fff"/></svg>',
  );

export const BINDINGS = [
  {
    id: 'b-github-octocat',
    provider: 'github',
    host: 'https://github.com',
    account_id: '583231',
    login: 'octocat',
    display_name: 'The Octocat',
    avatar_url: AVATAR,
    auth_method: 'oauth',
    username: null,
    organization: null,
    scopes_reported: true,
    scopes: ['repo', 'read:org', 'admin:repo_hook', 'workflow', 'read:user'],
    expires_at: null,
    status: 'active',
    disabled: false,
    created_at: at(-120 * DAY),
    updated_at: at(-3 * DAY),
    last_verified_at: at(-2 * 3600 * 1000),
    vault_key: 'codebind/github/github.com/583231',
  },
  {
    id: 'b-gitlab-jdoe',
    provider: 'gitlab',
    host: 'https://gitlab.acme.dev',
    account_id: '42',
    login: 'jdoe',
    display_name: 'Jane Doe',
    avatar_url: null,
    auth_method: 'token',
    username: 'jdoe',
    organization: null,
    scopes_reported: true,
    scopes: ['read_api', 'read_repository'],
    expires_at: at(12 * DAY + 3600 * 1000),
    status: 'insufficient_scopes',
    disabled: false,
    created_at: at(-40 * DAY),
    updated_at: at(-1 * DAY),
    last_verified_at: at(-25 * 60 * 1000),
    vault_key: 'codebind/gitlab/gitlab.acme.dev/42',
  },
  {
    id: 'b-gitee-liwei',
    provider: 'gitee',
    host: 'https://gitee.com',
    account_id: '9911',
    login: 'li-wei',
    display_name: '李伟',
    avatar_url: null,
    auth_method: 'oauth',
    username: null,
    organization: null,
    scopes_reported: false,
    scopes: [],
    expires_at: at(-3 * DAY),
    status: 'expired',
    disabled: false,
    created_at: at(-200 * DAY),
    updated_at: at(-3 * DAY),
    last_verified_at: at(-3 * DAY),
    vault_key: 'codebind/gitee/gitee.com/9911',
  },
];

const KINDS = ['bound', 'verified', 'verified', 'token_refreshed', 'verification_failed', 'verified'];

/** `count` history events, ids 1..count, newest with the highest id. */
export function history(count) {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    const binding = BINDINGS[i % BINDINGS.length];
    const kind = KINDS[i % KINDS.length];
    return {
      id,
      binding_id: binding.id,
      at: at(-(count - i) * 3600 * 1000),
      kind,
      detail: kind === 'verification_failed' ? { code: 'provider_unauthorized' } : null,
    };
  });
}

/** A binding as Rust returns it right after binding with a token. */
export function newBinding(provider, overrides = {}) {
  return {
    id: `b-new-${provider}`,
    provider,
    host: PROVIDERS.find((p) => p.kind === provider)?.default_host ?? 'https://git.example.com',
    account_id: '7',
    login: 'alice',
    display_name: 'Alice',
    avatar_url: null,
    auth_method: 'token',
    username: null,
    organization: null,
    scopes_reported: true,
    scopes: ['api'],
    expires_at: null,
    status: 'active',
    disabled: false,
    created_at: at(0),
    updated_at: at(0),
    last_verified_at: at(0),
    vault_key: `codebind/${provider}/x/7`,
    ...overrides,
  };
}

const GITLAB = BINDINGS[1];

/** binding_detail for the self-managed GitLab binding: missing scopes, port + certificate warnings. */
export const GITLAB_DETAIL = {
  binding: { ...GITLAB, host: 'https://gitlab.acme.dev:8443' },
  scope_health: {
    reported: true,
    granted: ['read_api', 'read_repository'],
    features: [
      { feature: 'repositories', needed: ['read_api'], missing: [], satisfied: true },
      { feature: 'webhooks', needed: ['api'], missing: ['api'], satisfied: false },
      { feature: 'registry_pull', needed: ['read_registry'], missing: ['read_registry'], satisfied: false },
      {
        feature: 'registry_push',
        needed: ['read_registry', 'write_registry'],
        missing: ['read_registry', 'write_registry'],
        satisfied: false,
      },
    ],
    fix_url:
      'https://gitlab.acme.dev:8443/-/user_settings/personal_access_tokens?name=Codebind&scopes=api,read_registry,write_registry',
    checklist: [],
  },
  warnings: ['https_port_not_supported', 'custom_certificate'],
  ca_bundle: '/etc/ssl/acme-root.pem',
  revoke_page: 'https://gitlab.acme.dev:8443/-/user_settings/personal_access_tokens',
  revocable: true,
};

export const GITHUB_DETAIL = {
  binding: BINDINGS[0],
  scope_health: {
    reported: true,
    granted: BINDINGS[0].scopes,
    features: [
      { feature: 'repositories', needed: ['repo', 'read:org'], missing: [], satisfied: true },
      { feature: 'webhooks', needed: ['admin:repo_hook'], missing: [], satisfied: true },
      { feature: 'registry_pull', needed: ['read:packages'], missing: ['read:packages'], satisfied: false },
      { feature: 'registry_push', needed: ['write:packages'], missing: ['write:packages'], satisfied: false },
    ],
    fix_url: 'https://github.com/settings/tokens/new?description=Codebind&scopes=read:packages,write:packages',
    checklist: [],
  },
  warnings: [],
  ca_bundle: null,
  revoke_page: 'https://github.com/settings/applications',
  revocable: true,
};

export const GITEE_DETAIL = {
  binding: BINDINGS[2],
  scope_health: {
    reported: false,
    granted: [],
    features: [
      { feature: 'repositories', needed: ['user_info', 'projects', 'groups'], missing: [], satisfied: null },
      { feature: 'webhooks', needed: ['hook'], missing: [], satisfied: null },
    ],
    fix_url: 'https://gitee.com/profile/personal_access_tokens',
    checklist: [],
  },
  warnings: [],
  ca_bundle: null,
  revoke_page: 'https://gitee.com/profile/personal_access_tokens',
  revocable: false,
};

export const CODEUP_BINDING = newBinding('codeup', {
  id: 'b-codeup-wang',
  login: 'wang',
  display_name: '王芳',
  username: 'wang-clone',
  organization: '60d54f3daccf2bbd6659f3ad',
  scopes_reported: false,
  scopes: [],
});

export const CODEUP_DETAIL = {
  binding: CODEUP_BINDING,
  scope_health: {
    reported: false,
    granted: [],
    features: [
      { feature: 'repositories', needed: [], missing: [], satisfied: null },
      { feature: 'webhooks', needed: [], missing: [], satisfied: null },
    ],
    fix_url: 'https://account-devops.aliyun.com/settings/personalAccessToken',
    checklist: [
      'Organization Management / Organization members: read-only',
      'Organization Management / Organization departments: read-only',
      'Code Management / Code repositories: read-only',
      'Code Management / Branches: read-only',
      'Code Management / Tags: read-only',
      'Code Management / Webhook: read/write',
    ],
  },
  warnings: [],
  ca_bundle: null,
  revoke_page: 'https://account-devops.aliyun.com/settings/personalAccessToken',
  revocable: false,
};

export const ORGS = [
  {
    id: '1',
    login: 'platform',
    name: 'Platform team',
    kind: 'group',
    web_url: 'https://gitlab.acme.dev:8443/platform',
    parent: null,
    access: 'granted',
    grant_url: null,
  },
  {
    id: '2',
    login: 'infra',
    name: null,
    kind: 'group',
    web_url: null,
    parent: 'platform',
    access: 'restricted',
    grant_url: 'https://gitlab.acme.dev:8443/groups/platform/infra/-/group_members',
  },
  {
    id: '3',
    login: 'acme-corp',
    name: 'ACME Corp',
    kind: 'organization',
    web_url: null,
    parent: null,
    access: 'sso_required',
    grant_url: 'https://github.com/orgs/acme-corp/sso',
  },
];

export function oauthAppView(provider, overrides = {}) {
  const p = PROVIDERS.find((x) => x.kind === provider);
  return {
    provider,
    host: p?.default_host ?? 'https://git.example.com',
    client_id: 'Iv1.abc123',
    has_secret: false,
    source: 'settings',
    redirect_uri: 'codebind://oauth/callback',
    scopes: provider === 'github' ? ['repo', 'read:org', 'admin:repo_hook'] : ['api'],
    secret_required: provider !== 'github',
    device_flow: provider === 'github' || provider === 'gitlab',
    ...overrides,
  };
}

export const DEVICE_CODE = {
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://github.com/login/device',
  verification_uri_complete: null,
  expires_in: 900,
  interval: 5,
};

export const TRIGGER_URL = 'https://builds.acme.dev/hooks/codebind';

/** A build rule of the GitLab binding, as list_rules returns it. */
export function rule(overrides = {}) {
  return {
    id: 'r-api-main',
    binding_id: 'b-gitlab-jdoe',
    repo: 'platform/api',
    source_type: 'branch',
    source: 'main',
    is_regex: false,
    dockerfile: 'Dockerfile',
    context: '.',
    image: 'registry.acme.dev/platform/api',
    tag_template: '{branch}-{sha7}',
    trigger_url: null,
    enabled: true,
    created_at: at(-5 * DAY),
    updated_at: at(-5 * DAY),
    ...overrides,
  };
}

export const RULES = [
  rule(),
  rule({
    id: 'r-api-tags',
    source_type: 'tag',
    source: 'v[0-9]+\\..*',
    is_regex: true,
    dockerfile: 'docker/release.Dockerfile',
    context: 'docker',
    tag_template: '{tag}',
    trigger_url: 'https://builds.acme.dev/hooks/releases',
  }),
  rule({ id: 'r-web-develop', repo: 'platform/web', source: 'develop', image: 'registry.acme.dev/platform/web', tag_template: '{branch}' }),
];

export function webhook(repo, overrides = {}) {
  return {
    id: `h-${repo.replace(/\W/g, '-')}`,
    binding_id: 'b-gitlab-jdoe',
    repo,
    provider_hook_id: repo === 'platform/api' ? '11' : '12',
    url: TRIGGER_URL,
    events: ['push', 'tag_push'],
    created_at: at(-5 * DAY),
    secret_key: `webhook/h-${repo}/secret`,
    ...overrides,
  };
}

export const HOOKS = [
  { hook: webhook('platform/api'), present: true, drift: [], error: null },
  {
    hook: webhook('platform/web'),
    present: true,
    drift: ['URL is https://old.acme.dev/hook (expected https://builds.acme.dev/hooks/codebind)', 'event tag_push is off'],
    error: null,
  },
];

/** Hosts as list_hosts returns them: one per binding's host, each proxy choice once. */
export const HOSTS = [
  { host: 'https://gitee.com', ca_bundle: null, proxy: null, bindings: 1 },
  { host: 'https://github.com', ca_bundle: null, proxy: 'direct', bindings: 1 },
  { host: 'https://gitlab.acme.dev', ca_bundle: '/etc/ssl/acme-root.pem', proxy: 'http://proxy.acme.dev:3128', bindings: 1 },
];

/** What set_rule_enabled / update_rule return: the rule and what its webhook went through. */
export function ruleSaved(ruleOverrides = {}, hook = {}) {
  const saved = rule(ruleOverrides);
  return { rule: saved, hook: { hook: webhook(saved.repo), created: false, removal: null, ...hook } };
}
