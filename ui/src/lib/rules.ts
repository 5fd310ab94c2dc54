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

/** Whether removing `rule` leaves its repository without rules (so its webhook goes too). */
export function isLastOnRepo(rule: BuildRule, rules: BuildRule[]): boolean {
  return !rules.some((r) => r.id !== rule.id && r.repo === rule.repo && r.binding_id === rule.binding_id);
}
