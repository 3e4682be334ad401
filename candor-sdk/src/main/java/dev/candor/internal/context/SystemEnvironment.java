package dev.candor.internal.context;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * The {@link Environment} of the running JVM. Reading never throws: a value a security manager
 * hides reads as unset, and a console that cannot be inspected counts as no terminal.
 */
final class SystemEnvironment implements Environment {
    static final SystemEnvironment INSTANCE = new SystemEnvironment();

    private SystemEnvironment() {
    }

    @Override
    public String variable(String name) {
        try {
            return System.getenv(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String property(String name) {
        try {
            return System.getProperty(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Up to Java 21, {@link System#console()} is non-null only when stdin and stdout are a terminal.
     * From Java 22 it may exist for redirected streams too, and {@code Console.isTerminal()} (looked up
     * reflectively, since the SDK compiles for Java 11) says whether it really is one.
     */
    @Override
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

    @Override
    public InputStream input() {
        return System.in;
    }

    @Override
    public PrintStream errors() {
        return System.err;
    }
}
