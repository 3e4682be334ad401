package dev.candor.server.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Random secrets the collector makes for itself and keeps in its database (table
 * {@code server_secrets}, migration V12), so that every process on that database (each node of a
 * PostgreSQL deployment, or the same SQLite folder after a restart) uses the same value. A secret
 * is made once, from {@link SecureRandom}, by whichever process asks first; it never leaves the
 * database except into the memory of the processes that use it, and nothing about who asked or
 * when is stored beside it.
 */
public final class ServerSecrets {
    /** Bytes in a secret this class makes. */
    public static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    // ON CONFLICT … DO NOTHING is the same statement in SQLite (3.24+) and PostgreSQL (9.5+): of two
    // processes inserting at once, one row wins and the other insert is a no-op (PostgreSQL makes the
    // second wait for the first's commit), so the SELECT after it reads the winner in both.
    private static final String INSERT = "INSERT INTO server_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
    private static final String SELECT = "SELECT secret FROM server_secrets WHERE name = ?";

    private ServerSecrets() {}

    /**
     * The secret called {@code name} in this database: the stored one, or a new random one of
     * {@value #LENGTH} bytes stored now if there is none yet. Safe when several processes ask at once:
     * they all get the same bytes.
     *
     * @throws StoreUnavailableException if the database cannot be read or written
     */
    public static byte[] getOrCreate(DataSource database, String name) {
        Objects.requireNonNull(name, "name");
        byte[] fresh = new byte[LENGTH];
        RANDOM.nextBytes(fresh);
        try (Connection c = database.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, name);
                insert.setBytes(2, fresh);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement(SELECT)) {
                select.setString(1, name);
                try (ResultSet r = select.executeQuery()) {
                    if (!r.next()) {
                        throw new StoreUnavailableException("the server secret " + name + " was stored but cannot be read back");
                    }
                    byte[] secret = r.getBytes(1);
                    if (secret == null || secret.length < LENGTH) {
                        throw new StoreUnavailableException("the stored server secret " + name + " is shorter than "
                                + LENGTH + " bytes");
                    }
                    return secret;
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read or create the server secret " + name + ": " + e.getMessage(), e);
        }
    }
}
