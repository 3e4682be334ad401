package dev.candor.internal.consent;

import dev.candor.Mode;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The user's {@code telemetry enable|local|disable}: the mode is saved in the app's own file, and
 * switching off deletes what was recorded on this machine and not yet sent (counter files, merge
 * markers, the outbox, local-only reports and half-written files). Copies of reports already sent stay for
 * {@code telemetry show --sent} until they age out.
 */
public final class ModeChange {
    /** The state folders holding data recorded here and not yet sent (docs/ARCHITECTURE.md). */
    static final List<String> UNSENT = List.of("counts", "merged", "outbox", "local", "tmp");

    /** What {@link #apply} did, in words for the user. */
    public static final class Result {
        private final boolean saved;
        private final String message;

        Result(boolean saved, String message) {
            this.saved = saved;
            this.message = message;
        }

        /** True when the mode was written to the app's file. */
        public boolean saved() {
            return saved;
        }

        public String message() {
            return message;
        }
    }

    private ModeChange() {
    }

    public static Result apply(TelemetryPaths paths, Mode mode, String app) {
        Path file = paths.appConfigFile();
        try {
            ConfigFile.write(file, mode, app);
        } catch (IOException | RuntimeException e) {
            return new Result(false, "Could not save telemetry=" + ModeSetting.fileValue(mode) + " in " + file + ": "
                    + e.getMessage() + ". Check that the folder is writable, or set " + paths.modeVariable()
                    + " instead.");
        }
        String saved = "saved telemetry=" + ModeSetting.fileValue(mode) + " in " + file;
        switch (mode) {
            case ON:
                return new Result(true, "Telemetry enabled: " + saved + ".");
            case LOCAL:
                return new Result(true, "Telemetry kept on this machine only: " + saved + ".");
            default:
                List<String> failures = new ArrayList<>();
                int deleted = deleteUnsent(paths.stateDirectory(), failures);
                String message = "Telemetry disabled: " + saved + "; deleted " + deleted
                        + (deleted == 1 ? " file" : " files") + " recorded here and not yet sent.";
                if (!failures.isEmpty()) {
                    message += " Could not delete: " + String.join(", ", failures) + ".";
                }
                return new Result(true, message);
        }
    }

    /** Deletes the unsent data under {@code state}; returns how many files went, adds what could not. */
    static int deleteUnsent(Path state, List<String> failures) {
        int deleted = 0;
        for (String folder : UNSENT) {
            Path dir = state.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = new ArrayList<>();
                walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
            } catch (IOException | RuntimeException e) {
                failures.add(dir + " (" + e.getMessage() + ")");
                continue;
            }
            for (Path p : paths) {
                try {
                    boolean file = !Files.isDirectory(p);
                    Files.delete(p);
                    if (file) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // another process removed it: fine
                } catch (DirectoryNotEmptyException racing) {
                    failures.add(p + " (another process wrote to it meanwhile)");
                } catch (IOException | RuntimeException e) {
                    failures.add(p + " (" + e.getMessage() + ")");
                }
            }
        }
        return deleted;
    }
}
