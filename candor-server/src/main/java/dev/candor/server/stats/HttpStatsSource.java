package dev.candor.server.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.server.FailureReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a running collector through its public stats API ({@code GET /v1/apps/{app}/stats},
 * {@code …/ledger}) and, given the admin token, its maintainer endpoints ({@code /v1/apps}, {@code …/periods},
 * {@code …/rollups}). Used by {@code candor stats --url}. Errors name the URL and the status.
 */
public final class HttpStatsSource implements StatsSource {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String adminToken;
    private final HttpClient client;

    /** @param adminToken the collector's admin token, or {@code null} to read public numbers only */
    public HttpStatsSource(URI base, String adminToken) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.adminToken = adminToken;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @Override
    public List<String> releasedPeriods(String app) {
        TreeSet<String> periods = new TreeSet<>();
        for (LedgerEntry e : ledger(app)) {
            periods.add(e.period());
        }
        return List.copyOf(periods);
    }

    @Override
    public Optional<StatsRelease> release(String app, String period, String by) {
        String path = "v1/apps/" + enc(app) + "/stats?period=" + enc(period) + "&by=" + enc(by);
        return get(path, false).map(body -> StatsJson.parseRelease(body, base.resolve(path).toString()));
    }

    @Override
    public List<LedgerEntry> ledger(String app) {
        String path = "v1/apps/" + enc(app) + "/ledger";
        return get(path, false).map(body -> StatsJson.parseLedger(body, base.resolve(path).toString()))
                .orElse(List.of());
    }

    @Override
    public List<String> unreleasedPeriods(String app) {
        requireAdminToken();
        String path = "v1/apps/" + enc(app) + "/periods";
        Optional<String> body = get(path, true);
        if (body.isEmpty()) {
            return List.of();
        }
        List<String> released = releasedPeriods(app);
        List<String> out = new ArrayList<>();
        for (String p : periodsOf(body.get(), base.resolve(path).toString())) {
            if (!released.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public Optional<StatsRelease> rollup(String app, String period, String by) {
        requireAdminToken();
        String path = "v1/apps/" + enc(app) + "/rollups?period=" + enc(period) + "&by=" + enc(by);
        return get(path, true).map(body -> StatsJson.parseRelease(body, base.resolve(path).toString()));
    }

    /**
     * The apps of the collector ({@code GET /v1/apps}, an admin endpoint), or empty when this source has no admin
     * token or the collector is older than that route (404): then it cannot tell.
     */
    @Override
    public Optional<List<String>> knownApps() {
        if (adminToken == null || adminToken.isBlank()) {
            return Optional.empty();
        }
        String path = "v1/apps";
        return get(path, true).map(body -> appsOf(body, base.resolve(path).toString()));
    }

    /** Reads {@code {"apps": [{"app": "acme", …}, …]}}, sorted. */
    static List<String> appsOf(String json, String source) {
        JsonNode root = StatsJson.read(json, source);
        JsonNode list = root.get("apps");
        if (list == null || !list.isArray()) {
            throw new StatsFormatException(source + ": expected {\"apps\": [...]}");
        }
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode a : list) {
            out.add(a.path("app").asText());
        }
        out.remove("");
        return List.copyOf(out);
    }

    /** Exact numbers are the maintainer's: without the token, say so rather than answer "none". */
    private void requireAdminToken() {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalStateException("the exact numbers of a running collector need its admin token: "
                    + "give --admin-token TOKEN or set CANDOR_ADMIN_TOKEN");
        }
    }

    /** Accepts {@code [{"period": …}, …]}, {@code {"periods": [...]}} with objects or strings. */
    static List<String> periodsOf(String json, String source) {
        JsonNode root = StatsJson.read(json, source);
        JsonNode list = root.isArray() ? root : root.get("periods");
        if (list == null || !list.isArray()) {
            throw new StatsFormatException(source + ": expected a list of periods");
        }
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode p : list) {
            out.add(p.isTextual() ? p.asText() : p.path("period").asText());
        }
        out.remove("");
        return List.copyOf(out);
    }

    private Optional<String> get(String path, boolean admin) {
        URI uri = base.resolve(path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (admin) {
            req.header("Authorization", "Bearer " + adminToken);
        }
        HttpResponse<String> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the collector at " + uri + ": " + FailureReason.of(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
        if (resp.statusCode() == 404 && admin && resp.body().contains("admin-disabled")) {
            throw new IllegalStateException(uri + " answered HTTP 404: its admin endpoints are off (that collector was "
                    + "started without an admin token), so it does not tell its apps or exact numbers");
        }
        if (resp.statusCode() == 404) {
            return Optional.empty();
        }
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw new IllegalStateException(uri + " refused the admin token (HTTP " + resp.statusCode()
                    + "); check --admin-token or CANDOR_ADMIN_TOKEN");
        }
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered HTTP " + resp.statusCode() + ": "
                    + abbreviate(resp.body()));
        }
        return Optional.of(resp.body());
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
