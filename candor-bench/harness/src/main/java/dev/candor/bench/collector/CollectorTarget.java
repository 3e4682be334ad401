package dev.candor.bench.collector;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A server the load generator measures: how to start it on a port, and whether its answers report what
 * it accepted (the real collector's do; the no-op ceiling's do not).
 */
interface CollectorTarget {
    /** Short name used in JSON and BENCHMARKS.md. */
    String key();

    /** What BENCHMARKS.md calls it. */
    String title();

    /** Why it cannot be measured in this checkout, or empty when it can. */
    Optional<String> unavailableBecause();

    /** The command line that starts it listening on 127.0.0.1:{@code port}, keeping its data in {@code dataDir}. */
    List<String> command(int port, Path dataDir);

    /** Whether a 202 answer names the number of reports accepted, to be checked against what was sent. */
    boolean reportsAccepted();
}
