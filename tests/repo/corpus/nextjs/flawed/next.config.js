/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  productionBrowserSourceMaps: true, // expect: repo.debug-sourcemaps-next
};

module.exports = nextConfig;
// expect-file: repo.error-tracking-missing (only the browser is tracked: sentry.client.config.ts)
