// highlight.js types its main entry and its languages, not the core-only entry the dashboard
// loads (so only the languages registered in highlight.ts end up in the bundle).
declare module 'highlight.js/lib/core' {
  import type { HLJSApi } from 'highlight.js';
  const hljs: HLJSApi;
  export default hljs;
}
