import type { ServerResponse } from 'node:http';
import type { SandboxState } from './state';

/** What request handlers share: the state, plus deferred work the server must clean up on close. */
export interface ServerContext {
  state: SandboxState;
  /** Root folder of the page's static files. */
  pageDir: string;
  /** Keeps a response open without answering (hang faults); closed with the server. */
  hold(res: ServerResponse): void;
  /** Runs `fn` after `ms` real milliseconds unless the server closes first. */
  later(fn: () => void, ms: number): void;
}
