package dev.candor.server.rollup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.store.Report;
import dev.candor.server.store.ReportJson;
import dev.candor.server.store.ReportStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.UUID;

/** Small valid acme reports for the rollup and release tests, written as wire format v1. */
public final class Reports {

    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode counts;

    private Reports(LocalDate period) {
        root.put("v", 1);
        root.put("report_id", UUID.randomUUID().toString());
        root.put("app", "acme");
        root.put("app_version", "2.0");
        root.put("catalog_sha256", "ab".repeat(32));
        root.put("period", period.toString());
        ObjectNode context = root.putObject("context");
        context.put("os", "linux").put("arch", "x64").put("runtime", "java_17").put("memory_tier", "high")
                .put("install_method", "maven").put("ci", false);
        root.putObject("noise").putObject("input_size").put("mechanism", "discrete_laplace").put("epsilon", 1.0);
        counts = root.putObject("counts");
    }

    public static Reports on(LocalDate period) {
        return new Reports(period);
    }

    public Reports os(String os) {
        ((ObjectNode) root.get("context")).put("os", os);
        return this;
    }

    public Reports version(String version) {
        root.put("app_version", version);
        return this;
    }

    public Reports run(String command, boolean success, String duration, int n) {
        cells("command_run").addObject().put("command", command).put("success", success).put("duration", duration).put("n", n);
        return this;
    }

    public Reports error(String type, int n) {
        cells("error").addObject().put("type", type).put("n", n);
        return this;
    }

    public Reports inputSizes(int small, int medium, int large, int huge) {
        ArrayNode sizes = cells("input_size");
        sizes.addObject().put("size", "<1KB").put("n", small);
        sizes.addObject().put("size", "1KB-1MB").put("n", medium);
        sizes.addObject().put("size", "1MB-100MB").put("n", large);
        sizes.addObject().put("size", ">100MB").put("n", huge);
        return this;
    }

    private ArrayNode cells(String event) {
        return counts.has(event) ? (ArrayNode) counts.get(event) : counts.putArray(event);
    }

    public Report build() {
        return ReportJson.read(root.toString());
    }

    public static byte[] acmeCatalog() {
        try (InputStream in = Reports.class.getResourceAsStream("/acme-catalog.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void saveAcmeCatalog(ReportStore store) {
        store.saveCatalog("acme", "cd".repeat(32), acmeCatalog());
    }
}
