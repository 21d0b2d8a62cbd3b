// The reader's language, in a module without React so that pure modules (format.ts) and the server's
// test runner can import it.
export type Lang = 'zh-CN' | 'en';
