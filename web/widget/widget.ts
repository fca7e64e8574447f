/**
 * sopdesk's chat widget: `<script src="https://desk.example.com/widget.js" async></script>` on a storefront adds a
 * <sopdesk-chat> element (docs/chat-widget.md). Everything is inside its shadow root, so the store's CSS cannot reach
 * it. A visitor's token is kept in localStorage, so the conversation survives page loads.
 */
import {
  ApiError,
  pollingFeed,
  streamFeed,
  WidgetApi,
  type ChatMessage,
  type Identity,
  type ReplyFeed,
} from './api.js';
import { stringsFor, type Strings } from './strings.js';

const POLL_MS = 3000;

const CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;right:20px!important}
.w{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;text-align:left;letter-spacing:normal;text-transform:none;display:flex;flex-direction:column;align-items:flex-end}
*{box-sizing:border-box}
.launch{all:unset;cursor:pointer;display:flex;align-items:center;gap:8px;background:var(--accent);color:#fff;border-radius:24px;padding:12px 18px;font-weight:600;box-shadow:0 4px 16px rgba(0,0,0,.2)}
.launch:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.badge{background:#d93025;border-radius:10px;padding:0 7px;font-size:13px}
.panel{display:flex;flex-direction:column;width:min(370px,calc(100vw - 40px));height:min(540px,calc(100vh - 100px));background:#fff;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.25);overflow:hidden;margin-bottom:12px}
.panel[hidden]{display:none}
header{display:flex;align-items:center;justify-content:space-between;background:var(--accent);color:#fff;padding:12px 16px}
h2{font-size:16px;margin:0}
.x{all:unset;cursor:pointer;font-size:22px;line-height:1;padding:2px 8px;border-radius:4px}
ol{list-style:none;margin:0;padding:12px 16px;flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:8px}
li{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
li.visitor{align-self:flex-end;background:var(--accent);color:#fff}
li.support{align-self:flex-start;background:#f1f3f4}
.who{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.intro{color:#555;margin:0;padding:12px 16px 0}
form{display:flex;flex-direction:column;gap:6px;padding:12px 16px;border-top:1px solid #e0e0e0}
label{font-size:13px;font-weight:600}
.hint{font-size:12px;color:#555;margin:0}
input,textarea{font:inherit;width:100%;padding:8px;border:1px solid #8a8a8a;border-radius:6px;color:inherit;background:#fff}
textarea{resize:none;height:64px}
.send{all:unset;cursor:pointer;align-self:flex-end;background:var(--accent);color:#fff;border-radius:6px;padding:8px 16px;font-weight:600}
.send[disabled]{opacity:.6;cursor:default}
.error{color:#b3261e;font-size:13px;margin:0;min-height:1em}
`;

interface Stored {
  token: string;
}

const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

class SopdeskChat extends HTMLElement {
  private t!: Strings;
  private api!: WidgetApi;
  private feed!: ReplyFeed;
  private stopFeed: (() => void) | undefined;
  private storageKey = '';
  private identity: Identity | undefined;
  private seen = new Set<string>();
  private lastSeq = 0;
  private unread = 0;
  private readonly root = this.attachShadow({ mode: 'open' });
  private launcher!: HTMLButtonElement;
  private panel!: HTMLElement;
  private log!: HTMLOListElement;
  private emailRow!: HTMLElement;
  private email!: HTMLInputElement;
  private text!: HTMLTextAreaElement;
  private sendButton!: HTMLButtonElement;
  private error!: HTMLElement;

  /** Called once by the loader with the script tag's settings. */
  setup(base: string, data: DOMStringMap): void {
    this.t = stringsFor(data.locale || document.documentElement.lang || navigator.language || 'en', data);
    if (data.userHash && (data.userId || data.userEmail))
      this.identity = {
        hash: data.userHash,
        ...(data.userId ? { customerId: data.userId } : { email: data.userEmail! }),
      };
    // One conversation per person on this device: a customer who logs in or out gets their own.
    const who = this.identity ? (this.identity.customerId ?? this.identity.email) : 'visitor';
    this.storageKey = `sopdesk-chat:${base}:${who}`;
    this.api = new WidgetApi(base, this.load()?.token);
    // Replies come over the event stream; polling only when the stream cannot be kept open.
    this.feed = streamFeed(this.api, pollingFeed(this.api, Number(data.pollMs) || POLL_MS));
    this.style.setProperty('--accent', data.color ?? '#1f5fbf');
    this.render();
    if (this.api.token) this.listen();
  }

  private load(): Stored | undefined {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) ?? 'null') ?? undefined;
    } catch {
      return undefined;
    }
  }

  private save(token: string | undefined): void {
    try {
      if (token) localStorage.setItem(this.storageKey, JSON.stringify({ token } satisfies Stored));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage refused (private mode): the chat lasts as long as the page.
    }
  }

  private render(): void {
    const t = this.t;
    this.launcher = h('button', { class: 'launch', 'aria-expanded': 'false', 'aria-controls': 'sd-panel' }, t.open);
    this.launcher.addEventListener('click', () => this.toggle(this.launcher.getAttribute('aria-expanded') !== 'true'));
    this.log = h('ol', { 'aria-label': t.title, role: 'log', 'aria-live': 'polite', tabindex: '0' });
    this.email = h('input', { id: 'sd-email', type: 'email', autocomplete: 'email', 'aria-describedby': 'sd-hint' });
    this.emailRow = h(
      'div',
      {},
      h('label', { for: 'sd-email' }, t.email),
      this.email,
      h('p', { class: 'hint', id: 'sd-hint' }, t.emailHint),
    );
    this.emailRow.hidden = Boolean(this.api.token || this.identity);
    this.text = h('textarea', { id: 'sd-text', rows: '3' });
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    this.sendButton = h('button', { class: 'send', type: 'submit' }, t.send);
    this.error = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      {},
      this.emailRow,
      h('label', { for: 'sd-text' }, t.message),
      this.text,
      this.error,
      this.sendButton,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
    const close = h('button', { class: 'x', 'aria-label': t.close }, '×');
    close.addEventListener('click', () => this.toggle(false));
    this.panel = h(
      'section',
      { class: 'panel', id: 'sd-panel', role: 'dialog', 'aria-labelledby': 'sd-title' },
      h('header', {}, h('h2', { id: 'sd-title' }, t.title), close),
      h('p', { class: 'intro' }, t.intro),
      this.log,
      form,
    );
    this.panel.hidden = true;
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggle(false);
    });
    // Inherited text settings start again at .w: the page's CSS can reach the host element, not what is inside.
    this.root.append(h('style', {}, CSS), h('div', { class: 'w' }, this.panel, this.launcher));
  }

  private toggle(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.unread = 0;
      this.showUnread();
      (this.emailRow.hidden ? this.text : this.email).focus();
      this.log.scrollTop = this.log.scrollHeight;
    } else this.launcher.focus();
  }

  private showUnread(): void {
    const badge = this.unread
      ? [' ', h('span', { class: 'badge', 'aria-label': `${this.unread} ${this.t.unread}` }, String(this.unread))]
      : [];
    this.launcher.replaceChildren(this.t.open, ...badge);
  }

  private listen(): void {
    this.stopFeed?.();
    this.stopFeed = this.feed.start(
      this.lastSeq,
      (messages) => this.add(messages),
      (e) => {
        // The token is no longer known (the desk's data was reset): start over as a new visitor.
        if (e instanceof ApiError && e.reason === 'visitor_token_invalid') this.forget();
      },
    );
  }

  private forget(): void {
    this.stopFeed?.();
    this.stopFeed = undefined;
    this.api.token = undefined;
    this.save(undefined);
    this.emailRow.hidden = Boolean(this.identity);
  }

  private add(messages: ChatMessage[]): void {
    for (const m of messages) {
      this.lastSeq = Math.max(this.lastSeq, m.seq);
      if (this.seen.has(m.id)) continue;
      this.seen.add(m.id);
      const who = m.from === 'visitor' ? this.t.you : this.t.support;
      this.log.append(h('li', { class: m.from }, h('span', { class: 'who' }, `${who}: `), m.body));
      if (m.from === 'support' && this.panel.hidden) this.unread++;
    }
    this.showUnread();
    this.log.scrollTop = this.log.scrollHeight;
  }

  private async send(): Promise<void> {
    const body = this.text.value.trim();
    if (!body || this.sendButton.disabled) return;
    const first = !this.api.token;
    if (first && !this.identity && (!this.email.value || !this.email.checkValidity())) {
      this.error.textContent = this.t.invalidEmail;
      this.email.focus();
      return;
    }
    this.sendButton.disabled = true;
    this.sendButton.textContent = this.t.sending;
    this.error.textContent = '';
    try {
      const sent = await this.api.send(
        body,
        this.identity ? { identity: this.identity } : { email: this.email.value.trim() },
        crypto.randomUUID(),
      );
      if (sent.visitorToken) {
        this.save(sent.visitorToken);
        this.emailRow.hidden = true;
      }
      this.text.value = '';
      this.add([sent.message]);
      if (first) this.listen();
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'visitor_token_invalid') this.forget();
      this.error.textContent =
        e instanceof ApiError && e.code === 'rate_limited'
          ? this.t.tooMany
          : e instanceof ApiError && (e.code === 'forbidden' || e.code === 'unauthorized')
            ? this.t.unavailable
            : this.t.sendFailed;
    } finally {
      this.sendButton.disabled = false;
      this.sendButton.textContent = this.t.send;
      this.text.focus();
    }
  }
}

const script = document.currentScript as HTMLScriptElement | null;
if (script && !customElements.get('sopdesk-chat')) {
  customElements.define('sopdesk-chat', SopdeskChat);
  const chat = document.createElement('sopdesk-chat') as SopdeskChat;
  chat.setup((script.dataset.api ?? new URL(script.src).origin).replace(/\/+$/, ''), script.dataset);
  const mount = () => document.body.append(chat);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
}
