/** A mistake in the command line itself; printed as it is. */
export class CliUsageError extends Error {}
