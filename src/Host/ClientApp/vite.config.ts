import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Host serves the build from src/Host/wwwroot/app (git-ignored); `npm run dev` proxies the API to a running Host.
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
});
