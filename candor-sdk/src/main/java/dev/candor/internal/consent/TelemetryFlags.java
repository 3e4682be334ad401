package dev.candor.internal.consent;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line flags every Candor app understands: {@code --no-telemetry}, {@code --telemetry}
 * and {@code --debug-telemetry}. Scanning stops at {@code --} (what follows is the app's data, not
 * options). When both mode flags are given, {@code --no-telemetry} wins.
 */
public final class TelemetryFlags {
    public static final String NO_TELEMETRY = "--no-telemetry";
    public static final String TELEMETRY = "--telemetry";
    public static final String DEBUG = "--debug-telemetry";

    private final boolean off;
    private final boolean on;
    private final boolean debug;

    private TelemetryFlags(boolean off, boolean on, boolean debug) {
        this.off = off;
        this.on = on;
        this.debug = debug;
    }

    /** Scans {@code args}; {@code null} array or elements are skipped. */
    public static TelemetryFlags scan(String[] args) {
        boolean off = false;
        boolean on = false;
        boolean debug = false;
        if (args != null) {
            for (String arg : args) {
                if ("--".equals(arg)) {
                    break;
                }
                off |= NO_TELEMETRY.equals(arg);
                on |= TELEMETRY.equals(arg);
                debug |= DEBUG.equals(arg);
            }
        }
        return new TelemetryFlags(off, on, debug);
    }

    /** {@code args} without the three flags (before {@code --}), for apps that parse the rest themselves. */
    public static String[] strip(String[] args) {
        if (args == null) {
            return new String[0];
        }
        List<String> rest = new ArrayList<>(args.length);
        boolean options = true;
        for (String arg : args) {
            if ("--".equals(arg)) {
                options = false;
            }
            if (options && (NO_TELEMETRY.equals(arg) || TELEMETRY.equals(arg) || DEBUG.equals(arg))) {
                continue;
            }
            rest.add(arg);
        }
        return rest.toArray(new String[0]);
    }

    /** {@code --no-telemetry} was given. */
    public boolean off() {
        return off;
    }

    /** {@code --telemetry} was given. */
    public boolean on() {
        return on;
    }

    /** {@code --debug-telemetry} was given. */
    public boolean debug() {
        return debug;
    }
}
