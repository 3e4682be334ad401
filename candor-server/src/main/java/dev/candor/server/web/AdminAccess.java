package dev.candor.server.web;

import dev.candor.server.ingest.Problem;
import dev.candor.server.ingest.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Guards the admin endpoints with {@code Authorization: Bearer <token>}. Without a configured
 * token the admin endpoints are off and answer 404, so an unconfigured collector exposes nothing
 * exact. Tokens are compared in constant time.
 */
final class AdminAccess {
    private final byte[] token;

    /** @param token the admin token, or null when admin endpoints are off */
    AdminAccess(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean enabled() {
        return token != null;
    }

    /** @throws ProblemException 404 when admin is off, 401 for a missing or wrong token */
    void check(String authorization) {
        if (token == null) {
            throw new ProblemException(new Problem(404, "admin-disabled", "Admin endpoints are off",
                    "this collector has no admin token; start it with --admin-token or CANDOR_ADMIN_TOKEN", List.of()));
        }
        String prefix = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new ProblemException(new Problem(401, "unauthorized", "Admin token required",
                    "send Authorization: Bearer <admin token>", List.of()));
        }
        byte[] given = authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ProblemException(new Problem(401, "unauthorized", "Admin token required",
                    "the admin token is wrong", List.of()));
        }
    }
}
