package dev.candor.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Dashboard sign-ins that were signed out before they expired (table {@code ended_sign_ins},
 * migration V13), kept in the database so that every node on it, and every restart, refuses them.
 * A sign-in is named by the random id its cookie carries; its row lives until the end of the hour of
 * the cookie's own expiry (the exact expiry would tell the second the maintainer signed in), when the
 * cookie is refused anyway, so the table never holds more than the sign-outs of about one sign-in's
 * lifetime. Only a valid sign-in can be signed out, so nobody without the admin token
 * can add a row.
 */
public final class EndedSignIns {
    // ON CONFLICT … DO NOTHING is the same statement in SQLite (3.24+) and PostgreSQL (9.5+): signing
    // out twice, or on two nodes at once, keeps one row.
    private static final String INSERT = "INSERT INTO ended_sign_ins (id, expires) VALUES (?, ?) ON CONFLICT (id) DO NOTHING";
    private static final String PRUNE = "DELETE FROM ended_sign_ins WHERE expires <= ?";
    private static final String SELECT = "SELECT 1 FROM ended_sign_ins WHERE id = ?";

    private EndedSignIns() {}

    /**
     * Ends the sign-in {@code id}, which expires at {@code expiresEpochSecond}, and drops the rows of
     * sign-ins that expired by {@code nowEpochSecond}.
     *
     * @throws StoreUnavailableException if the database cannot be written: the sign-in is not ended
     */
    public static void end(DataSource database, String id, long expiresEpochSecond, long nowEpochSecond) {
        try (Connection c = database.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, id);
                // kept until the end of the hour the sign-in expires in: its exact expiry would tell to the
                // second when the maintainer signed in, and no arrival time is written
                insert.setLong(2, Math.floorDiv(expiresEpochSecond + 3599, 3600L) * 3600L);
                insert.executeUpdate();
            }
            try (PreparedStatement prune = c.prepareStatement(PRUNE)) {
                prune.setLong(1, nowEpochSecond);
                prune.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot record the sign-out: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the sign-in {@code id} was ended.
     *
     * @throws StoreUnavailableException if the database cannot be read
     */
    public static boolean isEnded(DataSource database, String id) {
        try (Connection c = database.getConnection(); PreparedStatement select = c.prepareStatement(SELECT)) {
            select.setString(1, id);
            try (ResultSet r = select.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot check whether a sign-in was signed out: " + e.getMessage(), e);
        }
    }
}
