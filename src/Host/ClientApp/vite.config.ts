import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Host serves the build from src/Host/wwwroot/app (git-ignored); `npm run dev` proxies the API to a running Host.
// `npm test` runs the unit tests (src/**/*.test.ts) with vitest, in Beijing time like the platform's users.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../wwwroot/app',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Libraries change less often than our pages: separate files stay in the browser's cache across releases.
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom'],
          antd: ['antd', '@ant-design/icons', 'dayjs'],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:5000' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    env: { TZ: 'Asia/Shanghai' },
  },
});
