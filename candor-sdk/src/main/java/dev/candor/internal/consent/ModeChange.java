package dev.candor.internal.consent;

import dev.candor.Mode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's {@code telemetry enable|local|disable}: the mode is saved in the app's own file, and
 * switching off deletes what was recorded on this machine and not yet sent (counter files, merge
 * markers, the outbox, local-only reports and half-written files). Copies of reports already sent stay for
 * {@code telemetry show --sent} until they age out.
 */
public final class ModeChange {
    /** The state folders holding data recorded here and not yet sent (docs/ARCHITECTURE.md). */
    static final List<String> UNSENT = List.of("counts", "merged", "outbox", "local", "tmp");

    private ModeChange() {
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
            ConfigFile.write(file, mode, app);
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
            for (String folder : UNSENT) {
                deleted += delete(paths.stateDirectory().resolve(folder), failures);
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
        } catch (NoSuchFileException gone) {
            // never there, or another process removed it: fine
        } catch (DirectoryNotEmptyException racing) {
            failures.add(path + " (another process wrote to it meanwhile)");
        } catch (IOException | RuntimeException e) {
            failures.add(path + " (" + e.getMessage() + ")");
        }
        return deleted;
    }
}
