package dev.candor.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What to do with a pooled connection whose transaction failed: its state is unknown (sqlite-jdbc, for one,
 * records "autocommit off" before its {@code BEGIN} fails on a locked database, so the connection would go
 * back to the pool believing a transaction was open, and the next batch on it would commit row by row and
 * then fail its commit). So the open work is rolled back if it can be, and the connection is evicted from
 * the pool rather than handed to the next commit.
 */
public final class PooledConnections {
    private PooledConnections() {
    }

    /** Rolls back quietly and evicts {@code connection} from {@code pool} (or closes it, for a plain data source). */
    public static void discard(DataSource pool, Connection connection) {
        if (connection == null) {
            return;
        }
        if (pool instanceof InPlaceDataSource inPlace) {
            pool = inPlace.pool();
            connection = InPlaceDataSource.pooled(connection);
        }
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // nothing was committed; the connection goes either way
        }
        if (pool instanceof HikariDataSource hikari) {
            hikari.evictConnection(connection);
        } else {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
