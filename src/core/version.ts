// The tool's name and version, written into meta.json. Injected at bundle time; falls back for tests run from source.
declare const __CHIMERAFORGE_VERSION__: string | undefined;
export const TOOL_NAME = 'chimeraforge';
export const TOOL_VERSION: string = typeof __CHIMERAFORGE_VERSION__ === 'string' ? __CHIMERAFORGE_VERSION__ : '0.1.0-dev';
