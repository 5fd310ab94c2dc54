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
