import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

// Only these languages are bundled: the common ones of the repositories agents work on.
const LANGUAGES = { bash, c, cpp, css, dockerfile, go, ini, java, javascript, json, markdown, php, python, ruby, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

const BY_EXTENSION: Record<string, keyof typeof LANGUAGES> = {
  sh: 'bash', bash: 'bash', zsh: 'bash',
  c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp',
  css: 'css', scss: 'css',
  go: 'go',
  ini: 'ini', toml: 'ini', cfg: 'ini', conf: 'ini',
  java: 'java', kt: 'java',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  json: 'json', jsonc: 'json',
  md: 'markdown', markdown: 'markdown',
  php: 'php',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  sql: 'sql',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  html: 'xml', htm: 'xml', xml: 'xml', svg: 'xml', vue: 'xml',
  yml: 'yaml', yaml: 'yaml',
};

const BY_NAME: Record<string, keyof typeof LANGUAGES> = { dockerfile: 'dockerfile', makefile: 'bash', '.bashrc': 'bash', '.env': 'ini', '.gitconfig': 'ini' };

/** The language of a file from its name, or null for plain text. */
export function languageOf(path: string): string | null {
  const name = (path.split('/').pop() ?? '').toLowerCase();
  if (BY_NAME[name]) return BY_NAME[name];
  if (name.startsWith('dockerfile')) return 'dockerfile';
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  return BY_EXTENSION[name.slice(dot + 1)] ?? null;
}

/**
 * One line as highlighted HTML (highlight.js escapes the text itself). Lines are highlighted one
 * by one, so a string or comment spanning lines colours only its first line: a diff shows lines
 * out of their context anyway, and this keeps each row independent of the rows around it.
 */
export function highlightLine(text: string, language: string | null): string | null {
  if (!language || text.length > 2_000) return null;
  try {
    return hljs.highlight(text, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
}

/** Token colours from the theme tokens, so the code reads in light and dark. Put on the diff's container. */
export const HIGHLIGHT_CLASSES = [
  '[&_.hljs-keyword]:text-chart-1 [&_.hljs-type]:text-chart-1 [&_.hljs-selector-tag]:text-chart-1',
  '[&_.hljs-string]:text-chart-2 [&_.hljs-regexp]:text-chart-2 [&_.hljs-addition]:text-chart-2 [&_.hljs-symbol]:text-chart-2',
  '[&_.hljs-number]:text-chart-4 [&_.hljs-literal]:text-chart-4 [&_.hljs-attr]:text-chart-4 [&_.hljs-attribute]:text-chart-4 [&_.hljs-property]:text-chart-4',
  '[&_.hljs-title]:text-chart-3 [&_.hljs-section]:text-chart-3 [&_.hljs-name]:text-chart-3 [&_.hljs-tag]:text-chart-3',
  '[&_.hljs-comment]:text-muted [&_.hljs-comment]:italic [&_.hljs-quote]:text-muted [&_.hljs-meta]:text-muted',
].join(' ');
