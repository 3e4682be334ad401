package dev.candor.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Valid v1 reports for the acme example's catalog, written by hand as an install would send them,
 * for tests to send as they are or to break one piece at a time.
 */
public final class AcmeReports {
    /** The acme example's catalog, as shipped in its jar (tests run in the candor-server folder). */
    public static final Path CATALOG = Path.of("..", "examples", "acme", "src", "main", "resources", "META-INF",
            "candor", "catalog.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AcmeReports() {}

    public static byte[] catalogBytes() {
        try {
            return Files.readAllBytes(CATALOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String catalogSha256() {
        return sha256(catalogBytes());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    /** A valid report of today with a fresh id: a few exact counts and the dense noised event. */
    public static ObjectNode valid() {
        return valid(UUID.randomUUID());
    }

    public static ObjectNode valid(UUID id) {
        return valid(id, catalogSha256());
    }

    /** A valid report following the acme catalog version {@code catalogSha256}. */
    public static ObjectNode valid(UUID id, String catalogSha256) {
        ObjectNode report = MAPPER.createObjectNode();
        report.put("v", 1);
        report.put("report_id", id.toString());
        report.put("app", "acme");
        report.put("app_version", "2.0");
        report.put("catalog_sha256", catalogSha256);
        report.put("period", today());
        report.putObject("context").put("os", "linux").put("arch", "x64").put("runtime", "java_17")
                .put("memory_tier", "high").put("install_method", "maven").put("ci", false);
        report.putObject("noise").putObject("input_size").put("mechanism", "discrete_laplace").put("epsilon", 1.0);
        ObjectNode counts = report.putObject("counts");
        ArrayNode runs = counts.putArray("command_run");
        runs.addObject().put("command", "convert").put("success", true).put("duration", "1s-5s").put("n", 4);
        runs.addObject().put("command", "hash").put("success", false).put("duration", "<100ms").put("n", 1);
        counts.putArray("error").addObject().put("type", "java.io.IOException").put("n", 1);
        ArrayNode sizes = counts.putArray("input_size");
        int[] noisy = {3, -1, 0, 2};
        List<String> buckets = List.of("<1KB", "1KB-1MB", "1MB-100MB", ">100MB");
        for (int i = 0; i < buckets.size(); i++) {
            sizes.addObject().put("size", buckets.get(i)).put("n", noisy[i]);
        }
        return report;
    }

    /** {@code {"reports": [...]}} of the given reports. */
    public static ObjectNode batch(ObjectNode... reports) {
        ObjectNode batch = MAPPER.createObjectNode();
        ArrayNode list = batch.putArray("reports");
        for (ObjectNode report : reports) {
            list.add(report);
        }
        return batch;
    }

    public static byte[] bytes(ObjectNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
