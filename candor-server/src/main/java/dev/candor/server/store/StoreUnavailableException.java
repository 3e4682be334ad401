package dev.candor.server.store;

/**
 * Storage could not commit (disk full, read-only, locked, shutting down): the caller's batch was
 * not stored and may be sent again. The HTTP layer answers 503.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean databaseGone;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.databaseGone = false;
    }

    public StoreUnavailableException(String message) {
        this(message, false);
    }

    private StoreUnavailableException(String message, boolean databaseGone) {
        super(message);
        this.databaseGone = databaseGone;
    }

    /**
     * The database file was deleted or replaced while the store was open: nothing can be stored until the
     * collector is restarted. The store has logged it once, so callers need not log it again per request.
     */
    public static StoreUnavailableException databaseGone(String message) {
        return new StoreUnavailableException(message, true);
    }

    /** Whether this is {@link #databaseGone(String)}'s failure. */
    public boolean databaseGone() {
        return databaseGone;
    }
}
