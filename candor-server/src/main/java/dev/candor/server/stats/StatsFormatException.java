package dev.candor.server.stats;

/** A stats or ledger document that does not have the contract's shape; the message says where. */
public final class StatsFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StatsFormatException(String message) {
        super(message);
    }
}
