package dev.candor.internal.upload;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a reader in any process sees either nothing or the whole file: the bytes
 * go to a temporary sibling named {@code .<name>.<random>.tmp}, which is then renamed over the
 * target in one step. Readers of the state directory ignore such temporary names (see
 * {@link ReportName#isTemporary}); every writer of {@code outbox/} must follow the same rule.
 */
final class AtomicFile {
    private AtomicFile() {
    }

    static void write(Path target, byte[] bytes) throws IOException {
        try {
            writeOnce(target, bytes);
        } catch (NoSuchFileException e) {
            // A reader took our temporary file for an abandoned one (clocks disagree); write it again.
            writeOnce(target, bytes);
        }
    }

    private static void writeOnce(Path target, byte[] bytes) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
