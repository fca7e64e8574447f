/** The one way the UI talks to the server: same-origin fetch with the session cookie. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
    readonly policy?: string,
    /** For a 400 (invalid_argument): every field at fault, by its dotted path (`items.0.quantity`). */
    readonly fields: { path: string; message: string }[] = [],
    /** For a 422 about one entered item: that item (an order line id). */
    readonly itemId?: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; reason?: string; policy?: string; fields?: unknown; itemId?: unknown } } | null)?.error ?? {};
    const fields = Array.isArray(e.fields)
      ? e.fields.filter((f): f is { path: string; message: string } => typeof f === 'object' && f !== null && typeof (f as { path?: unknown }).path === 'string')
        .map((f) => ({ path: f.path, message: typeof f.message === 'string' ? f.message : '' }))
      : [];
    throw new ApiError(res.status, e.code ?? 'error', e.message ?? `${res.status} ${res.statusText}`, e.reason, e.policy, fields, typeof e.itemId === 'string' ? e.itemId : undefined);
  }
  return json as T;
}

export const get = <T,>(path: string) => api<T>('GET', path);

export function formatMoney(minor: number, currency: string): string {
  const exp = ['JPY', 'KRW', 'VND'].includes(currency) ? 0 : 2;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: exp }).format(minor / 10 ** exp);
  } catch {
    return `${currency} ${(minor / 10 ** exp).toFixed(exp)}`;
  }
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString('en-AU', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-AU', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function newKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}
