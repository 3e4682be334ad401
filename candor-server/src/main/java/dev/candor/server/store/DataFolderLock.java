package dev.candor.server.store;

import dev.candor.server.FailureReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a data folder to one collector ({@code candor serve}): an exclusive OS lock on {@value #FILE} in the
 * folder, held while the collector's store is open. The OS releases it when the process ends, however it ends
 * (SIGKILL and a crash included), so a stale lock never keeps a restarted collector out; the file stays, holding
 * the last holder's process id for messages, and means nothing without the lock.
 *
 * <p>Why: two collectors on one SQLite file would each believe they alone run the background work
 * ({@link InProcessWorkLeases}), and nothing would tell an operator who started a second one by mistake (a second
 * service unit, a forgotten terminal). The offline commands ({@code rollup}, {@code retention}, {@code release},
 * {@code stats}) do not hold it: SQLite serialises their writes with the collector's, and the database's
 * transactions keep their work apart (a release is frozen once, whoever makes it). But one that would migrate the
 * schema tries it first, without waiting, and refuses while a collector holds it (an older collector would go on
 * running against a schema it does not know); it holds the lock while it migrates.
 */
public final class DataFolderLock implements AutoCloseable {
    public static final String FILE = "candor.lock";

    /**
     * The folders this process holds. The OS lock is the process's, and closing any channel of the same file
     * drops it (FileLock's javadoc), so a second try from this same process must not even open the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code folder}, an existing folder, creating its lock file if needed.
     *
     * @throws StoreUnavailableException naming the folder when another collector holds it, or when the lock
     *     file cannot be made (a read-only folder is told as the store tells it)
     */
    static DataFolderLock acquire(Path folder) {
        Attempt attempt = tryAcquire(folder);
        if (attempt.lock() == null) {
            throw held(folder, attempt.holder());
        }
        return attempt.lock();
    }

    /** What {@link #tryAcquire} got: the lock, or null and the holder's process id (null when it cannot be read). */
    record Attempt(DataFolderLock lock, String holder) {
    }

    /**
     * Tries once, without waiting, to take the lock of {@code folder}, an existing folder, creating its lock file if
     * needed; when a collector (this process or another) holds it, returns no lock and the holder.
     *
     * @throws StoreUnavailableException naming the folder when the lock file cannot be made or locked
     */
    static Attempt tryAcquire(Path folder) {
        Path file = folder.resolve(FILE);
        Path key;
        try {
            key = folder.toRealPath();
        } catch (IOException e) {
            key = folder.toAbsolutePath().normalize();
        }
        if (!HELD.add(key)) {
            return new Attempt(null, Long.toString(ProcessHandle.current().pid()));
        }
        try {
            Attempt attempt = lock(folder, file, key);
            if (attempt.lock() == null) {
                HELD.remove(key);
            }
            return attempt;
        } catch (RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static Attempt lock(Path folder, Path file, Path key) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (!Files.isWritable(folder)) {
                throw SqliteReportStore.readOnly(folder.resolve(SqliteReportStore.DATABASE_FILE), e);
            }
            throw new StoreUnavailableException("cannot lock the data folder " + folder + ": cannot open " + file + ": "
                    + FailureReason.of(e, file), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreUnavailableException("cannot lock the data folder " + folder + ": " + FailureReason.of(e, file), e);
        }
        if (lock == null) {
            String holder = holder(channel);
            closeQuietly(channel);
            return new Attempt(null, holder);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException ignored) {
            // the id is for messages only; the lock is what counts
        }
        return new Attempt(new DataFolderLock(key, channel, lock), null);
    }

    private static StoreUnavailableException held(Path folder, String holder) {
        return new StoreUnavailableException("another collector" + (holder == null ? "" : " (process " + holder + ")")
                + " is running on the data folder " + folder + ": it holds the lock on " + FILE + " there, and one "
                + "folder takes one collector; stop that one first, or give this one a --data folder of its own "
                + "(several collectors share one PostgreSQL database with --db)");
    }

    /** The process id the holder wrote into the lock file, or null when there is none to read. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer bytes = ByteBuffer.allocate(24);
            channel.read(bytes, 0);
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).strip();
            return text.matches("\\d{1,19}") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Releases the lock; the file stays. Idempotent. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
        HELD.remove(key);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing is lost: the OS drops the lock with the channel or the process
        }
    }
}
