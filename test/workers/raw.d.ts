// Vite's `?raw` imports: the file's text, bundled at transform time (workerd has no file system).
declare module "*?raw" {
  const text: string;
  export default text;
}
