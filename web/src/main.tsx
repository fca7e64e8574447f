/**
 * The page's entry, kept small: it starts the reads the first screen needs (api/queries.ts, startFirstReads) and
 * loads the app (React and the screens, ./root, asked for by the page beside this file) at the same time, so the
 * server answers while the browser loads and runs the app's code. The app is drawn once those reads have answered: a
 * conversation's orders are asked for as soon as the conversation is read, not after a first render that would hold
 * the thread.
 */
import { newQueryClient, startFirstReads } from './api/queries';
import { prepareDateFormats } from './ui/dates';
// Inter, served with the app (no font host): only the subsets a page's text needs are fetched (unicode-range).
import '@fontsource-variable/inter/wght.css';
import './styles.css';

/** A slow server does not keep the page on "Loading…": past this, the app is drawn with what it has. */
const FIRST_READS_WAIT_MS = 1_000;

const queryClient = newQueryClient();
const firstReads = startFirstReads(queryClient, window.location.hash);
const element = document.getElementById('root')!;
Promise.all([
  import('./root'),
  Promise.race([firstReads, new Promise((resolve) => setTimeout(resolve, FIRST_READS_WAIT_MS))]),
]).then(
  ([app]) => app.renderApp(element, queryClient),
  () => {
    element.textContent = 'sopdesk could not be loaded. Reload the page to try again.';
  },
);
// While the reads are out and the app's code loads (the thread is idle until then), not during the first render.
setTimeout(prepareDateFormats);
