package dev.candor.internal.upload;

import dev.candor.internal.context.SdkLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The right to upload for one app, across every thread and process that shares its state
 * directory: an exclusive lock on {@code <state>/upload.lock} (and, because a JVM cannot take the
 * same file lock twice, an in-process claim beside it), plus the record in
 * {@code <state>/upload.last} of when the last upload attempt began and how long the collector
 * asked us to wait. Whoever holds the lock reads and writes the record; nobody else does.
 *
 * <p>{@code upload.last} is two lines of text, times in milliseconds since the epoch:
 * {@code last_attempt=<ms>} and {@code not_before=<ms>}. A missing or unreadable file means
 * "never attempted".
 */
final class UploadLock implements AutoCloseable {
    private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Path record;

    private UploadLock(Path key, FileChannel channel, FileLock lock, Path record) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.record = record;
    }

    /**
     * Takes the lock if nobody holds it, without waiting.
     *
     * @return the held lock, or {@code null} when another thread or process holds it
     * @throws IOException when the lock file cannot be created or locked at all
     */
    static UploadLock tryAcquire(Path stateDirectory) throws IOException {
        Path key = stateDirectory.toAbsolutePath().normalize();
        if (!HELD_IN_THIS_PROCESS.add(key)) {
            return null;
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key);
            channel = FileChannel.open(key.resolve("upload.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD_IN_THIS_PROCESS.remove(key);
                return null;
            }
            return new UploadLock(key, channel, lock, key.resolve("upload.last"));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Already failing; the first error is the one to report.
                }
            }
            HELD_IN_THIS_PROCESS.remove(key);
            if (e instanceof OverlappingFileLockException) {
                return null;
            }
            throw e;
        }
    }

    /** When the last upload attempt began, or 0 if never (as far as {@code upload.last} tells). */
    long lastAttemptMillis() {
        return field("last_attempt=");
    }

    /** Before this time the collector asked not to be contacted again (its {@code Retry-After}), or 0. */
    long notBeforeMillis() {
        return field("not_before=");
    }

    /** Records that an upload attempt begins at {@code nowMillis}; keeps {@code not_before}. */
    void recordAttempt(long nowMillis) throws IOException {
        write(nowMillis, notBeforeMillis());
    }

    /** Records that the collector asked not to be contacted before {@code notBeforeMillis}. */
    void recordNotBefore(long notBeforeMillis) throws IOException {
        write(lastAttemptMillis(), notBeforeMillis);
    }

    private void write(long lastAttempt, long notBefore) throws IOException {
        String text = "last_attempt=" + lastAttempt + "\nnot_before=" + notBefore + "\n";
        Outbox.writeAtomically(record, text.getBytes(StandardCharsets.UTF_8));
    }

    private long field(String prefix) {
        try {
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return Math.max(0, Long.parseLong(line.substring(prefix.length()).trim()));
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot read " + record + ", treated as never attempted: " + e);
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot release " + key.resolve("upload.lock") + ": " + e);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                SdkLog.log(DEBUG, "cannot close " + key.resolve("upload.lock") + ": " + e);
            }
            HELD_IN_THIS_PROCESS.remove(key);
        }
    }
}
