package dev.candor.server.store;

import dev.candor.server.store.ReportStore.StoreOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Group commit: one writer thread takes every batch waiting at that moment and commits them in one
 * transaction, so many concurrent requests share one durable sync (fsync) instead of paying one
 * each. A caller returns only after the transaction holding its batch has committed, or learns that
 * nothing of it was stored.
 *
 * <p>Each batch keeps its own all-or-nothing promise without a savepoint per batch (a savepoint made
 * SQLite copy every page a batch touched into a statement journal, which doubled the bytes written
 * per report): the group is written optimistically in one transaction, and only if a batch fails is
 * the whole transaction rolled back and every batch of the group committed again on its own, so the
 * failing batch is refused alone and the others are stored.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Writes one batch inside the open transaction; throws to have that batch alone rolled back. */
    interface BatchWriter {
        StoreOutcome write(Connection connection, List<Report> batch) throws SQLException;
    }

    private static final int MAX_BATCHES_PER_COMMIT = 64;
    private static final Pending STOP = new Pending(List.of());

    private final DataSource dataSource;
    private final BatchWriter batchWriter;
    private final LongConsumer commitNanos;
    private final long waitMillis;
    private final Runnable betweenCommits;
    private final Runnable afterCommit;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private final Thread thread;
    private boolean closed;

    GroupCommitWriter(DataSource dataSource, BatchWriter batchWriter, LongConsumer commitNanos, long waitMillis) {
        this(dataSource, batchWriter, commitNanos, waitMillis, () -> {});
    }

    /**
     * @param betweenCommits run on the writer thread after each group's callers have their answers and before the
     *     next group is taken, when no transaction is open (a failure is logged and does not stop the writer)
     */
    GroupCommitWriter(DataSource dataSource, BatchWriter batchWriter, LongConsumer commitNanos, long waitMillis,
            Runnable betweenCommits) {
        this(dataSource, batchWriter, commitNanos, waitMillis, betweenCommits, () -> {});
    }

    /**
     * @param afterCommit run on the writer thread after each commit and before any caller of it is answered: a
     *     {@link StoreUnavailableException} it throws is the answer of every batch of that commit instead of its
     *     outcome (a commit that succeeded but cannot be kept, such as one into a database file that was deleted)
     */
    GroupCommitWriter(DataSource dataSource, BatchWriter batchWriter, LongConsumer commitNanos, long waitMillis,
            Runnable betweenCommits, Runnable afterCommit) {
        this.betweenCommits = betweenCommits;
        this.afterCommit = afterCommit;
        this.dataSource = dataSource;
        this.batchWriter = batchWriter;
        this.commitNanos = commitNanos;
        this.waitMillis = waitMillis;
        this.thread = new Thread(this::run, "candor-store-writer");
        this.thread.start();
    }

    /** Blocks until the batch is committed (or refused); see {@link ReportStore#storeAll}. */
    StoreOutcome submit(List<Report> batch) {
        Pending pending = new Pending(batch);
        synchronized (admission) {
            if (closed) {
                throw new StoreUnavailableException("the store is shutting down; send the reports again later");
            }
            queue.add(pending);
        }
        try {
            return pending.result.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreUnavailableException) {
                throw (StoreUnavailableException) cause;
            }
            throw new StoreUnavailableException("could not store the reports: " + cause, cause);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException(
                    "the store did not commit within " + waitMillis + " ms; send the reports again (duplicates are ignored)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the commit");
        }
    }

    /** How many batches wait for the writer right now (for tests that need a group to form). */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() stops this thread, by STOP, so that nothing queued is lost
            }
            group.clear();
            group.add(first);
            queue.drainTo(group, MAX_BATCHES_PER_COMMIT - 1);
            boolean stop = group.remove(STOP);
            if (!group.isEmpty()) {
                commit(group);
                try {
                    betweenCommits.run();
                } catch (RuntimeException e) {
                    LOG.warn("work between commits failed (the commits are unaffected): {}", e.toString());
                }
            }
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Pending> group) {
        long start = System.nanoTime();
        List<StoreOutcome> outcomes = new ArrayList<>(group.size());
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            SQLException batchFailure = null;
            for (Pending pending : group) {
                try {
                    outcomes.add(batchWriter.write(connection, pending.batch));
                } catch (SQLException | RuntimeException e) {
                    batchFailure = e instanceof SQLException ? (SQLException) e : new SQLException(e);
                    break;
                }
            }
            if (batchFailure != null && group.size() > 1) {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.close();
                connection = null;
                group.forEach(pending -> commit(List.of(pending)));
                return;
            }
            if (batchFailure != null) {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.close();
                group.get(0).result.completeExceptionally(new StoreUnavailableException(
                        "storage refused the batch: " + batchFailure.getMessage(), batchFailure));
                return;
            }
            connection.commit();
            connection.setAutoCommit(true);
            connection.close();
            connection = null;
            afterCommit.run();
        } catch (StoreUnavailableException e) {
            discard(connection);
            group.forEach(p -> p.result.completeExceptionally(e));
            return;
        } catch (SQLException | RuntimeException e) {
            discard(connection);
            StoreUnavailableException failure =
                    new StoreUnavailableException("storage could not commit: " + e.getMessage(), e);
            group.forEach(p -> p.result.completeExceptionally(failure));
            return;
        }
        commitNanos.accept(System.nanoTime() - start);
        for (int i = 0; i < group.size(); i++) {
            group.get(i).result.complete(outcomes.get(i));
        }
    }

    /** After a failed commit: see {@link PooledConnections#discard}. */
    private void discard(Connection connection) {
        PooledConnections.discard(dataSource, connection);
    }

    /** Refuses new batches, commits every batch already queued, then stops the writer thread. */
    @Override
    public void close() {
        synchronized (admission) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        joinUninterruptibly(thread);
    }

    /**
     * Waits until {@code thread} has ended, however often the caller is interrupted meanwhile (the store's
     * threads end promptly once told to; a half-closed store is worse than a short wait), and keeps the
     * caller's interrupt status.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Pending {
        final List<Report> batch;
        final CompletableFuture<StoreOutcome> result = new CompletableFuture<>();

        Pending(List<Report> batch) {
            this.batch = batch;
        }
    }
}
