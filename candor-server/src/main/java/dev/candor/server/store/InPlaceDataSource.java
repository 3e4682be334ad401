package dev.candor.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The SQLite store's connections as everything beside its report writer gets them ({@link SqliteReportStore#dataSource()}:
 * catalog uploads, rollups, retention, releases, sign-outs): every write is refused before it reaches the database
 * when {@code candor.db} is no longer the file the store opened. A transaction is checked at its {@code commit()},
 * a statement run in auto-commit mode at its {@code executeUpdate} or {@code executeBatch}; reads are not checked
 * (the unlinked file still answers them truthfully). The refusal is the store's
 * {@link StoreUnavailableException#databaseGone()} failure, thrown as is through the JDBC calls, so callers that
 * roll back on {@code SQLException | RuntimeException} do so, and the web layer and the background jobs can tell it.
 *
 * <p>Why at the JDBC level: rollups, releases and the dashboard's tables are written by classes that only hold a
 * {@link DataSource}, and a check each of them had to remember is a check one of them would forget.
 */
final class InPlaceDataSource implements DataSource {
    /** Statement methods that write in auto-commit mode. */
    private static final Set<String> WRITES = Set.of("executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final HikariDataSource pool;
    private final Runnable requireInPlace;

    /** @param requireInPlace throws {@link StoreUnavailableException#databaseGone} when the file is not in place */
    InPlaceDataSource(HikariDataSource pool, Runnable requireInPlace) {
        this.pool = pool;
        this.requireInPlace = requireInPlace;
    }

    /** The pool under this data source, for evicting a connection ({@link PooledConnections}). */
    HikariDataSource pool() {
        return pool;
    }

    /** The pool's connection under one of this data source's, or {@code connection} itself. */
    static Connection pooled(Connection connection) {
        if (Proxy.isProxyClass(connection.getClass()) && Proxy.getInvocationHandler(connection) instanceof Checked checked) {
            return (Connection) checked.target;
        }
        return connection;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(pool.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Checked(connection, connection));
    }

    /** Checks before a commit, or before a statement writes in auto-commit mode; wraps the statements it creates. */
    private final class Checked implements InvocationHandler {
        private final Object target;
        private final Connection connection;

        Checked(Object target, Connection connection) {
            this.target = target;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (target == connection && name.equals("commit")
                    || target != connection && WRITES.contains(name) && connection.getAutoCommit()) {
                requireInPlace.run();
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (target == connection && result instanceof Statement statement) {
                Class<?> type = method.getReturnType(); // Statement, PreparedStatement or CallableStatement
                return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {type},
                        new Checked(statement, connection));
            }
            return result;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return pool.isWrapperFor(iface);
    }
}
