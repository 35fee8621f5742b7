// A listen address the machine refuses is the operator's setting to change: the error names the variable
// (WEB_LISTEN, SIP_LISTEN) and says what to do, instead of the socket call's "listen EADDRINUSE".
import { ConfigError } from './config.js';

const reasons: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is in use by another process: stop it, or choose another port',
  EACCES: 'may not be opened by this user: a port below 1024 needs root or CAP_NET_BIND_SERVICE',
  EADDRNOTAVAIL: 'is not an address of this machine: use one of its own addresses, or 0.0.0.0 for all',
};

/** `error` as a ConfigError naming `variable` when binding `address` failed for a reason the operator can fix. */
export function listenSettingError(variable: string, address: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = code === undefined ? undefined : reasons[code];
  if (reason === undefined) return error;
  return Object.assign(new ConfigError([{ variable, message: `${address} ${reason}` }]), { cause: error });
}
