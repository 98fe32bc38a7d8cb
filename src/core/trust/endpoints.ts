// Workspace Trust for endpoints (docs/RELIABILITY.md "Trust rules"): an experiment file in an untrusted
// folder must not send prompts (and the files they quote) to a server of its choosing. Loopback endpoints
// stay on this machine; any other needs the user's confirmation.
import { isIP } from 'node:net';

/** Whether an endpoint URL's host is this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || /^::ffff:7f[0-9a-f]{2}:/.test(bare);
  return false;
}

/** The endpoints (name → URL) that leave this machine, in the order given. */
export function remoteEndpoints(endpoints: Readonly<Record<string, string>>): { name: string; url: string }[] {
  return Object.entries(endpoints).filter(([, url]) => !isLoopbackUrl(url)).map(([name, url]) => ({ name, url }));
}
