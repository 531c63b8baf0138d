/** Thrown inside a commit when an instance changed since it was read; the engine decides the command again. */
export class StaleInstance extends Error {}

/** Thrown inside a commit when the timer it fires was fired (or cancelled) by someone else first: the step is void. */
export class TimerAlreadyHandled extends Error {}
