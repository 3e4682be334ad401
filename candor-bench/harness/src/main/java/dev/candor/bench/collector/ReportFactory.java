package dev.candor.bench.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Makes reports that a collector must accept for a given catalog (wire format v1): what a population of
 * installs would send after a period closes. Each report uses a few cells of each event, as a real install
 * does; noised events are dense (every cell, as the SDK sends them); counts stay within
 * {@code max_per_cell}; the context varies over the values the wire format allows.
 *
 * <p>Reports are made once as templates (the costly part) and stamped with a fresh {@code report_id} per
 * request, so the load generator spends almost nothing per report and every report is new to the
 * collector (no duplicate shortcut).
 */
public final class ReportFactory {
    static final String ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000";
    private static final List<String> DURATIONS = List.of("<100ms", "100ms-1s", "1s-5s", "5s-30s", ">30s");
    private static final List<String> COUNTS = List.of("0", "1", "2-5", "6-20", "21-100", ">100");
    private static final List<String> ERROR_TYPES = List.of("java.io.IOException", "java.nio.file.NoSuchFileException",
            "java.lang.IllegalArgumentException", "java.lang.OutOfMemoryError", "other");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode catalog;
    private final String app;
    private final String sha256;
    private final long maxPerCell;
    private final String period;
    private final List<String> templates = new ArrayList<>();
    /** The templates as UTF-8, and where each one's report_id placeholder starts, for {@link #batchBytes}. */
    private final List<byte[]> templateBytes = new ArrayList<>();
    private final List<Integer> idOffsets = new ArrayList<>();

    /**
     * @param catalogFile the catalog, exactly as the collector was given it (its SHA-256 is the version)
     * @param templateCount how many distinct report bodies to prepare
     * @param seed makes the reports reproducible
     */
    public ReportFactory(Path catalogFile, int templateCount, long seed) throws IOException {
        byte[] bytes = Files.readAllBytes(catalogFile);
        this.catalog = MAPPER.readTree(bytes);
        this.app = catalog.required("app").asText();
        this.sha256 = sha256(bytes);
        this.maxPerCell = catalog.path("max_per_cell").asLong(100);
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        this.period = "week".equals(catalog.path("period").asText("day"))
                ? yesterday.minusWeeks(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString()
                : yesterday.toString();
        Random random = new Random(seed);
        for (int i = 0; i < templateCount; i++) {
            String template = MAPPER.writeValueAsString(report(random));
            templates.add(template);
            templateBytes.add(template.getBytes(StandardCharsets.UTF_8));
            idOffsets.add(template.substring(0, template.indexOf(ID_PLACEHOLDER)).getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /** The app the reports are for. */
    public String app() {
        return app;
    }

    /** One report, as the SDK would leave it in its outbox. */
    public record Report(String id, String period, String json) {}

    /** One report with a fresh random report_id. */
    public Report outboxReport(Random random) {
        String id = randomUuid(random);
        String template = templates.get(random.nextInt(templates.size()));
        return new Report(id, period, template.replace(ID_PLACEHOLDER, id));
    }

    /** A {@code {"reports": [...]}} body of {@code size} reports, each with a fresh random report_id. */
    public String batch(int size, Random random) {
        StringBuilder body = new StringBuilder(size * 700).append("{\"reports\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                body.append(',');
            }
            String template = templates.get(random.nextInt(templates.size()));
            body.append(template.replace(ID_PLACEHOLDER, randomUuid(random)));
        }
        return body.append("]}").toString();
    }

    /**
     * The body {@link #batch} makes from the same {@code random}, as UTF-8 bytes, built by copying prepared bytes
     * and writing each fresh report_id in place: the load generator must cost the machine far less than the
     * server it measures, since both share its cores.
     */
    public byte[] batchBytes(int size, Random random) {
        int[] picks = new int[size];
        long[] highs = new long[size];
        long[] lows = new long[size];
        int length = BATCH_START.length + BATCH_END.length + Math.max(0, size - 1);
        for (int i = 0; i < size; i++) {
            picks[i] = random.nextInt(templates.size());
            highs[i] = (random.nextLong() & ~0xF000L) | 0x4000L;
            lows[i] = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            length += templateBytes.get(picks[i]).length;
        }
        byte[] body = new byte[length];
        System.arraycopy(BATCH_START, 0, body, 0, BATCH_START.length);
        int at = BATCH_START.length;
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] template = templateBytes.get(picks[i]);
            System.arraycopy(template, 0, body, at, template.length);
            writeUuid(highs[i], lows[i], body, at + idOffsets.get(picks[i]));
            at += template.length;
        }
        System.arraycopy(BATCH_END, 0, body, at, BATCH_END.length);
        return body;
    }

    private static final byte[] BATCH_START = "{\"reports\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_END = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Writes the UUID of these two halves as {@link UUID#toString()} does, 36 ASCII bytes at {@code at}. */
    private static void writeUuid(long high, long low, byte[] out, int at) {
        int position = at;
        for (int nibble = 0; nibble < 32; nibble++) {
            if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
                out[position++] = '-';
            }
            long bits = nibble < 16 ? high : low;
            int shift = 60 - 4 * (nibble % 16);
            out[position++] = HEX_DIGITS[(int) (bits >>> shift) & 0xF];
        }
    }

