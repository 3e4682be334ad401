package dev.candor.server.store;

import java.time.LocalDate;
import java.util.UUID;

/** Small hand-written v1 reports for the store's tests (already valid, as ingest would pass them). */
final class StoredReports {
    private StoredReports() {}

    static Report report(UUID id, String app, LocalDate period) {
        return ReportJson.read("{\"v\":1,\"report_id\":\"" + id + "\",\"app\":\"" + app + "\",\"app_version\":\"2.0\","
                + "\"catalog_sha256\":\"" + "ab".repeat(32) + "\",\"period\":\"" + period + "\","
                + "\"context\":{\"os\":\"linux\",\"arch\":\"x64\",\"runtime\":\"java_17\",\"memory_tier\":\"high\","
                + "\"install_method\":\"maven\",\"ci\":false},"
                + "\"noise\":{\"input_size\":{\"mechanism\":\"discrete_laplace\",\"epsilon\":1.0}},"
                + "\"counts\":{\"command_run\":[{\"command\":\"convert\",\"success\":true,\"duration\":\"1s-5s\",\"n\":4}],"
                + "\"input_size\":[{\"size\":\"<1KB\",\"n\":-2},{\"size\":\"1KB-1MB\",\"n\":3}]}}");
    }
}
