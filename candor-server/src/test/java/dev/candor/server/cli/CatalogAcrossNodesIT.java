package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.ServeProcess;
import dev.candor.server.testing.TestCollector;
import dev.candor.server.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code candor serve --db …} processes on one PostgreSQL database, as a maintainer and the installs
 * see them: a new catalog version uploaded to node A is known to node B from the first report that
 * names it (nothing refused, nothing lost), a made-up version is still refused there, and node B serves
 * a version made current through node A within {@link CatalogRegistry#REFRESH_EVERY}.
 */
class CatalogAcrossNodesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path logs;
    private final List<ServeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopEveryNode() throws InterruptedException {
        for (ServeProcess node : nodes) {
            node.close();
        }
    }

    @Test
    void aCatalogVersionUploadedToOneNodeIsKnownToTheOther() throws Exception {
        String database = TestPostgres.newDatabase();
        ServeProcess nodeA = ServeProcess.start(logs.resolve("a"), logs.resolve("a"), "--db", database);
        nodes.add(nodeA);
        ServeProcess nodeB = ServeProcess.start(logs.resolve("b"), logs.resolve("b"), "--db", database);
        nodes.add(nodeB);

        String v2 = upload(nodeA, version(1));
        UUID id = UUID.randomUUID();
        HttpResponse<String> accepted = post(nodeB, AcmeReports.valid(id, v2));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(storedCatalogOf(database, id)).isEqualTo(v2);
        assertThat(currentOnAdminList(nodeB)).as("the report made node B read the current version").isEqualTo(v2);

        String madeUp = "ab".repeat(32);
        for (int i = 0; i < 2; i++) { // the second answer comes from the remembered miss
            HttpResponse<String> refused = post(nodeB, AcmeReports.valid(UUID.randomUUID(), madeUp));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(JSON.readTree(refused.body()).get("detail").asText()).endsWith(".catalog_sha256: not a catalog "
                    + "version of acme known here; the current one is " + v2 + " (GET /v1/apps/acme/catalog)");
        }

        String v3 = upload(nodeA, version(2));
        long uploaded = System.nanoTime();
        while (!v3.equals(publicCurrent(nodeB))) {
            assertThat(Duration.ofNanos(System.nanoTime() - uploaded))
                    .as("node B serves the version made current through node A within the refresh interval")
                    .isLessThan(CatalogRegistry.REFRESH_EVERY.plusSeconds(5));
            Thread.sleep(250);
        }
        assertThat(currentOnAdminList(nodeB)).isEqualTo(v3);
    }

    private static byte[] version(int n) {
        return (new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8) + "\n".repeat(n)).getBytes(StandardCharsets.UTF_8);
    }

    /** PUTs a catalog version to {@code node} and answers its SHA-256. */
    private static String upload(ServeProcess node, byte[] catalog) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/apps/acme/catalog"))
                .header("Authorization", "Bearer " + TestCollector.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(catalog)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String sha = JSON.readTree(response.body()).get("sha256").asText();
        assertThat(sha).isEqualTo(AcmeReports.sha256(catalog));
        return sha;
    }

    private static HttpResponse<String> post(ServeProcess node, com.fasterxml.jackson.databind.node.ObjectNode report) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/reports"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AcmeReports.bytes(AcmeReports.batch(report)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The catalog_sha256 of acme in the node's {@code GET /v1/apps}. */
    private static String currentOnAdminList(ServeProcess node) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/apps"))
                .header("Authorization", "Bearer " + TestCollector.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode app : JSON.readTree(response.body()).path("apps")) {
            if (app.path("app").asText().equals("acme")) {
                return app.path("catalog_sha256").asText();
            }
        }
        throw new AssertionError("no acme in " + response.body());
    }

    /** The version the node's public catalog URL serves. */
    private static String publicCurrent(ServeProcess node) throws Exception {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/apps/acme/catalog"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        String sha = response.headers().firstValue("Candor-Catalog-Sha256").orElseThrow();
        assertThat(AcmeReports.sha256(response.body())).isEqualTo(sha);
        return sha;
    }

    private static String storedCatalogOf(String database, UUID id) throws Exception {
        try (Connection connection = DriverManager.getConnection(database);
                PreparedStatement query = connection.prepareStatement("SELECT body FROM reports WHERE report_id = ?")) {
            query.setObject(1, id);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("report " + id + " is stored").isTrue();
                return JSON.readTree(rs.getString(1)).get("catalog_sha256").asText();
            }
        }
    }
}
