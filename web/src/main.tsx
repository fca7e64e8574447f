import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { newQueryClient, prefetchOpenConversation } from './api/queries';
// Inter, served with the app (no font host): only the subsets a page's text needs are fetched (unicode-range).
import '@fontsource-variable/inter/wght.css';
import './styles.css';

const queryClient = newQueryClient();
prefetchOpenConversation(queryClient, window.location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
