// What the UI needs to know per provider beyond ProviderInfo: the bind dialog's fields (after the
// seeds' dialogs), which field an error code belongs to, and whether unbinding can revoke.
import type { Binding, ErrorCode, ProviderInfo, ProviderKind } from './api/bindings';
import type { MessageKey } from './i18n';

/** Display names as the Rust catalog has them; used where no ProviderInfo is at hand. */
export const PROVIDER_NAMES: Record<ProviderKind, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  bitbucket: 'Bitbucket',
  gitee: 'Gitee',
  codeup: 'Codeup',
  gitea: 'Gitea / Forgejo',
};

// A monogram tile per provider: no remote images, no trademark artwork.
const GLYPHS: Record<ProviderKind, { text: string; color: string }> = {
  github: { text: 'GH', color: '#24292f' },
  gitlab: { text: 'GL', color: '#e24329' },
  bitbucket: { text: 'BB', color: '#1f6feb' },
  gitee: { text: 'GE', color: '#c71d23' },
  codeup: { text: 'CU', color: '#e8710a' },
  gitea: { text: 'GT', color: '#4e8a1e' },
};

/** The monogram and tile colour of a provider's icon (ProviderIcon, and the bindings table's rows). */
export function providerGlyph(kind: ProviderKind): { text: string; color: string } {
  return GLYPHS[kind] ?? { text: kind.slice(0, 2).toUpperCase(), color: '#6b7280' };
}

export function providerName(kind: ProviderKind, providers?: ProviderInfo[]): string {
  return providers?.find((p) => p.kind === kind)?.name ?? PROVIDER_NAMES[kind] ?? kind;
}

export type FieldName = 'host' | 'username' | 'token' | 'organization' | 'ca_bundle';

export type TextFieldSpec = {
  label: MessageKey;
  hint: MessageKey | null;
  placeholder: string;
  type: 'text' | 'email' | 'url';
  required: boolean;
  /** Prefilled value (GitLab's URL defaults to https://gitlab.com, as in the seed's dialog). */
  initial: string;
};

export type BindFormSpec = {
  host: TextFieldSpec | null;
  username: TextFieldSpec | null;
  organization: TextFieldSpec | null;
  token: { label: MessageKey; hint: MessageKey; placeholder: string };
  /** Codeup's least-privilege checklist. */
  checklist: boolean;
  /** A note above the fields (Bitbucket: app passwords are deprecated). */
  note: MessageKey | null;
  /** Self-managed hosts may need a CA bundle (the Advanced disclosure). */
  caBundle: boolean;
  /** GitLab's port and reachability constraints from the seeds. */
  portConstraints: boolean;
};

const SPECS: Record<ProviderKind, BindFormSpec> = {
  github: {
    host: {
      label: 'bind.field.ghes_url',
      hint: 'bind.hint.ghes_url',
      placeholder: 'https://github.example.com',
      type: 'url',
      required: false,
      initial: '',
    },
    username: null,
    organization: null,
    token: { label: 'bind.field.pat', hint: 'bind.hint.token_github', placeholder: 'ghp_…' },
    checklist: false,
    note: null,
    caBundle: true,
    portConstraints: false,
  },
  gitlab: {
    host: {
      label: 'bind.field.url',
      hint: 'bind.hint.gitlab_url',
      placeholder: 'https://gitlab.com',
      type: 'url',
      required: true,
      initial: 'https://gitlab.com',
    },
    username: {
      label: 'bind.field.username',
      hint: 'bind.hint.gitlab_username',
      placeholder: 'alice',
      type: 'text',
      required: true,
      initial: '',
    },
    organization: null,
    token: { label: 'bind.field.pat', hint: 'bind.hint.token_gitlab', placeholder: 'glpat-…' },
    checklist: false,
    note: null,
    caBundle: true,
    portConstraints: true,
  },
  bitbucket: {
    host: null,
    username: {
      label: 'bind.field.atlassian_email',
      hint: 'bind.hint.atlassian_email',
      placeholder: 'alice@example.com',
      type: 'email',
      required: true,
      initial: '',
    },
    organization: null,
    token: { label: 'bind.field.api_token', hint: 'bind.hint.token_bitbucket', placeholder: 'ATATT…' },
    checklist: false,
    note: 'bind.note.bitbucket',
    caBundle: false,
    portConstraints: false,
  },
  gitee: {
    host: null,
    username: null,
    organization: null,
    token: { label: 'bind.field.private_token', hint: 'bind.hint.token_gitee', placeholder: '' },
    checklist: false,
    note: null,
    caBundle: false,
    portConstraints: false,
  },
  codeup: {
    host: null,
    username: {
      label: 'bind.field.clone_username',
      hint: 'bind.hint.clone_username',
      placeholder: 'alice',
      type: 'text',
      required: true,
      initial: '',
    },
    organization: {
      label: 'bind.field.organization_id',
      hint: 'bind.hint.organization_id',
      placeholder: '60d54f3daccf2bbd6659f3ad',
      type: 'text',
      required: true,
      initial: '',
    },
    token: { label: 'bind.field.pat', hint: 'bind.hint.token_codeup', placeholder: 'pt-…' },
    checklist: true,
    note: 'bind.note.codeup_endpoint',
    caBundle: false,
    portConstraints: false,
  },
  gitea: {
    host: {
      label: 'bind.field.instance_url',
      hint: 'bind.hint.gitea_url',
      placeholder: 'https://gitea.example.com',
      type: 'url',
      required: true,
      initial: '',
    },
    username: null,
    organization: null,
    token: { label: 'bind.field.access_token', hint: 'bind.hint.token_gitea', placeholder: '' },
    checklist: false,
    note: null,
    caBundle: true,
    portConstraints: false,
  },
};

