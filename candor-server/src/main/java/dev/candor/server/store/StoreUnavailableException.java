package dev.candor.server.store;

/**
 * Storage could not commit (disk full, read-only, locked, shutting down): the caller's batch was
 * not stored and may be sent again. The HTTP layer answers 503.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
