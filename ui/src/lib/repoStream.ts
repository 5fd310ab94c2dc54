// One repository stream per binding, shared by whoever shows it (the repository list, the build
// rule dialog's repository picker): list_repos runs once while anyone is subscribed, and again
// only on reload() or after everyone has let go.
import type { Readable } from 'svelte/store';
import type { Repo } from './api/bindings';
import { listRepos, toApiError, type ApiError } from './api/client';

export type RepoStreamState = {
  repos: Repo[];
  /** `repos[i].full_name` lowercased, computed as pages arrive so searching never has to. */
  names: string[];
  /** The total once every page has arrived; null while streaming (or after an error). */
  total: number | null;
  error: ApiError | null;
};

export type RepoStream = Readable<RepoStreamState> & { reload: () => void };

const streams = new Map<string, RepoStream>();

export function repoStream(id: string): RepoStream {
  const existing = streams.get(id);
  if (existing) return existing;

  let value: RepoStreamState = { repos: [], names: [], total: null, error: null };
  const subscribers = new Set<(v: RepoStreamState) => void>();
  let generation = 0;

  function set(next: RepoStreamState) {
    value = next;
    for (const fn of subscribers) fn(value);
  }

  async function load() {
    const mine = ++generation;
    set({ repos: [], names: [], total: null, error: null });
    try {
      const total = await listRepos(id, (page) => {
        if (mine === generation) {
          const names = page.map((r) => r.full_name.toLowerCase());
          set({ ...value, repos: value.repos.concat(page), names: value.names.concat(names) });
        }
      });
      if (mine === generation) set({ ...value, total });
    } catch (reason) {
      if (mine === generation) set({ ...value, error: toApiError(reason) });
    }
  }

  const stream: RepoStream = {
    subscribe(fn) {
      subscribers.add(fn);
      fn(value);
      if (subscribers.size === 1) {
        streams.set(id, stream);
        load();
      }
      return () => {
        subscribers.delete(fn);
        if (subscribers.size === 0) {
          generation++;
          if (streams.get(id) === stream) streams.delete(id);
        }
      };
    },
    reload: load,
  };
  return stream;
}
