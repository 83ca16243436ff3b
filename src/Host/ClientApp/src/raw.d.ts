// Vite's `?raw` imports (a file's text), used by the unit tests to read what the server declares.
declare module '*?raw' {
  const text: string;
  export default text;
}
