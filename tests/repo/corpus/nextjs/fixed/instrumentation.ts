import * as Sentry from '@sentry/nextjs';

// Server and edge runtimes: errors in route handlers reach the tracker, not just the browser's.
export function register() {
  Sentry.init({
    dsn: process.env.SENTRY_DSN,
    tracesSampleRate: 0.1,
    sendDefaultPii: false,
  });
}
