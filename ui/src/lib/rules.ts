// Helpers for build rules, mirroring what Rust decides (src-tauri/core/src/usecases/rules.rs).
import type { BuildRule, ProviderKind, Repo } from './api/bindings';

/** The tag template placeholders Rust fills in. */
export const PLACEHOLDERS = ['{branch}', '{tag}', '{sha}', '{sha7}'] as const;

/** Rust treats a source with any of these characters as a regular expression. */
const PATTERN_CHARS = '*?[]()|^$+\\';

export function looksLikePattern(source: string): boolean {
  return [...source.trim()].some((c) => PATTERN_CHARS.includes(c));
}

/** `image:template`, as the rule's image reference reads. */
export function imageRef(rule: Pick<BuildRule, 'image' | 'tag_template'>): string {
  return `${rule.image}:${rule.tag_template}`;
}

/**
 * Whether the repository sits in a GitLab subgroup (cloud builds from it can only be triggered
 * by hand): the streamed repo says so; a typed full name with more than two segments does too.
 */
export function inSubgroup(provider: ProviderKind, fullName: string, known: Repo | undefined): boolean {
  if (known) return known.in_subgroup;
  return provider === 'gitlab' && fullName.trim().split('/').filter(Boolean).length > 2;
}

/**
 * What removing or disabling `rule` does to its repository's webhook. As in Rust, the webhook
 * follows the repository's enabled rules: it goes with the last enabled one ('removed'), stays
 * while another enabled rule uses it ('stays'), and there is none when no rule is enabled ('none').
 */
export type HookEffect = 'removed' | 'stays' | 'none';

export function hookEffect(rule: BuildRule, rules: BuildRule[]): HookEffect {
  const others = rules.some((r) => r.id !== rule.id && r.repo === rule.repo && r.binding_id === rule.binding_id && r.enabled);
  if (others) return 'stays';
  return rule.enabled ? 'removed' : 'none';
}
