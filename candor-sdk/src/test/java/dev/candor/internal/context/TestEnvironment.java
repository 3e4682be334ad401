package dev.candor.internal.context;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link Environment} a test controls completely: a Linux machine whose HOME and administrator file
 * lie under a temporary folder, no terminal, empty standard input, and standard error captured.
 */
public final class TestEnvironment extends Environment {
    public final Map<String, String> variables = new HashMap<>();
    public final Map<String, String> properties = new HashMap<>();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private PrintStream errorStream = new PrintStream(errors, true, StandardCharsets.UTF_8);
    private boolean terminal;
    private InputStream input = new ByteArrayInputStream(new byte[0]);

    public TestEnvironment(Path root) {
        variables.put("HOME", root.resolve("home").toString());
        properties.put("os.name", "Linux");
        properties.put("os.arch", "amd64");
        properties.put("java.specification.version", "17");
        properties.put("user.home", root.resolve("passwd-home").toString());
        properties.put("candor.systemConfigFile", root.resolve("etc/candor/telemetry.properties").toString());
    }

    public TestEnvironment set(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    public TestEnvironment property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** Pretends a person sits at a terminal and will type {@code typed} (may be empty: never answers). */
    public TestEnvironment terminal(InputStream typed) {
        this.terminal = true;
        this.input = typed;
        return this;
    }

    /** Standard error closed ({@code 2>&-}): every write to it fails. */
    public TestEnvironment errorsClosed() {
        errorStream = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Bad file descriptor");
            }
        }, true, StandardCharsets.UTF_8);
        return this;
    }

    public String errorText() {
        return errors.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String variable(String name) {
        return variables.get(name);
    }

    @Override
    public String property(String name) {
        return properties.get(name);
    }

    @Override
    public boolean terminal() {
        return terminal;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public PrintStream errors() {
        return errorStream;
    }
}
