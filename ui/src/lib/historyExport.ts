// Exports history events as CSV (RFC 4180: CRLF line ends, a header row, fields quoted when they
// hold a comma, quote, CR or LF, quotes doubled) or JSON, and saves them through a Blob link.
import type { Binding, HistoryEvent } from './api/bindings';

export const COLUMNS = ['id', 'at', 'kind', 'binding_id', 'provider', 'host', 'login', 'detail'] as const;

export type ExportRow = {
  id: number;
  at: string;
  kind: string;
  binding_id: string;
  provider: string | null;
  host: string | null;
  login: string | null;
  detail: unknown;
};

export function exportRows(events: HistoryEvent[], bindings: Map<string, Binding>): ExportRow[] {
  return events.map((e) => {
    const b = bindings.get(e.binding_id);
    return {
      id: e.id,
      at: e.at,
      kind: e.kind,
      binding_id: e.binding_id,
      provider: b?.provider ?? null,
      host: b?.host ?? null,
      login: b?.login ?? null,
      detail: e.detail ?? null,
    };
  });
}

export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: ExportRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) lines.push(COLUMNS.map((c) => csvField(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function toJson(rows: ExportRow[]): string {
  return JSON.stringify(rows, null, 2) + '\n';
}

/** `codebind-history-2025-06-02.csv`, in local time. */
export function exportName(ext: 'csv' | 'json', now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `codebind-history-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${ext}`;
}

/** Saves `text` as a file through a temporary Blob link. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
