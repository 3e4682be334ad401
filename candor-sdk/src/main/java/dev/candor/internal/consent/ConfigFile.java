package dev.candor.internal.consent;

import dev.candor.Mode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A {@code telemetry.properties} file: the key {@code telemetry} with {@code true}, {@code false} or
 * {@code local}. Reading never creates anything; writing replaces only the {@code telemetry} line and
 * keeps whatever else the user wrote, atomically (a crash leaves the old file or the new one).
 */
final class ConfigFile {
    static final String KEY = "telemetry";
    /**
     * The largest file read: it is read at every start of the app, so a stray huge file must not cost the
     * app its start time or its memory; a larger one is unreadable, which counts as off.
     */
    static final int MAX_BYTES = 64 * 1024;

    private ConfigFile() {
    }

    /**
     * The value of {@code telemetry} in the file, or {@code null} when the file or the key does not
     * exist. Throws when the file exists but cannot be read.
     */
    static String read(Path file) throws IOException {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                if (Files.exists(file)) {
                    throw new IOException(file + " is not a regular file");
                }
                return null;
            }
            refuseIfHuge(file);
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IllegalArgumentException malformed) {
            throw new IOException(file + ": " + malformed.getMessage(), malformed);
        }
        String value = properties.getProperty(KEY);
        return value == null || value.isBlank() ? null : value;
    }

    private static void refuseIfHuge(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than " + MAX_BYTES / 1024
                    + " KiB; a telemetry.properties holds a line or two: delete or shorten it");
        }
    }

    /** Sets {@code telemetry} to the mode's value, creating the file and its folders if needed. */
    static void write(Path file, Mode mode, String app) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        String assignment = KEY + "=" + ModeSetting.fileValue(mode);
        if (Files.isRegularFile(file)) {
            refuseIfHuge(file);
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (isTelemetryLine(line)) {
                    if (!replaced) {
                        lines.add(assignment);
                        replaced = true;
                    }
                } else {
                    lines.add(line);
                }
            }
        } else {
            lines.add("# Telemetry of " + app + ": true (record and send), local (record, never send) or false (off).");
        }
        if (!replaced) {
            lines.add(assignment);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".telemetry", ".tmp");
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean isTelemetryLine(String line) {
        String s = line.stripLeading();
        if (!s.startsWith(KEY)) {
            return false;
        }
        String rest = s.substring(KEY.length());
        return rest.isEmpty() || rest.charAt(0) == '=' || rest.charAt(0) == ':' || Character.isWhitespace(rest.charAt(0));
    }
}
