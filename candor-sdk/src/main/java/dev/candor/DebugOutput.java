package dev.candor;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The {@code --debug-telemetry} channel: when on, every decision, recorded event and report is
 * printed to standard error with a {@code [candor]} prefix; when off, it does nothing at all.
 */
final class DebugOutput implements Consumer<String> {
    static final DebugOutput OFF = new DebugOutput(null);

    private final PrintStream err;

    private DebugOutput(PrintStream err) {
        this.err = err;
    }

    static DebugOutput to(PrintStream err) {
        return new DebugOutput(err);
    }

    boolean enabled() {
        return err != null;
    }

    @Override
    public void accept(String line) {
        if (err != null) {
            try {
                err.println("[candor] " + line);
            } catch (RuntimeException ignored) {
                // standard error is gone: nothing to tell
            }
        }
    }
}
