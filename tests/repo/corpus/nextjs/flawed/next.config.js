/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  productionBrowserSourceMaps: true, // expect: repo.debug-sourcemaps-next
};

module.exports = nextConfig;
