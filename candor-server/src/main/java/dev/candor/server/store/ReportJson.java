package dev.candor.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a report's canonical JSON (wire format v1, already validated) back into a {@link Report}.
 * This is the one way from canonical JSON to the model, used by the store when it hands reports to
 * rollups ({@link #read}) and by ingest after validation ({@link #fromTree}, on the canonical tree it
 * has just written as text), so both always agree on what a report means.
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {}

    /**
     * @throws IllegalArgumentException if the text is not a well-formed v1 report (a validated or
     *     stored report always is)
     */
    public static Report read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored report is not JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(root, json);
    }

    /**
     * The report that {@code root} holds, when the caller already has the tree of {@code json} (ingest
     * builds the canonical tree, writes it once as {@code json}, and reads the model from the same tree
     * instead of parsing the text again).
     *
     * @throws IllegalArgumentException if the tree is not a well-formed v1 report
     */
    public static Report fromTree(JsonNode root, String json) {
        try {
            JsonNode context = root.required("context");
            Report.ReportContext reportContext = new Report.ReportContext(
                    context.required("os").asText(),
                    context.required("arch").asText(),
                    context.required("runtime").asText(),
                    context.required("memory_tier").asText(),
                    context.required("install_method").asText(),
                    context.required("ci").asBoolean());
            Map<String, Double> noised = new LinkedHashMap<>();
            JsonNode noise = root.path("noise");
            for (Iterator<Map.Entry<String, JsonNode>> it = noise.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                noised.put(e.getKey(), e.getValue().required("epsilon").asDouble());
            }
            List<Report.Cell> cells = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.required("counts").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> event = it.next();
                for (JsonNode cell : event.getValue()) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    long n = 0;
                    for (Iterator<Map.Entry<String, JsonNode>> f = cell.fields(); f.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = f.next();
                        if (field.getKey().equals("n")) {
                            n = field.getValue().longValue();
                        } else {
                            fields.put(field.getKey(), field.getValue().asText());
                        }
                    }
                    cells.add(new Report.Cell(event.getKey(), fields, n));
                }
            }
            return new Report(
                    UUID.fromString(root.required("report_id").asText()),
                    root.required("app").asText(),
                    root.required("app_version").asText(),
                    root.required("catalog_sha256").asText(),
                    LocalDate.parse(root.required("period").asText()),
                    reportContext,
                    noised,
                    cells,
                    json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stored report is not a v1 report: " + e.getMessage(), e);
        }
    }
}
