// Actions shared by the bindings list and the detail screen. Each reports its outcome as a toast
// (errors with their code) and returns what happened; the `bindings-changed` event reloads lists.
import { get } from 'svelte/store';
import type { Binding, VerifyProgress, VerifyReport } from './api/bindings';
import { setDisabled, toApiError, verifyAll, verifyBinding, type ApiError } from './api/client';
import { locale, translate } from './i18n';
import { toastError, toastSuccess } from './toast';

function tr(key: Parameters<typeof translate>[1], params?: Record<string, string | number>): string {
  return translate(get(locale), key, params);
}

function reportError(prefix: string, error: ApiError): void {
  toastError(`${prefix} ${tr(`error.${error.code}`)}`, error.code);
}

/** Verifies one binding; a failed check is a report with `error`, a failed call throws. */
export async function verifyOne(binding: Binding, quiet = false): Promise<VerifyReport | null> {
  try {
    const report = await verifyBinding(binding.id);
    if (!quiet) {
      if (report.error) reportError(tr('actions.verify_failed', { login: binding.login }), report.error);
      else toastSuccess(tr('actions.verified', { login: binding.login, status: tr(`status.${report.status}`) }));
    }
    return report;
  } catch (reason) {
    if (!quiet) reportError(tr('actions.verify_failed', { login: binding.login }), toApiError(reason));
    return null;
  }
}

export function summarize(reports: Array<VerifyReport | null>): void {
  const ok = reports.filter((r) => r && !r.error).length;
  const failed = reports.length - ok;
  const firstError = reports.find((r) => r?.error)?.error ?? null;
  if (failed === 0) toastSuccess(tr('actions.verified_many', { count: ok }));
  else toastError(tr('actions.verified_some', { ok, failed }), firstError?.code ?? 'internal');
}

export async function verifyEverything(onProgress?: (p: VerifyProgress) => void): Promise<VerifyReport[] | null> {
  try {
    const reports = await verifyAll(onProgress);
    summarize(reports);
    return reports;
  } catch (reason) {
    reportError(tr('actions.verify_all_failed'), toApiError(reason));
    return null;
  }
}

export async function toggleDisabled(binding: Binding): Promise<Binding | null> {
  const disabled = !binding.disabled;
  try {
    const updated = await setDisabled(binding.id, disabled);
    toastSuccess(tr(disabled ? 'actions.disabled' : 'actions.enabled', { login: binding.login }));
    return updated;
  } catch (reason) {
    reportError(tr('actions.toggle_failed', { login: binding.login }), toApiError(reason));
    return null;
  }
}
