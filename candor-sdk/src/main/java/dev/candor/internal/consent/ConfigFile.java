package dev.candor.internal.consent;

import dev.candor.Mode;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.context.SdkLog;
import dev.candor.internal.record.CounterFile;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A {@code telemetry.properties} file: the key {@code telemetry} with {@code true}, {@code false} or
 * {@code local}. Reading never creates anything; writing replaces only the {@code telemetry} line and
 * keeps whatever else the user wrote, atomically (a crash leaves the old file or the new one).
 * Reading warns (in the log, once per run) about any other key, with a "did you mean" for a misspelled
 * {@code telemetry}, and about lines setting {@code telemetry} to different values: then the most private
 * of them counts, so that a line turning telemetry off always does.
 *
 * <p>And the user's {@code telemetry enable|local|disable} ({@link #apply}): the mode is saved in the app's
 * own file, and switching off deletes what was recorded on this machine and not yet sent (counter files,
 * merge markers, the outbox, local-only reports and half-written files). Copies of reports already sent
 * stay for {@code telemetry show --sent} until they age out.
 */
public final class ConfigFile {
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
        String text = withoutBom(new String(bytes, StandardCharsets.UTF_8));
        List<String> values = new ArrayList<>(1); // every non-blank telemetry=, in the file's order
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (KEY.equals(key)) {
                    if (!((String) value).isBlank()) {
                        values.add((String) value);
                    }
                } else {
                    String k = (String) key;
                    String suggestion = CatalogParser.closest(k, List.of(KEY));
                    SdkLog.warnOnce(file + ": the key \"" + ConsentResolver.printable(k) + "\" is not one Candor reads"
                            + (suggestion != null ? "; did you mean \"" + suggestion + "\"?" : "; the only key is \"" + KEY + "\""));
                }
                return super.put(key, value);
            }
        };
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IllegalArgumentException malformed) {
            throw new IOException(file + ": " + malformed.getMessage(), malformed);
        }
        return mostPrivate(file, values);
    }

    /**
     * The value of a file that sets {@code telemetry} once, or more than once alike; for a file whose lines
     * disagree, the most private of them (off, then local, then on: any line that turns telemetry off keeps it
     * off), with a warning. Null when no line sets it.
     */
    private static String mostPrivate(Path file, List<String> values) {
        String chosen = null;
        boolean differ = false;
        for (String value : values) {
            if (chosen == null) {
                chosen = value;
            } else if (!value.strip().equalsIgnoreCase(chosen.strip())) {
                differ = true;
                // Mode declares ON, LOCAL, OFF: from the least private to the most
                if (ConsentResolver.parse(value).compareTo(ConsentResolver.parse(chosen)) > 0) {
                    chosen = value;
                }
            }
        }
        if (differ) {
            SdkLog.warnOnce(file + ": \"" + KEY + "\" is set " + values.size() + " times with different values;"
                    + " the most private one counts: " + KEY + "=" + ConsentResolver.printable(chosen)
                    + ". Keep one line.");
        }
        return chosen;
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
                line = lines.isEmpty() ? withoutBom(line) : line; // the first line may carry the mark
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
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append(System.lineSeparator());
        }
        Path dir = file.toAbsolutePath().getParent();
        CounterFile.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8), dir, false);
    }

    /**
     * The text without the UTF-8 byte-order mark some Windows editors put first: Properties would read it
     * as part of the first key, and a {@code telemetry=false} there would be lost.
     */
    private static String withoutBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static boolean isTelemetryLine(String line) {
        String s = line.stripLeading();
        if (!s.startsWith(KEY)) {
            return false;
        }
        String rest = s.substring(KEY.length());
        return rest.isEmpty() || rest.charAt(0) == '=' || rest.charAt(0) == ':' || Character.isWhitespace(rest.charAt(0));
    }

    /**
     * Saves {@code mode} (deleting the unsent data for {@link Mode#OFF}) and prints what was done, in words
     * for the user, to {@code out}.
     *
     * @return true when the mode was written to the app's file
     */
    public static boolean apply(TelemetryPaths paths, Mode mode, String app, PrintStream out) {
        Path file = paths.appConfigFile();
        try {
            write(file, mode, app);
        } catch (IOException | RuntimeException e) {
            out.println("Could not save telemetry=" + ConsentResolver.fileValue(mode) + " in " + file + ": "
                    + e.getMessage() + ". Check that the folder is writable, or set " + paths.modeVariable()
                    + " instead.");
            return false;
        }
        String saved = "saved telemetry=" + ConsentResolver.fileValue(mode) + " in " + file;
        if (mode == Mode.ON) {
            out.println("Telemetry enabled: " + saved + ".");
        } else if (mode == Mode.LOCAL) {
            out.println("Telemetry kept on this machine only: " + saved + ".");
        } else {
            List<String> failures = new ArrayList<>();
            int deleted = 0;
            // No state folder (none yet, or a file in its place): nothing was recorded, and nothing is to be deleted.
            if (Files.isDirectory(paths.stateDirectory())) {
                // The state folders holding data recorded here and not yet sent (docs/ARCHITECTURE.md).
                for (String folder : new String[] {"counts", "merged", "outbox", "local", "tmp"}) {
                    deleted += delete(paths.stateDirectory().resolve(folder), failures);
                }
                try {
                    AgreedCatalog.forgetEarlier(paths); // off forgets what was agreed before the record, too
                } catch (IOException | RuntimeException e) {
                    failures.add(paths.stateDirectory().resolve(AgreedCatalog.EARLIER_FILE) + " (" + e.getMessage() + ")");
                }
            }
            out.println("Telemetry disabled: " + saved + "; deleted " + deleted + (deleted == 1 ? " file" : " files")
                    + " recorded here and not yet sent."
                    + (failures.isEmpty() ? "" : " Could not delete: " + String.join(", ", failures) + "."));
        }
        return true;
    }

    /**
     * Deletes {@code path} and, for a folder, everything in it (symbolic links are deleted, not followed);
     * returns how many files went, and adds what could not go to {@code failures}.
     */
    static int delete(Path path, List<String> failures) {
        int deleted = 0;
        boolean folder = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        if (folder) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    deleted += delete(entry, failures);
                }
            } catch (IOException | RuntimeException e) {
                failures.add(path + " (" + e.getMessage() + ")");
                return deleted;
            }
        }
        try {
            Files.delete(path);
            deleted += folder ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            // instanceof rather than catch clauses: a catch clause's class is loaded when this class is, at
            // every start that reads a config file
            if (!(e instanceof NoSuchFileException)) { // never there, or another process removed it: fine
                failures.add(path + (e instanceof DirectoryNotEmptyException ? " (another process wrote to it meanwhile)"
                        : " (" + e.getMessage() + ")"));
            }
        }
        return deleted;
    }
}
