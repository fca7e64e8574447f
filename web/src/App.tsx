import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, get } from './api';
import type { Me } from './types';
import { SignIn } from './SignIn';
import { Inbox } from './Inbox';
import { HandoffQueue } from './HandoffQueue';
import { Settings } from './Settings';
import { FailedDeliveries } from './FailedDeliveries';

/** Hash routes: #/ (inbox), #/c/<conversation id>, #/handoffs, #/settings, #/failed (admins and agents). */
function useRoute(): [string, (to: string) => void] {
  const [hash, setHash] = useState(() => window.location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(window.location.hash || '#/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [hash, (to) => { window.location.hash = to; }];
}

/** How many customers wait in the handoff queue; refreshed every 15 s while signed in. */
function useQueuedCount(active: boolean): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!active) return;
    const load = () => get<{ handoffs: unknown[] }>('/v1/handoffs?status=queued').then((r) => setN(r.handoffs.length), () => {});
    void load();
    const t = setInterval(load, 15_000);
    return () => clearInterval(t);
  }, [active]);
  return n;
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [route, go] = useRoute();

  useEffect(() => {
    get<Me>('/v1/session').then(setMe, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else setMe(null);
    });
  }, []);

  const signOut = useCallback(async () => {
    await api('DELETE', '/v1/session');
    setMe(null);
    go('#/');
  }, [go]);

  const queued = useQueuedCount(!!me);
  if (me === undefined) return <p className="loading" role="status">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={setMe} />;

  const conversationId = /^#\/c\/([\w]+)/.exec(route)?.[1];
  const onHandoffs = route.startsWith('#/handoffs');
  const onSettings = route.startsWith('#/settings');
  const seesFailed = me.role === 'admin' || me.role === 'agent';
  const onFailed = seesFailed && route.startsWith('#/failed');
  return (
    <div className="app">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">sopdesk</span>
        <nav aria-label="Main">
          <a href="#/" aria-current={!onHandoffs && !onSettings && !onFailed ? 'page' : undefined}>Inbox</a>
          <a href="#/handoffs" aria-current={onHandoffs ? 'page' : undefined}>Handoff queue{queued ? ` (${queued})` : ''}</a>
          <a href="#/settings" aria-current={onSettings ? 'page' : undefined}>Macros &amp; templates</a>
          {seesFailed && <a href="#/failed" aria-current={onFailed ? 'page' : undefined}>Failed deliveries</a>}
        </nav>
        <span className="me">Signed in as <strong>{me.name}</strong> ({me.role})</span>
        <button type="button" onClick={() => void signOut()}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        {onHandoffs ? <HandoffQueue me={me} onOpen={(id) => go(`#/c/${id}`)} />
          : onSettings ? <Settings me={me} />
          : onFailed ? <FailedDeliveries />
          : <Inbox me={me} conversationId={conversationId} onOpen={(id) => go(`#/c/${id}`)} />}
      </main>
    </div>
  );
}
