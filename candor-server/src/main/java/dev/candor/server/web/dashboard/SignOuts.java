package dev.candor.server.web.dashboard;

import dev.candor.server.store.EndedSignIns;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Where the dashboard remembers sign-ins that were signed out before they expired, by the random id
 * their cookie carries, until that expiry: a cookie copied before its sign-out is refused from then on.
 */
interface SignOuts {

    /** Ends the sign-in {@code id}, which would have lasted until {@code expiresEpochSecond}. */
    void end(String id, long expiresEpochSecond, long nowEpochSecond);

    /** Whether the sign-in {@code id} was ended. */
    boolean isEnded(String id);

    /** Sign-outs kept in a collector's database, which every node on it and every restart share. */
    static SignOuts storedIn(DataSource database) {
        return new SignOuts() {
            @Override
            public void end(String id, long expiresEpochSecond, long nowEpochSecond) {
                EndedSignIns.end(database, id, expiresEpochSecond, nowEpochSecond);
            }

            @Override
            public boolean isEnded(String id) {
                return EndedSignIns.isEnded(database, id);
            }
        };
    }

    /** Sign-outs kept by this process alone, for routes whose sign-ins are this process's alone. */
    static SignOuts inMemory() {
        Map<String, Long> ended = new ConcurrentHashMap<>();
        return new SignOuts() {
            @Override
            public void end(String id, long expiresEpochSecond, long nowEpochSecond) {
                ended.values().removeIf(expires -> expires <= nowEpochSecond);
                ended.put(id, expiresEpochSecond);
            }

            @Override
            public boolean isEnded(String id) {
                return ended.containsKey(id);
            }
        };
    }
}
