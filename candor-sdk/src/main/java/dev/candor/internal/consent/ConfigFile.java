package dev.candor.internal.consent;

import dev.candor.Mode;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
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
        // java.io, not Files.readAllBytes: this runs at every start, and the NIO channel classes behind
        // Files.readAllBytes are about 25 classes a short-lived JVM would load for one small file.
        File f = file.toFile();
        if (!f.isFile()) {
            if (f.exists()) {
                throw new IOException(file + " is not a regular file");
            }
            return null;
        }
        byte[] bytes;
        try (FileInputStream in = new FileInputStream(f)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (FileNotFoundException e) {
            if (!f.exists()) {
                return null; // removed since we looked
            }
            throw new IOException(file + " cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw hugeFile(file);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
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
            throw hugeFile(file);
        }
    }

    private static IOException hugeFile(Path file) {
        return new IOException(file + " is larger than " + MAX_BYTES / 1024
                + " KiB; a telemetry.properties holds a line or two: delete or shorten it");
    }

    /** Sets {@code telemetry} to the mode's value, creating the file and its folders if needed. */
    static void write(Path file, Mode mode, String app) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        String assignment = KEY + "=" + ConsentResolver.fileValue(mode);
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
