package dev.candor.server.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.store.Report;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The fast way through {@code POST /v1/reports} for a body in which every report is valid: one
 * streaming pass over the bytes (the same strict parser settings as {@link StrictJson}) that checks each
 * report as {@link ReportValidator} does and writes the canonical report and its text directly, with no
 * JSON tree, no canonical tree and no second walk. A request's parse and validation were most of the
 * collector's CPU per report, and almost every request a collector sees is valid.
 *
 * <p>It never explains anything: at the first thing that is not plainly valid (an unknown key, a wrong
 * type, a value out of range, a report whose {@code counts} come before its catalog is named, a body
 * that does not parse) it gives up, and the caller runs the tree validator, which finds every problem
 * and words it. So it only ever accepts a body the tree validator accepts, and then returns the same
 * reports with the same canonical text ({@code ValidBatchReaderPropertiesTest} holds it to that).
 */
final class ValidBatchReader {
    private final ReportValidator validator;
    private final CatalogRegistry catalogs;

    ValidBatchReader(ReportValidator validator, CatalogRegistry catalogs) {
        this.validator = validator;
        this.catalogs = catalogs;
    }

    /** The reports of {@code body} when it is valid throughout; empty when the tree validator must look. */
    Optional<List<Report>> read(byte[] body) {
        try (JsonParser parser = StrictJson.factory().createParser(body)) {
            List<Report> reports = readBody(parser);
            if (reports == null || parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(reports);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<Report> readBody(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        JsonToken first = parser.nextToken();
        if (first == JsonToken.FIELD_NAME && "reports".equals(parser.currentName())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<Report> reports = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT || reports.size() == ReportIngest.MAX_BATCH) {
                    return null;
                }
                Report report = readReport(parser, parser.nextToken());
                if (report == null) {
                    return null;
                }
                reports.add(report);
            }
            return reports.isEmpty() || parser.nextToken() != JsonToken.END_OBJECT ? null : reports;
        }
        Report report = readReport(parser, first);
        return report == null ? null : List.of(report);
    }

    /** One report, the parser just past its START_OBJECT with {@code token} read; null to give up. */
    private Report readReport(JsonParser parser, JsonToken token) throws IOException {
        boolean versionSeen = false;
        String reportId = null;
        String app = null;
        String appVersion = null;
        String sha = null;
        String period = null;
        String[] context = null;
        Catalog catalog = null;
        boolean noiseSeen = false;
        StringBuilder counts = null;
        List<Report.Cell> cells = null;
        for (; token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "v" -> {
                    if (versionSeen || value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                            || parser.getIntValue() != 1) {
                        return null;
                    }
                    versionSeen = true;
                }
                case "report_id", "app", "app_version", "catalog_sha256", "period" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    String text = parser.getText();
                    switch (name) {
                        case "report_id" -> reportId = text;
                        case "app" -> app = text;
                        case "app_version" -> appVersion = text;
                        case "catalog_sha256" -> sha = text;
                        default -> period = text;
                    }
                }
                case "context" -> {
                    context = readContext(parser, value);
                    if (context == null) {
                        return null;
                    }
                }
                case "noise" -> {
                    catalog = catalog != null ? catalog : catalogOf(app, sha);
                    if (catalog == null || !readNoise(parser, value, catalog)) {
                        return null;
                    }
                    noiseSeen = true;
                }
                case "counts" -> {
                    catalog = catalog != null ? catalog : catalogOf(app, sha);
                    if (catalog == null || value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    counts = new StringBuilder(512);
                    cells = new ArrayList<>();
                    if (!readCounts(parser, catalog, counts, cells)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (token != JsonToken.END_OBJECT || !versionSeen || reportId == null || appVersion == null || period == null
                || context == null || counts == null || catalog == null) {
            return null;
        }
        if (!ReportValidator.isUuidText(reportId) || !ReportValidator.isRandomUuidText(reportId)
                || !ReportValidator.isAppVersion(appVersion)) {
            return null;
        }
        List<FieldError> periodProblems = new ArrayList<>(0);
        validator.checkPeriod(catalog, period, "$", periodProblems);
        if (!periodProblems.isEmpty()) {
            return null;
        }
        List<EventSpec> noised = noisedEvents(catalog);
        if (!noiseSeen && !noised.isEmpty()) {
            return null;
        }
        return report(reportId.toLowerCase(java.util.Locale.ROOT), app, appVersion, sha, period, context, noised, counts, cells);
    }

    /** The catalog a report names, once its app and catalog_sha256 have been read and are known here; else null. */
    private Catalog catalogOf(String app, String sha) {
        if (app == null || sha == null || !ReportValidator.isSha256Text(sha)) {
            return null;
        }
        return catalogs.find(app, sha).orElse(null); // a version installed through another node is looked up
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    private static final int OS = 0;
    private static final int ARCH = 1;
    private static final int RUNTIME = 2;
    private static final int MEMORY_TIER = 3;
    private static final int INSTALL_METHOD = 4;
    private static final int CI = 5;

    /** The six context values (ci as "true" or "false"), or null to give up. */
    private static String[] readContext(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return null;
        }
        String[] context = new String[6];
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken item = parser.nextToken();
            int index = switch (name) {
                case "os" -> OS;
                case "arch" -> ARCH;
                case "runtime" -> RUNTIME;
                case "memory_tier" -> MEMORY_TIER;
                case "install_method" -> INSTALL_METHOD;
                case "ci" -> CI;
                default -> -1;
            };
            if (index < 0) {
                return null;
            }
            if (index == CI) {
                if (item != JsonToken.VALUE_TRUE && item != JsonToken.VALUE_FALSE) {
                    return null;
                }
                context[CI] = item == JsonToken.VALUE_TRUE ? "true" : "false";
            } else {
                context[index] = text(parser, item);
                if (context[index] == null) {
                    return null;
                }
            }
        }
        for (String part : context) {
            if (part == null) {
                return null;
            }
        }
        boolean valid = ReportValidator.OS.contains(context[OS]) && ReportValidator.ARCH.contains(context[ARCH])
                && ReportValidator.isRuntime(context[RUNTIME]) && ReportValidator.MEMORY_TIERS.contains(context[MEMORY_TIER])
                && ReportValidator.isInstallMethod(context[INSTALL_METHOD]);
        return valid ? context : null;
    }

    private static List<EventSpec> noisedEvents(Catalog catalog) {
        List<EventSpec> noised = new ArrayList<>(2);
        for (EventSpec event : catalog.events()) {
            if (event.noised()) {
                noised.add(event);
            }
        }
        return noised;
    }

    /** Checks a report's noise block against the catalog (only its content matters: the canonical one is the catalog's). */
    private static boolean readNoise(JsonParser parser, JsonToken value, Catalog catalog) throws IOException {
        List<EventSpec> noised = noisedEvents(catalog);
        if (value == JsonToken.VALUE_NULL) {
            return noised.isEmpty();
        }
        if (value != JsonToken.START_OBJECT) {
            return false;
        }
        Set<String> named = new HashSet<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            EventSpec event = catalog.event(parser.currentName());
            if (event == null || !event.noised() || parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean mechanism = false;
            boolean epsilon = false;
            for (JsonToken key = parser.nextToken(); key != JsonToken.END_OBJECT; key = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken item = parser.nextToken();
                if (name.equals("mechanism")) {
                    mechanism = item == JsonToken.VALUE_STRING && parser.getText().equals("discrete_laplace");
                } else if (name.equals("epsilon")) {
                    BigDecimal sent = treeDecimal(parser, item);
                    epsilon = sent != null && sent.compareTo(event.noiseEpsilon()) == 0;
                } else {
                    return false;
                }
                if (!(name.equals("mechanism") ? mechanism : epsilon)) {
                    return false;
                }
            }
            if (!mechanism || !epsilon) {
                return false;
            }
            named.add(event.name());
        }
        return named.size() == noised.size();
    }

    /**
     * A number as the tree validator compares it: Jackson's tree holds a JSON fraction as a double, so
     * its decimal value is the double's; null for anything else (or an integer too large for a long).
     */
    private static BigDecimal treeDecimal(JsonParser parser, JsonToken item) throws IOException {
        if (item == JsonToken.VALUE_NUMBER_FLOAT) {
            return BigDecimal.valueOf(parser.getDoubleValue());
        }
        if (item == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return BigDecimal.valueOf(parser.getLongValue());
        }
        return null;
    }

    /**
     * Reads {@code counts}, writing its canonical text ({@code {"event":[cells…],…}}) to {@code out} and
     * each count to {@code cells}; false to give up.
     */
    private boolean readCounts(JsonParser parser, Catalog catalog, StringBuilder out, List<Report.Cell> cells)
            throws IOException {
        out.append('{');
        boolean firstEvent = true;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            EventSpec event = catalog.event(parser.currentName());
            if (event == null || parser.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            if (!firstEvent) {
                out.append(',');
            }
            firstEvent = false;
            CompactJson.string(event.name(), out);
            out.append(":[");
            if (!readCells(parser, catalog, event, out, cells)) {
                return false;
            }
            out.append(']');
        }
        out.append('}');
        return true;
    }

    private boolean readCells(JsonParser parser, Catalog catalog, EventSpec event, StringBuilder out,
            List<Report.Cell> cells) throws IOException {
        List<FieldSpec> fields = event.fields();
        long maxCells = (long) event.closedCellCount() * (event.errorTypeField() >= 0 ? FieldType.ERROR_TYPE_LIMIT + 1 : 1);
        long noiseBound = event.noised() ? ReportValidator.noiseBound(event.noiseEpsilon()) : 0;
        long lowest = event.noised() ? -noiseBound : 0;
        long highest = catalog.maxPerCell() + noiseBound;
        Set<List<String>> seen = new HashSet<>();
        Set<String> errorTypes = new HashSet<>();
        int count = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT || ++count > maxCells) {
                return false;
            }
            String[] values = new String[fields.size()];
            boolean nSeen = false;
            long n = 0;
            for (JsonToken key = parser.nextToken(); key != JsonToken.END_OBJECT; key = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken item = parser.nextToken();
                if (name.equals("n")) {
                    if (item != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return false;
                    }
                    n = parser.getLongValue();
                    nSeen = true;
                    continue;
                }
                int index = fieldIndex(fields, name);
                if (index < 0) {
                    return false;
                }
                String value = fieldValue(parser, item, catalog, fields.get(index));
                if (value == null) {
                    return false;
                }
                values[index] = value;
            }
            if (!nSeen || n < lowest || n > highest) {
                return false;
            }
            Map<String, String> cellFields = new LinkedHashMap<>();
            if (count > 1) {
                out.append(',');
            }
            out.append('{');
            for (int i = 0; i < values.length; i++) {
                FieldSpec field = fields.get(i);
                if (values[i] == null) {
                    return false;
                }
                if (field.type() == FieldType.ERROR_TYPE && !values[i].equals(ErrorTypes.OTHER)) {
                    errorTypes.add(values[i]);
                }
                CompactJson.string(field.name(), out);
                out.append(':');
                if (field.type() == FieldType.BOOLEAN) {
                    out.append(values[i]);
                } else {
                    CompactJson.string(values[i], out);
                }
                out.append(',');
                cellFields.put(field.name(), values[i]);
            }
            out.append("\"n\":").append(n).append('}');
            if (!seen.add(Arrays.asList(values))) {
                return false;
            }
            cells.add(new Report.Cell(event.name(), cellFields, n));
        }
        if (event.noised() && !ReportValidator.isSentForm(catalogs.noisedForms(catalog, event.name()), seen)) {
            return false;
        }
        return errorTypes.size() <= FieldType.ERROR_TYPE_LIMIT;
    }

    private static int fieldIndex(List<FieldSpec> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A cell's value as the canonical report writes it ({@code true}/{@code false} for a boolean), or null when not allowed. */
    private static String fieldValue(JsonParser parser, JsonToken item, Catalog catalog, FieldSpec field) throws IOException {
        switch (field.type()) {
            case BOOLEAN:
                if (item == JsonToken.VALUE_TRUE || item == JsonToken.VALUE_FALSE) {
                    return item == JsonToken.VALUE_TRUE ? "true" : "false";
                }
                return null;
            case ERROR_TYPE:
                if (item != JsonToken.VALUE_STRING) {
                    return null;
                }
                String type = parser.getText();
                return ErrorTypes.isAllowedValue(type, catalog.packages()) ? type : null;
            default:
                if (item != JsonToken.VALUE_STRING) {
                    return null;
                }
                String value = parser.getText();
                return field.indexOf(value) >= 0 ? value : null;
        }
    }

    private static Report report(String reportId, String app, String appVersion, String sha, String period, String[] context,
            List<EventSpec> noised, StringBuilder counts, List<Report.Cell> cells) {
        StringBuilder json = new StringBuilder(256 + counts.length());
        json.append("{\"v\":1,\"report_id\":");
        CompactJson.string(reportId, json);
        json.append(",\"app\":");
        CompactJson.string(app, json);
        json.append(",\"app_version\":");
        CompactJson.string(appVersion, json);
        json.append(",\"catalog_sha256\":");
        CompactJson.string(sha, json);
        json.append(",\"period\":");
        CompactJson.string(period, json);
        json.append(",\"context\":{\"os\":");
        CompactJson.string(context[OS], json);
        json.append(",\"arch\":");
        CompactJson.string(context[ARCH], json);
        json.append(",\"runtime\":");
        CompactJson.string(context[RUNTIME], json);
        json.append(",\"memory_tier\":");
        CompactJson.string(context[MEMORY_TIER], json);
        json.append(",\"install_method\":");
        CompactJson.string(context[INSTALL_METHOD], json);
        json.append(",\"ci\":").append(context[CI]).append("},\"noise\":{");
        Map<String, Double> noisedEvents = new LinkedHashMap<>();
        for (int i = 0; i < noised.size(); i++) {
            EventSpec event = noised.get(i);
            double epsilon = event.noiseEpsilon().doubleValue();
            if (i > 0) {
                json.append(',');
            }
            CompactJson.string(event.name(), json);
            json.append(":{\"mechanism\":\"discrete_laplace\",\"epsilon\":").append(epsilon).append('}');
            noisedEvents.put(event.name(), epsilon);
        }
        json.append("},\"counts\":").append(counts).append('}');
        Report.ReportContext reportContext = new Report.ReportContext(context[OS], context[ARCH], context[RUNTIME],
                context[MEMORY_TIER], context[INSTALL_METHOD], context[CI].equals("true"));
        return new Report(UUID.fromString(reportId), app, appVersion, sha, LocalDate.parse(period), reportContext,
                noisedEvents, cells, json.toString());
    }
}
