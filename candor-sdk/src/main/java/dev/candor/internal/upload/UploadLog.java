package dev.candor.internal.upload;

/**
 * The upload package's messages, at DEBUG through {@link System.Logger} (logger
 * {@code dev.candor.upload}): what the uploader removed, kept or could not do. Nothing here is
 * ever an error for the host. The logger is looked up on the first message only, so a run with
 * nothing to say loads no logging classes.
 */
final class UploadLog {
    private UploadLog() {
    }

    static void debug(String message) {
        try {
            Holder.LOGGER.log(System.Logger.Level.DEBUG, message);
        } catch (RuntimeException | LinkageError e) {
            // A broken logging setup in the host is not ours to report.
        }
    }

    private static final class Holder {
        static final System.Logger LOGGER = System.getLogger("dev.candor.upload");
    }
}
