import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client } from './api/client';
import { queries } from './api/queries';
import { useLiveEvents } from './api/live';
import { SignIn } from './SignIn';
import { Inbox } from './Inbox';
import { HandoffQueue } from './HandoffQueue';
import { Settings } from './Settings';
import { FailedDeliveries } from './FailedDeliveries';
import { Approvals } from './Approvals';
import { ReturnsQueue } from './ReturnsQueue';
import { Simulations } from './Simulations';

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
        <span className="brand">sopdesk</span>
        <nav aria-label="Main">
          <a
            href="#/"
            aria-current={
              !onHandoffs && !onSettings && !onFailed && !onApprovals && !onReturns && !onSimulations
                ? 'page'
                : undefined
            }
          >
            Inbox{openWork ? ` (${openWork})` : ''}
          </a>
          <a href="#/handoffs" aria-current={onHandoffs ? 'page' : undefined}>
            Handoff queue{queued ? ` (${queued})` : ''}
          </a>
          <a href="#/returns" aria-current={onReturns ? 'page' : undefined}>
            Returns
          </a>
          <a href="#/approvals" aria-current={onApprovals ? 'page' : undefined}>
            Approvals
          </a>
          <a href="#/simulations" aria-current={onSimulations ? 'page' : undefined}>
            Simulations
          </a>
          <a href="#/settings" aria-current={onSettings ? 'page' : undefined}>
            Settings
          </a>
          {seesFailed && (
            <a href="#/failed" aria-current={onFailed ? 'page' : undefined}>
              Failed deliveries
            </a>
          )}
        </nav>
        <span className="me">
          Signed in as <strong>{me.name}</strong> ({me.role})
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
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
      </main>
    </div>
  );
}
