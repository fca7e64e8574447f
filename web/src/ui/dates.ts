/**
 * Dates as the inbox shows them (en-AU, the browser's time zone). One formatter each, made once: `toLocaleString` with
 * options builds a new Intl.DateTimeFormat on every call. The first one made loads the locale's data, which is slow;
 * main.tsx makes them while the app's code loads, so the first paint does not wait for it.
 */
let timeFormat: Intl.DateTimeFormat | undefined;
let dateFormat: Intl.DateTimeFormat | undefined;

const timeFormatter = () =>
  (timeFormat ??= new Intl.DateTimeFormat('en-AU', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }));
const dateFormatter = () =>
  (dateFormat ??= new Intl.DateTimeFormat('en-AU', { day: 'numeric', month: 'short', year: 'numeric' }));

/** "5 Dec, 11:04 pm" */
export function formatTime(iso: string): string {
  return timeFormatter().format(new Date(iso));
}

/** "5 Dec 2026" */
export function formatDate(iso: string): string {
  return dateFormatter().format(new Date(iso));
}

/** Makes both formatters now. */
export function prepareDateFormats(): void {
  timeFormatter();
  dateFormatter();
}
