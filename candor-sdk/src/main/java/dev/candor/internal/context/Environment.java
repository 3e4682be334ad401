package dev.candor.internal.context;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;

/**
 * Everything the SDK reads from the process it runs in: environment variables, system properties,
 * whether a person sits at a terminal, and the standard streams the first-run notice uses. All of
 * consent, paths and context read through this one class so that tests control it completely: a test
 * overrides its methods; {@link #system()} is the real process.
 *
 * <p>A class whose methods read the running JVM, not an interface with a separate implementation: every
 * app start loads it, and each class the SDK loads at start costs a few tenths of a millisecond on a cold
 * JVM. Reading never throws: a value a security manager hides reads as unset, and a console that cannot be
 * inspected counts as no terminal.
 */
public class Environment {
    private static final Environment SYSTEM = new Environment();
    /** Every value {@link #osFamily()} gives, as the generated docs list them. */
    public static final List<String> OS_FAMILIES = List.of("linux", "macos", "windows", "other");

    /** For a test's own environment; the SDK itself uses {@link #system()}. */
    protected Environment() {
    }

    /** The real process: {@link System#getenv}, {@link System#getProperty}, the console and the standard streams. */
    public static Environment system() {
        return SYSTEM;
    }

    /** The environment variable's value, or {@code null} when it is not set. */
    public String variable(String name) {
        try {
            return System.getenv(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The system property's value, or {@code null} when it is not set. */
    public String property(String name) {
        try {
            return System.getProperty(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * True when standard input and output are a terminal a person can answer on. Up to Java 21, {@link
     * System#console()} is non-null only when stdin and stdout are a terminal. From Java 22 it may exist for
     * redirected streams too, and {@code Console.isTerminal()} (looked up reflectively, since the SDK
     * compiles for Java 11) says whether it really is one.
     */
    public boolean terminal() {
        try {
            Console console = System.console();
            if (console == null) {
                return false;
            }
            Method isTerminal;
            try {
                isTerminal = Console.class.getMethod("isTerminal");
            } catch (NoSuchMethodException olderJava) {
                return true;
            }
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The operating system as a report names it (DESIGN §5): only the family ({@code linux}, {@code macos},
     * {@code windows} or {@code other}), never a name or version. The family also decides where the SDK
     * keeps its files.
     */
    public final String osFamily() {
        return osFamily(property("os.name"));
    }

    /** The family of a {@code os.name} system property value; {@code null} or unknown gives {@code other}. */
    public static String osFamily(String osName) {
        if (osName == null) {
            return "other";
        }
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "macos";
        }
        return name.startsWith("windows") ? "windows" : "other";
    }

    /** Standard input, read only to answer the first-run question. */
    public InputStream input() {
        return System.in;
    }

    /** Standard error: the first-run notice and debug output go there, never to standard output. */
    public PrintStream errors() {
        return System.err;
    }
}
