package dev.candor.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the SQLite WAL into the database file on a thread of its own, so that the writer thread, the one step
 * every request waits for, never does it. SQLite's automatic checkpoint ran inside the commit that crossed 1,000
 * WAL pages: that commit's requests waited while every page written since the last checkpoint was read back from
 * the WAL, written to the database file and the file synced, about half of all bytes written per report.
 *
 * <p>Here the connections have {@code wal_autocheckpoint=0}, and this thread runs a {@code PASSIVE} checkpoint
 * every {@value #INTERVAL_MILLIS} ms, which copies what is committed without waiting for the writer or blocking
 * it. The WAL can only start again from its beginning when a checkpoint has copied all of it, which a busy writer
 * never leaves time for (a checkpoint that waits for the writer lock starves: the writer takes it again at once).
 * So once the WAL holds more than {@value #RESTART_FRAMES} frames, the writer thread itself runs a {@code RESTART}
 * checkpoint between two commits ({@link #restartIfDue}), which only has the few frames left to copy, and the WAL
 * starts over. A reader still on an older snapshot can hold that up; the writer waits for it
 * {@value #RESTART_WAIT_MILLIS} ms at most and tries again after its next commit. Durability is the WAL's, synced at every commit as before; a checkpoint only moves committed pages
 * to their place.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    static final int INTERVAL_MILLIS = 20;
    /** 16,384 pages of 4 KiB: a WAL of 64 MiB at most between restarts (SQLite's default checkpoint is at 1,000). */
    static final int RESTART_FRAMES = 16_384;
    /** How long the writer's RESTART waits for readers before it gives up until after the next commit. */
    static final int RESTART_WAIT_MILLIS = 50;

    private final DataSource dataSource;
    private final int restartFrames;
    private final long busyTimeoutMillis;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean restartDue;

    /** @param busyTimeoutMillis the connections' busy timeout, restored after the writer's RESTART */
    WalCheckpointer(DataSource dataSource, long busyTimeoutMillis) {
        this(dataSource, busyTimeoutMillis, RESTART_FRAMES);
    }

    /** @param restartFrames how many frames the WAL may hold before the writer restarts it (tests use few) */
    WalCheckpointer(DataSource dataSource, long busyTimeoutMillis, int restartFrames) {
        this.dataSource = dataSource;
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.restartFrames = restartFrames;
        this.thread = new Thread(this::run, "candor-wal-checkpointer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (!closed) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                while (!closed) {
                    restartDue = checkpoint(statement, "PASSIVE") > restartFrames;
                    Thread.sleep(INTERVAL_MILLIS);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("WAL checkpoint failed (commits are unaffected; trying again in 1 s): {}", e.getMessage());
                pause(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Run by the writer thread between two commits (no transaction open): once the WAL has grown past
     * {@value #RESTART_FRAMES} frames, copies what is left of it and has the next commit start it over.
     */
    void restartIfDue() {
        if (!restartDue) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // A reader still on an old snapshot (a rollup streaming a period) keeps the WAL from starting over; wait
            // for it briefly only, so the writer's next group is never held long, and try again after the next commit.
            statement.execute("PRAGMA busy_timeout = " + RESTART_WAIT_MILLIS);
            try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                restartDue = !result.next() || result.getInt(1) != 0;
            } finally {
                statement.execute("PRAGMA busy_timeout = " + busyTimeoutMillis);
            }
        } catch (SQLException e) {
            LOG.warn("WAL restart failed (commits are unaffected; trying again after the next commit): {}", e.getMessage());
        }
    }

    /** Runs one checkpoint; returns how many frames the WAL holds. */
    private static int checkpoint(Statement statement, String mode) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return result.next() ? result.getInt(2) : 0;
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        GroupCommitWriter.joinUninterruptibly(thread);
    }
}
