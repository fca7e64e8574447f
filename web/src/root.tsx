import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';

/** The app in the page, on the cache whose first reads main.tsx already started. */
export function renderApp(element: HTMLElement, queryClient: QueryClient): void {
  createRoot(element).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
