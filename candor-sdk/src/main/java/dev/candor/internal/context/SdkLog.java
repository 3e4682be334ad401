package dev.candor.internal.context;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;

/**
 * The SDK's {@link System.Logger} ({@code dev.candor}), obtained only when something is logged:
 * initializing the JDK's logging costs a command-line run 30 to 130 ms, so a run with nothing to
 * say never pays for it. Thread-safe; never throws.
 */
public final class SdkLog {
    /** Resources whose presence means the host routes {@code System.Logger} or JUL somewhere of its own. */
    static final String LOGGER_FINDER_SERVICE = "META-INF/services/java.lang.System$LoggerFinder";

    private SdkLog() {
    }

    /** Made at the first {@link #log} call (most runs never log), not when this class loads. */
    private static volatile System.Logger logger;

    private static System.Logger logger() {
        System.Logger l = logger;
        if (l == null) {
            l = System.getLogger("dev.candor"); // the JDK hands out one logger per name: a race makes no second one
            logger = l;
        }
        return l;
    }

    /** Warnings already logged by {@link #warnOnce}, made at its first call (guarded by the class). */
    private static java.util.Set<String> warned;

    /**
     * Logs {@code message} at WARNING unless this JVM logged the same message before: a setting read
     * several times in a run (at start, then by a {@code telemetry} command) is warned about once.
     */
    public static void warnOnce(String message) {
        synchronized (SdkLog.class) {
            if (warned == null) {
                warned = new java.util.HashSet<>();
            }
            if (!warned.add(message)) {
                return;
            }
        }
        log(Level.WARNING, message);
    }

    public static void log(Level level, String message) {
        try {
            logger().log(level, message);
        } catch (RuntimeException | LinkageError e) {
            // logging must never hurt the host
        }
    }

    public static void log(Level level, String message, Throwable error) {
        try {
            logger().log(level, message, error);
        } catch (RuntimeException | LinkageError e) {
            // logging must never hurt the host
        }
    }

    /**
     * True when the host configured logging, judged without initializing it: a JUL configuration
     * named by system property, or a {@code System.LoggerFinder} provider (such as log4j's or SLF4J's
     * platform-logging bridge) on the class path. Costs two property reads and one class-path lookup.
     */
    public static boolean hostConfiguredLogging(Environment env, ClassLoader loader) {
        try {
            if (env.property("java.util.logging.config.file") != null
                    || env.property("java.util.logging.config.class") != null) {
                return true;
            }
            Module sdk = SdkLog.class.getModule();
            if (loader == null && !sdk.isNamed() && SdkLog.class.getClassLoader() == ClassLoader.getSystemClassLoader()) {
                // The class path alone: ClassLoader.getResource would first search every module of the JDK's
                // runtime image (no JDK module provides a LoggerFinder this way), loading its image reader.
                try (InputStream in = sdk.getResourceAsStream(LOGGER_FINDER_SERVICE)) {
                    return in != null;
                }
            }
            ClassLoader l = loader != null ? loader : ClassLoader.getSystemClassLoader();
            return l != null && l.getResource(LOGGER_FINDER_SERVICE) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
