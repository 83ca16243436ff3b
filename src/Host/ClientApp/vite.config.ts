import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Host serves the build from src/Host/wwwroot/app (git-ignored); `npm run dev` proxies the API to a running Host.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../wwwroot/app',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    proxy: { '/api': 'http://localhost:5000' },
  },
});
