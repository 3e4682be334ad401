package dev.candor.examples.acme;

import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import dev.candor.Timing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Acme, a small file toolkit, and the example of how an app embeds Candor: start telemetry first in
 * {@code main}, show its status line in {@code --version} and {@code --help}, time every command,
 * count errors by type, and hand {@code acme telemetry …} to the SDK. Exit codes: 0 done, 1 the
 * command failed, 2 usage error.
 */
public final class Acme {
    static final String VERSION = "2.0.0";
    private static final String USAGE = String.join(System.lineSeparator(),
            "Usage: acme [--no-telemetry] [--debug-telemetry] COMMAND",
            "",
            "  count FILE              lines, words and bytes of FILE",
            "  hash FILE               the SHA-256 of FILE",
            "  convert IN.csv OUT.json CSV with a header row to a JSON array of objects",
            "  telemetry status|enable|local|disable|show [--sent]|send|what",
            "                          see and choose what acme's telemetry does",
            "  --version, --help");

    private Acme() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String[] rest = Telemetry.withoutTelemetryFlags(args);
        String command = rest.length == 0 ? "--help" : rest[0];
        boolean managing = command.equals("telemetry") && rest.length > 1 && !rest[1].equals("status");
        TelemetryOptions.Builder options = TelemetryOptions.builder()
                .appVersion(VERSION)
                .installMethod(System.getProperty("acme.installMethod"))
                .args(args);
        if (managing) {
            options.forTelemetryCommand();
        }
        try (Telemetry telemetry = Telemetry.start(options.build())) {
            switch (command) {
                case "--version":
                    out.println("acme " + VERSION);
                    out.println(telemetry.statusLine());
                    return 0;
                case "--help":
                case "-h":
                case "help":
                    out.println(USAGE);
                    out.println();
                    out.println(telemetry.statusLine());
                    return rest.length == 0 ? 2 : 0;
                case "telemetry":
                    return telemetry.runCommand(out, Arrays.copyOfRange(rest, 1, rest.length));
                case "count":
                case "hash":
                case "convert":
                    return runFileCommand(telemetry, command, Arrays.copyOfRange(rest, 1, rest.length), out, err);
                default:
                    err.println("acme: unknown command \"" + command + "\"");
                    err.println(USAGE);
                    return 2;
            }
        }
    }

    private static int runFileCommand(Telemetry telemetry, String command, String[] operands, PrintStream out,
                                      PrintStream err) {
        int expected = command.equals("convert") ? 2 : 1;
        if (operands.length != expected) {
            err.println("acme " + command + ": expected " + (expected == 1 ? "FILE" : "IN.csv OUT.json")
                    + ", got " + operands.length + (operands.length == 1 ? " argument" : " arguments"));
            err.println(USAGE);
            return 2;
        }
        Timing timing = telemetry.time("command_run", "command", command);
        boolean success = false;
        try {
            Path input = Paths.get(operands[0]);
            telemetry.counter("input_size", "size", sizeBucket(Files.size(input))).increment();
            switch (command) {
                case "count": {
                    FileStats stats = FileStats.count(input);
                    out.println(stats.lines + " " + stats.words + " " + stats.bytes + " " + operands[0]);
                    break;
                }
                case "hash":
                    out.println(FileStats.sha256(input) + "  " + operands[0]);
                    break;
                default: {
                    String csv = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(input))).toString();
                    Files.write(Paths.get(operands[1]),
                            CsvToJson.convert(csv, operands[0]).getBytes(StandardCharsets.UTF_8));
                    break;
                }
            }
            success = true;
            return 0;
        } catch (IOException | CsvToJson.CsvException | RuntimeException e) {
            telemetry.error(e);
            err.println("acme " + command + ": " + describe(e));
            return 1;
        } finally {
            timing.stop("success", String.valueOf(success));
        }
    }

    /** The catalog's {@code input_size} buckets. */
    static String sizeBucket(long bytes) {
        if (bytes < 1024) {
            return "<1KB";
        }
        if (bytes < 1024L * 1024) {
            return "1KB-1MB";
        }
        return bytes < 100L * 1024 * 1024 ? "1MB-100MB" : ">100MB";
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) e).getFile();
        }
        if (e instanceof CharacterCodingException) {
            return "the input is not UTF-8 text; save it as UTF-8 and try again";
        }
        if (e instanceof java.nio.file.InvalidPathException) {
            return "not a valid path: " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
