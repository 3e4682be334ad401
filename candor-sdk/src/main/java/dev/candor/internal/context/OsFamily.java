package dev.candor.internal.context;

import java.util.Locale;

/**
 * The operating system as a report names it (DESIGN §5): only the family, never a name or version.
 * The family also decides where the SDK keeps its files.
 */
public enum OsFamily {
    LINUX("linux"), MACOS("macos"), WINDOWS("windows"), OTHER("other");

    private final String wireName;

    OsFamily(String wireName) {
        this.wireName = wireName;
    }

    /** The value in a report's {@code context.os}. */
    public String wireName() {
        return wireName;
    }

    /** The family of a {@code os.name} system property value; {@code null} or unknown gives {@link #OTHER}. */
    public static OsFamily of(String osName) {
        if (osName == null) {
            return OTHER;
        }
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return LINUX;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return MACOS;
        }
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        return OTHER;
    }
}
