package dev.candor.server.docs;

import dev.candor.internal.context.Environment;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** An {@link Environment} made of two maps, so a test can ask the SDK what it does on any machine. */
final class MapEnvironment extends Environment {

    private final Map<String, String> variables = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();

    MapEnvironment variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    MapEnvironment property(String name, String value) {
        properties.put(name, value);
        return this;
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
        return false;
    }

    @Override
    public InputStream input() {
        return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public PrintStream errors() {
        return System.err;
    }
}
