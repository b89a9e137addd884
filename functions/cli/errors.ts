/** A mistake the user can fix by changing the command line or a file it names. */
export class UsageError extends Error {}
