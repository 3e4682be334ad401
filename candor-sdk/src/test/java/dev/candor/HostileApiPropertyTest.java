package dev.candor;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Drives the whole public API with hostile arguments (nulls, empty and huge strings, unknown names,
 * odd Unicode, odd environments) and asserts that nothing ever throws into the host.
 */
class HostileApiPropertyTest {
    static final String HUGE_ASCII = "x".repeat(1 << 20);
    static final String HUGE_UNICODE = "\u00e9\uD83D\uDE00".repeat(100_000);

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.just(""),
                Arbitraries.of("command_run", "error", "input_size", "command", "success", "duration", "size", "type",
                        "count", "true", "<1KB", "--telemetry", "--no-telemetry", "--debug-telemetry", "--",
                        "telemetry", "status", "enable", "local", "disable", "show", "send", "--sent"),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(10),
                Arbitraries.of("\uD800", "\uDFFF", "e\u0301", "\u202Eevil", "😀", "\uFEFF", "../../etc/passwd", "${jndi:x}"),
                Arbitraries.of(HUGE_ASCII, HUGE_UNICODE));
    }

    @Provide
    Arbitrary<String[]> hostileArrays() {
        return Arbitraries.oneOf(Arbitraries.just(null), hostile().array(String[].class).ofMaxSize(8));
    }

    @Property(tries = 60)
    void nothingThrows(@ForAll("hostile") String a, @ForAll("hostile") String b, @ForAll("hostileArrays") String[] args,
                       @ForAll("hostileArrays") String[] pairs, @ForAll("hostile") String envValue) throws IOException {
        Path root = Files.createTempDirectory("candor-hostile");
        try {
            TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", envValue)
                    .set("ACME_TELEMETRY_DEBUG", b).set("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/v1/reports").set("DO_NOT_TRACK", a).set("XDG_CONFIG_HOME", b)
                    .property("os.name", a);
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertThatCode(() -> {
                Telemetry.withoutTelemetryFlags(args);
                TelemetryOptions.Builder builder = TelemetryOptions.builder().appVersion(a).installMethod(b).args(args)
                        .command(b).clock(null).classLoader(null).environment(env);
                if (a != null && a.startsWith("x") || a == HUGE_UNICODE) {
                    builder.catalogResource(a);
                } else {
                    builder.catalogResource("dev/candor/acme-catalog.json");
                }
                try (Telemetry t = Telemetry.start(builder.build())) {
                    exercise(t, a, b, args, pairs, sink);
                }
                Telemetry onTelemetry = Telemetry.start(TelemetryOptions.builder().args("--telemetry")
                        .catalogResource("dev/candor/acme-catalog.json").environment(env).build());
                exercise(onTelemetry, a, b, args, pairs, sink);
                onTelemetry.close();
                exercise(onTelemetry, a, b, args, pairs, sink); // after close, too
            }).doesNotThrowAnyException();
        } finally {
            deleteTree(root);
        }
    }

    private static void exercise(Telemetry t, String a, String b, String[] args, String[] pairs, PrintStream sink) {
        Counter c = t.counter(a, pairs);
        c.increment();
        c.add(-1);
        c.add(Long.MAX_VALUE);
        t.counter(a, (String[]) null).increment();
        t.counter("command_run", pairs).add(3);
        t.counter("input_size", "size", b).increment();
        Timing timing = t.time(a, pairs);
        timing.stop(pairs);
        timing.stop((String[]) null);
        t.time("command_run", "command", b).stop("success", a);
        t.error(null);
        t.error(new RuntimeException(a));
        t.error(new Error(b) {
            private static final long serialVersionUID = 1L;
        });
        t.statusLine();
        t.status().toString();
        t.mode();
        t.runCommand(sink, args);
        t.runCommand(null, (String[]) null);
        t.setMode(null, null);
        for (Mode m : List.of(Mode.LOCAL, Mode.OFF)) {
            t.setMode(m, sink);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException lateWrite) {
                    // a background thread that was just stopped wrote one more file; the OS cleans temp
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
