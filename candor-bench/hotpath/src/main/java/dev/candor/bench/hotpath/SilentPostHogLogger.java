package dev.candor.bench.hotpath;

import com.posthog.java.PostHogLogger;

/**
 * Drops PostHog's log lines: with its endpoint unreachable it logs every failed upload, which would fill
 * the benchmark's output without changing what the caller's thread pays.
 */
final class SilentPostHogLogger implements PostHogLogger {
    @Override public void debug(String message) { }
    @Override public void info(String message) { }
    @Override public void warn(String message) { }
    @Override public void error(String message) { }
    @Override public void error(String message, Throwable error) { }
}
