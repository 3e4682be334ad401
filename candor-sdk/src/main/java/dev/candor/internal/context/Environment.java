package dev.candor.internal.context;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Everything the SDK reads from the process it runs in: environment variables, system properties,
 * whether a person sits at a terminal, and the standard streams the first-run notice uses.
 * All of consent, paths and context read through this one interface so that tests control it
 * completely; {@link #system()} is the real process.
 */
public interface Environment {

    /** The environment variable's value, or {@code null} when it is not set. */
    String variable(String name);

    /** The system property's value, or {@code null} when it is not set. */
    String property(String name);

    /** True when standard input and output are a terminal a person can answer on. */
    boolean terminal();

    /** Standard input, read only to answer the first-run question. */
    InputStream input();

    /** Standard error: the first-run notice and debug output go there, never to standard output. */
    PrintStream errors();

    /** The real process: {@link System#getenv}, {@link System#getProperty}, the console and the standard streams. */
    static Environment system() {
        return SystemEnvironment.INSTANCE;
    }
}
