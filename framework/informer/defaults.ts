/** Informer defaults. */

/**
 * Objects waiting for one handler above which a warning is logged (client-go's listener buffer
 * starts at 1024). The buffer never drops anything: see `Listener`.
 */
export const defaultHandlerBufferSize = 1024;

/** Shortest resync period a handler may ask for: 1 s (client-go `minimumResyncPeriod`). */
export const minimumResyncPeriodMs = 1000;