    /** A version 4 (random) UUID drawn from {@code random}, cheaper than {@link UUID#randomUUID()}'s SecureRandom. */
    static String randomUuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private ObjectNode report(Random random) {
        ObjectNode report = MAPPER.createObjectNode();
        report.put("v", 1);
        report.put("report_id", ID_PLACEHOLDER);
        report.put("app", app);
        report.put("app_version", pick(random, List.of("1.9", "2.0", "2.0", "2.1")));
        report.put("catalog_sha256", sha256);
        report.put("period", period);
        ObjectNode context = report.putObject("context");
        context.put("os", pick(random, List.of("linux", "linux", "macos", "windows")));
        context.put("arch", pick(random, List.of("x64", "x64", "arm64")));
        context.put("runtime", pick(random, List.of("java_11", "java_17", "java_21", "java_21")));
        context.put("memory_tier", pick(random, List.of("low", "medium", "high")));
        context.put("install_method", pick(random, List.of("maven", "brew", "zip", "unknown")));
        context.put("ci", random.nextInt(5) == 0);
        ObjectNode noise = MAPPER.createObjectNode();
        ObjectNode counts = report.putObject("counts");
        for (Iterator<Map.Entry<String, JsonNode>> events = catalog.required("events").fields(); events.hasNext(); ) {
            Map.Entry<String, JsonNode> event = events.next();
            List<List<Map.Entry<String, Object>>> cells = cells(event.getValue().path("fields"));
            JsonNode noiseSpec = event.getValue().get("noise");
            ArrayNode list = MAPPER.createArrayNode();
            if (noiseSpec != null) {
                ObjectNode entry = noise.putObject(event.getKey());
                entry.put("mechanism", "discrete_laplace");
                entry.set("epsilon", noiseSpec.required("epsilon"));
                for (List<Map.Entry<String, Object>> cell : cells) {
                    list.add(cell(cell, random.nextInt((int) Math.min(maxPerCell, 20) + 1)));
                }
            } else if (random.nextInt(4) > 0) {
                Set<Integer> used = new LinkedHashSet<>();
                int wanted = 1 + random.nextInt(Math.min(5, cells.size()));
                while (used.size() < wanted) {
                    used.add(random.nextInt(cells.size()));
                }
                for (int index : used) {
                    list.add(cell(cells.get(index), 1 + random.nextInt((int) Math.min(maxPerCell, 30))));
                }
            }
            if (!list.isEmpty()) {
                counts.set(event.getKey(), list);
            }
        }
        if (!noise.isEmpty()) {
            report.set("noise", noise);
        }
        return report;
    }

    private static ObjectNode cell(List<Map.Entry<String, Object>> values, long n) {
        ObjectNode cell = MAPPER.createObjectNode();
        for (Map.Entry<String, Object> value : values) {
            if (value.getValue() instanceof Boolean flag) {
                cell.put(value.getKey(), flag);
            } else {
                cell.put(value.getKey(), (String) value.getValue());
            }
        }
        cell.put("n", n);
        return cell;
    }

    /** Every cell of an event: the product of its fields' values. */
    private static List<List<Map.Entry<String, Object>>> cells(JsonNode fields) {
        List<List<Map.Entry<String, Object>>> cells = new ArrayList<>();
        cells.add(List.of());
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            List<List<Map.Entry<String, Object>>> next = new ArrayList<>();
            for (List<Map.Entry<String, Object>> prefix : cells) {
                for (Object value : values(field.getKey(), field.getValue())) {
                    List<Map.Entry<String, Object>> cell = new ArrayList<>(prefix);
                    cell.add(Map.entry(field.getKey(), value));
                    next.add(cell);
                }
            }
            cells = next;
        }
        return cells;
    }

    private static List<Object> values(String name, JsonNode field) {
        String type = field.required("type").asText();
        switch (type) {
            case "enum": {
                List<Object> values = new ArrayList<>();
                field.required("values").forEach(value -> values.add(value.asText()));
                return values;
            }
            case "boolean": return List.of(true, false);
            case "duration": return List.copyOf(DURATIONS);
            case "count": return List.copyOf(COUNTS);
            case "error_type": return List.copyOf(ERROR_TYPES);
            default: throw new IllegalArgumentException("catalog field " + name + ": type \"" + type
                    + "\" is unknown to the load generator; teach ReportFactory.values about it");
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
