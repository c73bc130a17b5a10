// Shell quoting for the equivalent commands the wizards print.

/** One argument of an equivalent command, shell-quoted when it needs it. */
export const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
