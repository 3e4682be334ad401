package dev.candor.bench.process;

/**
 * What the tiny app's collector does, as seen from the app. Every condition is on the loopback interface.
 */
public enum NetworkCondition {
    /** A collector that answers every request at once with success. */
    UP("collector answers"),
    /** Nothing listens on the port: connections are refused at once, as when the collector is down. */
    DOWN("collector down (connection refused)"),
    /** A server accepts the connection and never answers, as a collector stuck behind a broken proxy. */
    HANG("collector accepts, never answers");

    private final String description;

    NetworkCondition(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