export function bindFormSpec(kind: ProviderKind): BindFormSpec {
  return SPECS[kind];
}

/** Codeup's least-privilege list from the seed, as catalog keys (same order as Rust's). */
export const CODEUP_CHECKLIST: MessageKey[] = [
  'codeup.org_members',
  'codeup.org_departments',
  'codeup.repositories',
  'codeup.branches',
  'codeup.tags',
  'codeup.webhook',
];

/** Rust's English checklist lines → catalog keys, so the detail screen can translate them. */
export const CHECKLIST_KEYS: Record<string, MessageKey> = {
  'Organization Management / Organization members: read-only': 'codeup.org_members',
  'Organization Management / Organization departments: read-only': 'codeup.org_departments',
  'Code Management / Code repositories: read-only': 'codeup.repositories',
  'Code Management / Branches: read-only': 'codeup.branches',
  'Code Management / Tags: read-only': 'codeup.tags',
  'Code Management / Webhook: read/write': 'codeup.webhook',
};

/**
 * Which field an error from `bind_with_token` is shown under (by code only); null = the whole form.
 * Falls back to the form when that field is not part of this provider's dialog.
 */
export function fieldForError(code: ErrorCode, spec: BindFormSpec): FieldName | null {
  switch (code) {
    case 'invalid_url':
    case 'insecure_http':
      return spec.host ? 'host' : null;
    case 'provider_unauthorized':
    case 'provider_forbidden':
    case 'insufficient_scope':
      return 'token';
    case 'org_restricted':
    case 'sso_required':
      return spec.organization ? 'organization' : null;
    default:
      return null;
  }
}

/** Whether the Rust side can revoke this binding's token through an API (see providers/*.rs). */
export function canRevoke(binding: Binding): boolean {
  if (binding.provider === 'gitlab') return true;
  if (binding.provider === 'github') {
    try {
      return new URL(binding.host).hostname === 'github.com';
    } catch {
      return false;
    }
  }
  return false;
}

/** Providers with a device-code sign-in (when the OAuth app view does not say). */
export const DEVICE_FLOW: ProviderKind[] = ['github', 'gitlab'];

const HTTP_PORTS = [80, 21, 443, 70, 210, 280, 488, 591, 777];

/**
 * The seeds' port constraints for a self-managed host, checked as the user types (the detail
 * screen shows Rust's own warnings once bound). Returns catalog keys.
 */
export function portWarning(value: string): MessageKey | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (url.protocol === 'https:' && port !== 443) return 'warning.https_port_not_supported';
  if (url.protocol === 'http:' && !(HTTP_PORTS.includes(port) || port >= 1025)) {
    return 'warning.http_port_not_supported';
  }
  return null;
}
