package dev.candor.internal.consent;

import dev.candor.Mode;
import java.util.Locale;

/**
 * Reads a mode from the words people write in variables and files: {@code 1|true|on|yes},
 * {@code 0|false|off|no} and {@code local}, in any case. A value it does not understand means
 * {@link Mode#OFF}: a setting the SDK cannot read never turns telemetry on.
 */
final class ModeSetting {
    private ModeSetting() {
    }

    /** The mode a non-blank value asks for; anything unrecognized is {@link Mode#OFF}. */
    static Mode parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1": case "true": case "on": case "yes":
                return Mode.ON;
            case "local":
                return Mode.LOCAL;
            default:
                return Mode.OFF;
        }
    }

    /** True when {@link #parse} knows the value (an unknown one is still off, but worth a warning). */
    static boolean isRecognized(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1": case "true": case "on": case "yes": case "local":
            case "0": case "false": case "off": case "no": case "disable": case "disabled":
                return true;
            default:
                return false;
        }
    }

    /** The value {@code telemetry enable|local|disable} writes to a file. */
    static String fileValue(Mode mode) {
        switch (mode) {
            case ON:
                return "true";
            case LOCAL:
                return "local";
            default:
                return "false";
        }
    }

    /**
     * A user-supplied value made safe to print in a status line: printable ASCII only, at most 32
     * characters; anything else becomes {@code ?}.
     */
    static String printable(String value) {
        String v = value.strip();
        StringBuilder out = new StringBuilder(Math.min(v.length(), 33));
        for (int i = 0; i < v.length() && out.length() < 32; i++) {
            char c = v.charAt(i);
            out.append(c >= 0x21 && c <= 0x7e ? c : '?');
        }
        if (v.length() > 32) {
            out.append('…');
        }
        return out.toString();
    }
}
