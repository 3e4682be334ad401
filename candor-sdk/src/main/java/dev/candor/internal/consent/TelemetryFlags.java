package dev.candor.internal.consent;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line flags every Candor app understands: {@code --no-telemetry}, {@code --telemetry}
 * and {@code --debug-telemetry}. Scanning stops at {@code --} (what follows is the app's data, not
 * options). When both mode flags are given, {@code --no-telemetry} wins.
 *
 * <p>Each flag may carry a value, as picocli allows for a boolean option ({@code --no-telemetry=true}):
 * {@code 1|true|on|yes} (any case) is the flag, {@code 0|false|off|no} its absence. Any other value never
 * leaves telemetry on against the user's wish: {@code --no-telemetry=x} and {@code --telemetry=x} are both
 * off (the status line names the flag as typed: {@code disabled by --telemetry=x}), {@code --debug-telemetry=x}
 * prints. {@link #strip} removes every form of the three flags.
 */
public final class TelemetryFlags {
    public static final String NO_TELEMETRY = "--no-telemetry";
    public static final String TELEMETRY = "--telemetry";
    public static final String DEBUG = "--debug-telemetry";

    /** The flag that turned telemetry off, as the status line names it; null when none did. */
    private final String offBy;
    private final boolean on;
    private final boolean debug;

    private TelemetryFlags(String offBy, boolean on, boolean debug) {
        this.offBy = offBy;
        this.on = on;
        this.debug = debug;
    }

    /** Scans {@code args}; {@code null} array or elements are skipped. */
    public static TelemetryFlags scan(String[] args) {
        String offBy = null;
        boolean on = false;
        boolean debug = false;
        if (args != null) {
            for (String arg : args) {
                if ("--".equals(arg)) {
                    break;
                }
                if (value(arg, NO_TELEMETRY) > 0) {
                    offBy = NO_TELEMETRY; // named as such whatever else was given
                }
                int onFlag = value(arg, TELEMETRY);
                if (onFlag == OTHER && offBy == null) {
                    offBy = shortened(arg.strip());
                }
                on |= onFlag == GIVEN;
                debug |= value(arg, DEBUG) > 0;
            }
        }
        return new TelemetryFlags(offBy, on, debug);
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
            if (options && (value(arg, NO_TELEMETRY) >= 0 || value(arg, TELEMETRY) >= 0 || value(arg, DEBUG) >= 0)) {
                continue;
            }
            rest.add(arg);
        }
        return rest.toArray(new String[0]);
    }

    private static final int GIVEN = 1;
    private static final int OTHER = 2;

    /**
     * What {@code arg} says of the flag {@code name}: -1 not this flag, 0 a false-like value ({@code
     * --flag=false}), {@link #GIVEN} the flag alone or with a true-like value, {@link #OTHER} another value.
     */
    private static int value(String arg, String name) {
        if (arg == null || !arg.startsWith(name)) {
            return -1;
        }
        if (arg.length() == name.length()) {
            return GIVEN;
        }
        if (arg.charAt(name.length()) != '=') {
            return -1; // --telemetry-foo, or --telemetry as the start of --telemetryx: another option
        }
        String v = arg.substring(name.length() + 1).strip().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("1") || v.equals("true") || v.equals("on") || v.equals("yes")) {
            return GIVEN;
        }
        return v.equals("0") || v.equals("false") || v.equals("off") || v.equals("no") ? 0 : OTHER;
    }

    /** {@code --no-telemetry} was given, or {@code --telemetry} with a value that is neither yes nor no. */
    public boolean off() {
        return offBy != null;
    }

    /**
     * The flag that turned telemetry off, for the status line: {@code --no-telemetry} in any of its forms, else the
     * {@code --telemetry=<value>} the user typed (its first 40 characters, on one line); null when {@link #off} is false.
     */
    public String offBy() {
        return offBy;
    }

    /** {@code arg} as one short line: its first 40 characters, control characters (a line break) as '?'. */
    private static String shortened(String arg) {
        StringBuilder line = new StringBuilder(Math.min(arg.length(), 40));
        for (int i = 0; i < arg.length() && i < 40; i++) {
            char c = arg.charAt(i);
            line.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (arg.length() > 40) {
            line.setLength(39);
            line.append('\u2026');
        }
        return line.toString();
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
