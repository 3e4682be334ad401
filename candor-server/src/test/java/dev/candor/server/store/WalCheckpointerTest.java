package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Checkpoints happen off the writer's commits, and the WAL still stays bounded while a writer commits without
 * pause: the background PASSIVE checkpoints copy what is committed, and the writer's RESTART between two commits
 * lets the WAL start over once it is past its limit. Nothing committed is lost on the way.
 */
class WalCheckpointerTest {
    @TempDir Path data;

    @Test
    void theStoresConnectionsNeverCheckpointInsideACommit() throws Exception {
        try (SqliteReportStore store = SqliteReportStore.open(data);
                Connection connection = store.dataSource().getConnection();
                ResultSet autocheckpoint = connection.createStatement().executeQuery("PRAGMA wal_autocheckpoint")) {
            assertThat(autocheckpoint.next()).isTrue();
            assertThat(autocheckpoint.getInt(1)).isZero();
        }
    }

    @Test
    void aWriterThatNeverPausesStillSeesTheWalStartOverAndKeepsEveryRow() throws Exception {
        Path file = data.resolve("wal-test.db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(3);
        hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint = 0");
        int rows = 4_000;
        long walLimit;
        try (HikariDataSource pool = new HikariDataSource(hikari)) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id TEXT PRIMARY KEY, filler TEXT NOT NULL)");
            }
            try (WalCheckpointer checkpointer = new WalCheckpointer(pool, 5_000, 64)) {
                // one 4 KiB page per row at least: about 16 MiB through a WAL allowed 64 frames (256 KiB) and what one
                // checkpoint interval adds
                for (int i = 0; i < rows; i += 20) {
                    try (Connection connection = pool.getConnection();
                            PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                        connection.setAutoCommit(false);
                        for (int j = 0; j < 20; j++) {
                            insert.setString(1, UUID.randomUUID().toString());
                            insert.setString(2, "x".repeat(4_000));
                            insert.executeUpdate();
                        }
                        connection.commit();
                        connection.setAutoCommit(true);
                    }
                    checkpointer.restartIfDue();
                }
            }
            walLimit = Files.size(Path.of(file + "-wal"));
        }
        assertThat(walLimit).as("WAL file size after %d rows of 4 KB", rows).isLessThan(8L << 20);
        SQLiteDataSource reopened = new SQLiteDataSource();
        reopened.setUrl("jdbc:sqlite:" + file);
        try (Connection connection = reopened.getConnection();
                ResultSet count = connection.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(rows);
        }
    }

    @Test
    void aReaderOnAnOldSnapshotHoldsTheWritersRestartBackOnlyBriefly() throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(5_000);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + data.resolve("reader-test.db"));
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(4);
        hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint = 0");
        try (HikariDataSource pool = new HikariDataSource(hikari);
                Connection reader = pool.getConnection();
                WalCheckpointer checkpointer = new WalCheckpointer(pool, 5_000, 16)) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (filler TEXT NOT NULL)");
                statement.execute("INSERT INTO t VALUES ('first')");
            }
            reader.setAutoCommit(false);
            try (ResultSet snapshot = reader.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
                snapshot.next();
            }
            try (Connection connection = pool.getConnection();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                for (int i = 0; i < 100; i++) {
                    insert.setString(1, "x".repeat(4_000));
                    insert.executeUpdate();
                }
            }
            Thread.sleep(10 * WalCheckpointer.INTERVAL_MILLIS); // the checkpointer sees the WAL past 16 frames

            long start = System.nanoTime();
            checkpointer.restartIfDue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("the writer's restart waited for the reader (busy timeout 5 s)").isLessThan(1_000);
            reader.rollback();
        }
    }
}
