import { lazy, Suspense, useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client } from './api/client';
import { queries } from './api/queries';
import { useLiveEvents } from './api/live';
import { SignIn } from './SignIn';
import { Inbox } from './Inbox';
import {
  FlaskConical,
  Hand,
  Inbox as InboxIcon,
  Keyboard,
  LifeBuoy,
  LogOut,
  MailWarning,
  PackageOpen,
  Settings as SettingsIcon,
  ShieldCheck,
} from 'lucide-react';
import { useShortcuts } from './ui/shortcuts';

// The shortcuts sheet (and the dialog library under it) is loaded the first time it is opened, not with the inbox; so
// is each page other than the inbox, the first time it is visited: a page opened on a conversation runs only its code.
const ShortcutsDialog = lazy(() => import('./ui/ShortcutsDialog').then((m) => ({ default: m.ShortcutsDialog })));
const HandoffQueue = lazy(() => import('./HandoffQueue').then((m) => ({ default: m.HandoffQueue })));
const Settings = lazy(() => import('./Settings').then((m) => ({ default: m.Settings })));
const FailedDeliveries = lazy(() => import('./FailedDeliveries').then((m) => ({ default: m.FailedDeliveries })));
const Approvals = lazy(() => import('./Approvals').then((m) => ({ default: m.Approvals })));
const ReturnsQueue = lazy(() => import('./ReturnsQueue').then((m) => ({ default: m.ReturnsQueue })));
const Simulations = lazy(() => import('./Simulations').then((m) => ({ default: m.Simulations })));

/** A nav count: " (3)" in the link's text (read by a screen reader), a pill on screen (drawn from data-n by CSS). */
function Count({ n }: { n: number }) {
  if (!n) return null;
  return (
    <>
      <span className="count" data-n={n} aria-hidden="true" />
      <span className="sr-only"> ({n})</span>
    </>
  );
}

/** Hash routes: #/ (inbox), #/c/<conversation id>, #/handoffs, #/returns, #/approvals, #/simulations, #/settings, #/failed (admins and agents). */
function useRoute(): [string, (to: string) => void] {
  const [hash, setHash] = useState(() => window.location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(window.location.hash || '#/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [
    hash,
    (to) => {
      window.location.hash = to;
    },
  ];
}

export function App() {
  const queryClient = useQueryClient();
  const session = useQuery(queries.session());
  const me = session.data;
  const [route, go] = useRoute();
  // How many customers wait in the handoff queue, and the conversations still to work on (the same cached read as
  // the inbox's view counts); kept current by the live events while signed in.
  const queued = useQuery({ ...queries.handoffs('queued'), enabled: !!me }).data?.length ?? 0;
  const openWork = useQuery({ ...queries.conversationCounts(), enabled: !!me }).data?.openWork ?? 0;
  useLiveEvents(!!me);
  // "?" shows the keyboard shortcuts (the inbox's own keys are bound by Inbox and ConversationView).
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useShortcuts({ '?': () => setShortcutsOpen(true) }, !!me);

  async function signOut() {
    await client.DELETE('/v1/session');
    queryClient.clear();
    queryClient.setQueryData(queries.session().queryKey, null);
    go('#/');
  }

  if (session.isPending)
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  // Only a 401 means "not signed in" (the query answers null); a server fault is shown as one.
  if (session.isError) {
    return (
      <main className="signin">
        <div role="alert" className="error">
          <h1>sopdesk could not be reached</h1>
          <p>{session.error instanceof ApiError ? session.error.message : 'The server did not answer.'}</p>
          <button type="button" onClick={() => void session.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (!me) return <SignIn onSignedIn={(m) => queryClient.setQueryData(queries.session().queryKey, m)} />;

  const conversationId = /^#\/c\/([\w]+)/.exec(route)?.[1];
  const onHandoffs = route.startsWith('#/handoffs');
  const onSettings = route.startsWith('#/settings');
  const seesFailed = me.role === 'admin' || me.role === 'agent';
  const onFailed = seesFailed && route.startsWith('#/failed');
  const onApprovals = route.startsWith('#/approvals');
  const onReturns = route.startsWith('#/returns');
  const onSimulations = route.startsWith('#/simulations');
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">
          <LifeBuoy size={18} aria-hidden />
          sopdesk
        </span>
        <nav aria-label="Main">
          <a
            href="#/"
            aria-current={
              !onHandoffs && !onSettings && !onFailed && !onApprovals && !onReturns && !onSimulations
                ? 'page'
                : undefined
            }
          >
            <InboxIcon size={16} aria-hidden />
            Inbox
            <Count n={openWork} />
          </a>
          <a href="#/handoffs" aria-current={onHandoffs ? 'page' : undefined}>
            <Hand size={16} aria-hidden />
            Handoff queue
            <Count n={queued} />
          </a>
          <a href="#/returns" aria-current={onReturns ? 'page' : undefined}>
            <PackageOpen size={16} aria-hidden />
            Returns
          </a>
          <a href="#/approvals" aria-current={onApprovals ? 'page' : undefined}>
            <ShieldCheck size={16} aria-hidden />
            Approvals
          </a>
          <a href="#/simulations" aria-current={onSimulations ? 'page' : undefined}>
            <FlaskConical size={16} aria-hidden />
            Simulations
          </a>
          <a href="#/settings" aria-current={onSettings ? 'page' : undefined}>
            <SettingsIcon size={16} aria-hidden />
            Settings
          </a>
          {seesFailed && (
            <a href="#/failed" aria-current={onFailed ? 'page' : undefined}>
              <MailWarning size={16} aria-hidden />
              Failed deliveries
            </a>
          )}
        </nav>
        <span className="me">
          Signed in as <strong>{me.name}</strong> ({me.role})
        </span>
        <button type="button" className="ghost" onClick={() => setShortcutsOpen(true)} aria-keyshortcuts="?">
          <Keyboard size={16} aria-hidden />
          <span className="sr-only">Keyboard shortcuts</span>
        </button>
        <button type="button" className="ghost" onClick={() => void signOut()}>
          <LogOut size={16} aria-hidden />
          Sign out
        </button>
        {shortcutsOpen && (
          <Suspense fallback={null}>
            <ShortcutsDialog open onOpenChange={setShortcutsOpen} />
          </Suspense>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense
          fallback={
            <p className="loading" role="status">
              Loading…
            </p>
          }
        >
          {onHandoffs ? (
            <HandoffQueue me={me} onOpen={(id) => go(`#/c/${id}`)} />
          ) : onSettings ? (
            <Settings me={me} />
          ) : onFailed ? (
            <FailedDeliveries />
          ) : onApprovals ? (
            <Approvals me={me} />
          ) : onReturns ? (
            <ReturnsQueue me={me} />
          ) : onSimulations ? (
            <Simulations me={me} />
          ) : (
            <Inbox me={me} conversationId={conversationId} onOpen={(id) => go(`#/c/${id}`)} />
          )}
        </Suspense>
      </main>
    </div>
  );
}
