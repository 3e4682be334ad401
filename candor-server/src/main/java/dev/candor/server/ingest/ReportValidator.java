package dev.candor.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.noise.DiscreteLaplace;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.rollup.Retention;
import dev.candor.server.store.Report;
import dev.candor.server.store.ReportJson;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one report against wire format v1 (DESIGN §5) and its app's catalog, and turns it into
 * the canonical {@link Report} the store keeps. Nothing unnamed passes: every key, context value,
 * event, field, value and count must be one the format and the catalog allow, so a stored report
 * can hold nothing the catalog did not declare. Every problem is reported with its JSON path, not
 * just the first. Thread-safe.
 */
public final class ReportValidator {
    /**
     * How far back a report's period may start: reports wait in outboxes of machines that were off.
     * A catalog with a shorter {@code retention_days} narrows it to the periods whose raw reports
     * retention still keeps, so a report is never acknowledged only to be deleted uncounted.
     */
    public static final Duration OLDEST_PERIOD = Duration.ofDays(21);
    /** Reports from clocks running ahead are accepted up to the next day. */
    public static final Duration CLOCK_SKEW = Duration.ofDays(1);
    /** Noise beyond this tail probability is treated as a forged count rather than noise. */
    static final double NOISE_TAIL_PROBABILITY = 1e-9;

    private static final List<String> REPORT_KEYS = List.of(
            "v", "report_id", "app", "app_version", "catalog_sha256", "period", "context", "noise", "counts");
    private static final List<String> CONTEXT_KEYS =
            List.of("os", "arch", "runtime", "memory_tier", "install_method", "ci");
    static final List<String> OS = List.of("linux", "macos", "windows", "other");
    static final List<String> ARCH = List.of("x64", "arm64", "other");
    static final List<String> MEMORY_TIERS = List.of("low", "medium", "high");
    /**
     * An install method as the SDK writes it (DESIGN §5: set by the app's launcher, {@code maven},
     * {@code brew}, {@code zip}, … or {@code unknown}): a short lower-case token, never free text.
     */
    private static final Pattern INSTALL_METHOD = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final Pattern APP_VERSION = Pattern.compile("(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})");
    private static final Pattern RUNTIME = Pattern.compile("java_([1-9][0-9]{0,2})");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CatalogRegistry catalogs;
    private final Clock clock;
    private volatile PeriodWindow lastDayWindow;
    private volatile PeriodWindow lastWeekWindow;

    public ReportValidator(CatalogRegistry catalogs, Clock clock) {
        this.catalogs = catalogs;
        this.clock = clock;
    }

    /** The one-pass reader of bodies that are valid throughout, judging by this validator's catalogs and clock. */
    ValidBatchReader validBatchReader() {
        return new ValidBatchReader(this, catalogs);
    }

    /**
     * Validates the report at {@code path} ({@code $} or {@code $.reports[3]}).
     *
     * @param errors receives every problem found
     * @return the canonical report, or empty when at least one problem was found
     */
    public Optional<Report> validate(JsonNode node, String path, List<FieldError> errors) {
        int before = errors.size();
        if (!node.isObject()) {
            errors.add(new FieldError(path, "a report must be a JSON object, not " + kind(node)));
            return Optional.empty();
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!REPORT_KEYS.contains(name)) {
                errors.add(new FieldError(path + key(name),
                        "unknown key; a v1 report holds only " + String.join(", ", REPORT_KEYS)));
            }
        }
        ObjectNode canonical = MAPPER.createObjectNode();

        JsonNode v = required(node, path, "v", errors);
        if (v != null && !(v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == 1)) {
            errors.add(new FieldError(path + ".v", "must be the number 1 (wire format v1), not " + v));
        }
        canonical.put("v", 1);

        String reportId = text(node, path, "report_id", errors);
        if (reportId != null) {
            String problem = reportIdProblem(reportId);
            if (problem != null) {
                errors.add(new FieldError(path + ".report_id", problem));
            }
        }
        canonical.put("report_id", reportId == null ? null : reportId.toLowerCase(Locale.ROOT));

        String app = text(node, path, "app", errors);
        boolean knownApp = app != null && (catalogs.currentSha256(app).isPresent() || installedElsewhere(app, node));
        if (app != null && !knownApp) {
            errors.add(new FieldError(path + ".app", "unknown app \"" + shorten(app) + "\"; this collector has catalogs for "
                    + (catalogs.apps().isEmpty() ? "no app yet" : String.join(", ", catalogs.apps()))));
        }
        canonical.put("app", app);

        String appVersion = text(node, path, "app_version", errors);
        if (appVersion != null && !isAppVersion(appVersion)) {
            errors.add(new FieldError(path + ".app_version",
                    "must be major.minor only, like \"2.0\", or \"unknown\", not \"" + shorten(appVersion) + "\""));
        }
        canonical.put("app_version", appVersion);

        String sha = text(node, path, "catalog_sha256", errors);
        Catalog catalog = null;
        if (sha != null && !isSha256Text(sha)) {
            errors.add(new FieldError(path + ".catalog_sha256", "must be 64 lower-case hex digits (a SHA-256)"));
        } else if (sha != null && knownApp) {
            catalog = catalogs.find(app, sha).orElse(null);
            if (catalog == null) {
                errors.add(new FieldError(path + ".catalog_sha256", "not a catalog version of " + app
                        + " known here; the current one is " + catalogs.currentSha256(app).orElse("?")
                        + " (GET /v1/apps/" + app + "/catalog)"));
            }
        }
        canonical.put("catalog_sha256", sha);

        String period = text(node, path, "period", errors);
        if (period != null && catalog != null) {
            checkPeriod(catalog, period, path + ".period", errors);
        }
        canonical.put("period", period);

        canonical.set("context", context(node, path, errors));

        JsonNode noise = node.get("noise");
        JsonNode counts = required(node, path, "counts", errors);
        if (catalog != null) {
            canonical.set("noise", noise(catalog, noise, path + ".noise", errors));
            if (counts != null) {
                canonical.set("counts", counts(catalog, counts, path + ".counts", errors));
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(ReportJson.fromTree(canonical, CompactJson.write(canonical)));
    }

    void checkPeriod(Catalog catalog, String period, String path, List<FieldError> errors) {
        Catalog.Period kind = catalog.period();
        if (!kind.isId(period)) {
            errors.add(new FieldError(path, "\"" + shorten(period) + "\" is not a " + kind.jsonName() + " period"
                    + (kind == Catalog.Period.WEEK ? " (a week is named by its Monday, yyyy-mm-dd)" : " (yyyy-mm-dd, UTC)")));
            return;
        }
        Instant now = clock.instant();
        PeriodWindow window = window(kind, now);
        LocalDate start = LocalDate.parse(period);
        LocalDate oldest = window.oldest;
        LocalDate newest = window.newest;
        if (start.isBefore(oldest)) {
            errors.add(new FieldError(path, period + " is too old; reports are accepted for periods from " + oldest
                    + " (21 days ago) on"));
        } else if (catalog.retentionDays() < OLDEST_PERIOD.toDays() && start.isBefore(Retention.firstKeptPeriod(catalog, now))) {
            errors.add(new FieldError(path, period + " is past retention: " + catalog.app() + "'s catalog keeps raw reports "
                    + catalog.retentionDays() + " day" + (catalog.retentionDays() == 1 ? "" : "s")
                    + " (retention_days), so reports are accepted for periods from "
                    + Retention.firstKeptPeriod(catalog, now) + " on"));
        } else if (start.isAfter(newest)) {
            errors.add(new FieldError(path, period + " is in the future; the latest period accepted is " + newest
                    + " (check the sender's clock)"));
        }
    }

    /**
     * The first and last period accepted at {@code now}. Both bounds move only when the UTC date does
     * (the skew and the age are whole days), so the window is computed once per day and kind.
     */
    private PeriodWindow window(Catalog.Period kind, Instant now) {
        long epochDay = Math.floorDiv(now.getEpochSecond(), 86_400L);
        PeriodWindow last = kind == Catalog.Period.WEEK ? lastWeekWindow : lastDayWindow;
        if (last != null && last.epochDay == epochDay) {
            return last;
        }
        PeriodWindow window = new PeriodWindow(epochDay, LocalDate.parse(kind.idOf(now.minus(OLDEST_PERIOD))),
                LocalDate.parse(kind.idOf(now.plus(CLOCK_SKEW))));
        if (kind == Catalog.Period.WEEK) {
            lastWeekWindow = window;
        } else {
            lastDayWindow = window;
        }
        return window;
    }

    private static final class PeriodWindow {
        final long epochDay;
        final LocalDate oldest;
        final LocalDate newest;

        PeriodWindow(long epochDay, LocalDate oldest, LocalDate newest) {
            this.epochDay = epochDay;
            this.oldest = oldest;
            this.newest = newest;
        }
    }

    private JsonNode context(JsonNode report, String path, List<FieldError> errors) {
        JsonNode context = required(report, path, "context", errors);
        ObjectNode canonical = MAPPER.createObjectNode();
        if (context == null) {
            return canonical;
        }
        String at = path + ".context";
        if (!context.isObject()) {
            errors.add(new FieldError(at, "must be an object with " + String.join(", ", CONTEXT_KEYS)));
            return canonical;
        }
        for (Iterator<String> names = context.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CONTEXT_KEYS.contains(name)) {
                errors.add(new FieldError(at + key(name), "unknown context key; the context holds only "
                        + String.join(", ", CONTEXT_KEYS)));
            }
        }
        canonical.put("os", oneOf(context, at, "os", OS, errors));
        canonical.put("arch", oneOf(context, at, "arch", ARCH, errors));
        String runtime = text(context, at, "runtime", errors);
        if (runtime != null) {
            if (!isRuntime(runtime)) {
                errors.add(new FieldError(at + ".runtime", "must be java_<major version>, like java_17, not \""
                        + shorten(runtime) + "\""));
            }
        }
        canonical.put("runtime", runtime);
        canonical.put("memory_tier", oneOf(context, at, "memory_tier", MEMORY_TIERS, errors));
        String installMethod = text(context, at, "install_method", errors);
        if (installMethod != null && !isInstallMethod(installMethod)) {
            errors.add(new FieldError(at + ".install_method", "must be a short lower-case token like maven, brew, zip "
                    + "or unknown (a-z, 0-9, - and _, at most 32), not \"" + shorten(installMethod) + "\""));
        }
        canonical.put("install_method", installMethod);
        JsonNode ci = required(context, at, "ci", errors);
        if (ci != null && !ci.isBoolean()) {
            errors.add(new FieldError(at + ".ci", "must be true or false, not " + shorten(ci.toString())));
        }
        canonical.put("ci", ci != null && ci.asBoolean());
        return canonical;
    }

    private ObjectNode noise(Catalog catalog, JsonNode noise, String path, List<FieldError> errors) {
        ObjectNode canonical = MAPPER.createObjectNode();
        Set<String> noised = new LinkedHashSet<>();
        for (EventSpec event : catalog.events()) {
            if (event.noised()) {
                noised.add(event.name());
            }
        }
        if (noise == null || noise.isNull()) {
            if (!noised.isEmpty()) {
                errors.add(new FieldError(path, "missing; the catalog noises " + String.join(", ", noised)
                        + " and the report must name them"));
            }
            return canonical;
        }
        if (!noise.isObject()) {
            errors.add(new FieldError(path, "must be an object naming each noised event"));
            return canonical;
        }
        for (Iterator<String> names = noise.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!noised.contains(name)) {
                errors.add(new FieldError(path + key(name), catalog.event(name) == null
                        ? "not an event of the catalog" : "the catalog does not noise this event"));
            }
        }
        for (String name : noised) {
            EventSpec event = catalog.event(name);
            JsonNode entry = noise.get(name);
            String at = path + key(name);
            if (entry == null) {
                errors.add(new FieldError(at, "missing; the catalog noises this event with epsilon "
                        + event.noiseEpsilon().toPlainString()));
                continue;
            }
            if (!entry.isObject()) {
                errors.add(new FieldError(at, "must be {\"mechanism\": \"discrete_laplace\", \"epsilon\": "
                        + event.noiseEpsilon().toPlainString() + "}"));
                continue;
            }
            for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
                String k = keys.next();
                if (!k.equals("mechanism") && !k.equals("epsilon")) {
                    errors.add(new FieldError(at + key(k), "unknown key; a noise entry holds only mechanism and epsilon"));
                }
            }
            JsonNode mechanism = entry.get("mechanism");
            if (mechanism == null || !"discrete_laplace".equals(mechanism.textValue())) {
                errors.add(new FieldError(at + ".mechanism", "must be \"discrete_laplace\""));
            }
            JsonNode epsilon = entry.get("epsilon");
            if (epsilon == null || !epsilon.isNumber() || epsilon.decimalValue().compareTo(event.noiseEpsilon()) != 0) {
                errors.add(new FieldError(at + ".epsilon", "must be " + event.noiseEpsilon().toPlainString()
                        + ", the catalog's epsilon for " + name));
            }
            canonical.putObject(name).put("mechanism", "discrete_laplace").put("epsilon", event.noiseEpsilon().doubleValue());
        }
        return canonical;
    }

    private ObjectNode counts(Catalog catalog, JsonNode counts, String path, List<FieldError> errors) {
        ObjectNode canonical = MAPPER.createObjectNode();
        if (!counts.isObject()) {
            errors.add(new FieldError(path, "must be an object from event name to a list of cells"));
            return canonical;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = path + key(entry.getKey());
            EventSpec event = catalog.event(entry.getKey());
            if (event == null) {
                List<String> names = new ArrayList<>();
                catalog.events().forEach(e -> names.add(e.name()));
                errors.add(new FieldError(at, "not an event of the catalog; it has " + String.join(", ", names)));
                continue;
            }
            canonical.set(event.name(), cells(catalog, event, entry.getValue(), at, errors));
        }
        return canonical;
    }

    private ArrayNode cells(Catalog catalog, EventSpec event, JsonNode cells, String path, List<FieldError> errors) {
        ArrayNode canonical = MAPPER.createArrayNode();
        if (!cells.isArray()) {
            errors.add(new FieldError(path, "must be a list of cells like {\"<field>\": <value>, …, \"n\": <count>}"));
            return canonical;
        }
        long maxCells = (long) event.closedCellCount() * (event.errorTypeField() >= 0 ? FieldType.ERROR_TYPE_LIMIT + 1 : 1);
        if (cells.size() > maxCells) {
            errors.add(new FieldError(path, cells.size() + " cells; event " + event.name() + " has at most " + maxCells));
            return canonical;
        }
        long noiseBound = event.noised() ? noiseBound(event.noiseEpsilon()) : 0;
        Map<List<String>, Integer> seen = new HashMap<>();
        boolean everyCellValid = true;
        Set<String> errorTypes = new HashSet<>();
        for (int i = 0; i < cells.size(); i++) {
            JsonNode cell = cells.get(i);
            if (!cell.isObject()) {
                errors.add(new FieldError(cellPath(path, i), "a cell must be an object of the event's fields and n"));
                everyCellValid = false;
                continue;
            }
            for (Iterator<String> names = cell.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("n") && event.field(name) == null) {
                    List<String> fields = new ArrayList<>();
                    event.fields().forEach(f -> fields.add(f.name()));
                    errors.add(new FieldError(cellPath(path, i) + key(name), "not a field of " + event.name() + "; its fields are "
                            + (fields.isEmpty() ? "none" : String.join(", ", fields)) + ", and n"));
                }
            }
            ObjectNode out = canonical.addObject();
            List<String> values = new ArrayList<>();
            boolean cellValid = true;
            for (FieldSpec field : event.fields()) {
                JsonNode value = cell.get(field.name());
                String problem = fieldProblem(catalog, field, value);
                if (problem != null) {
                    errors.add(new FieldError(cellPath(path, i) + key(field.name()), problem));
                    cellValid = false;
                    continue;
                }
                if (field.type() == FieldType.BOOLEAN) {
                    out.put(field.name(), value.booleanValue());
                } else {
                    out.put(field.name(), value.textValue());
                }
                if (field.type() == FieldType.ERROR_TYPE && !value.textValue().equals(ErrorTypes.OTHER)) {
                    errorTypes.add(value.textValue());
                }
                values.add(value.asText());
            }
            JsonNode n = cell.get("n");
            if (n == null) {
                errors.add(new FieldError(cellPath(path, i) + ".n", "missing; every cell has its count n"));
            } else if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                errors.add(new FieldError(cellPath(path, i) + ".n", "must be a whole number, not " + shorten(n.toString())));
            } else if (event.noised()) {
                long count = n.longValue();
                if (count < -noiseBound || count > catalog.maxPerCell() + noiseBound) {
                    errors.add(new FieldError(cellPath(path, i) + ".n", count + " is outside what noise can explain: a noised count of "
                            + event.name() + " lies in " + (-noiseBound) + ".." + (catalog.maxPerCell() + noiseBound)));
                }
                out.put("n", count);
            } else {
                long count = n.longValue();
                if (count < 0 || count > catalog.maxPerCell()) {
                    errors.add(new FieldError(cellPath(path, i) + ".n", count + " is outside 0.." + catalog.maxPerCell()
                            + " (counts are clamped to the catalog's max_per_cell)"));
                }
                out.put("n", count);
            }
            if (cellValid) {
                Integer earlier = seen.putIfAbsent(values, i);
                if (earlier != null) {
                    errors.add(new FieldError(cellPath(path, i), "the same cell as " + path + "[" + earlier + "]; send each cell once"));
                    everyCellValid = false;
                }
            } else {
                everyCellValid = false;
            }
        }
        // Judged only on cells that are each valid and distinct: otherwise their own problems are the ones to fix.
        if (event.noised() && everyCellValid && !isSentForm(catalogs.noisedForms(catalog, event.name()), seen.keySet())) {
            errors.add(new FieldError(path, notDense(event, seen.keySet())));
        }
        if (errorTypes.size() > FieldType.ERROR_TYPE_LIMIT) {
            errors.add(new FieldError(path, errorTypes.size() + " distinct error types besides \"other\"; an install reports at most "
                    + FieldType.ERROR_TYPE_LIMIT + " and folds the rest into \"other\""));
        }
        return canonical;
    }

    /**
     * Whether {@code cells} (each a value per field, booleans as {@code "true"}/{@code "false"}, all distinct)
     * are every cell of one of a noised event's {@code forms}, as the SDK sends it (DESIGN §5: dense, so that
     * an unused feature and a used one look alike; a sparse noised event would say which cells were used).
     */
    static boolean isSentForm(List<EventSpec> forms, Set<List<String>> cells) {
        for (EventSpec form : forms) {
            if (cells.size() == form.closedCellCount() && cells.stream().allMatch(cell -> isCellOf(form, cell))) {
                return true; // as many distinct cells as the form has, each one of them: all of them
            }
        }
        return false;
    }

    private static boolean isCellOf(EventSpec form, List<String> cell) {
        for (int i = 0; i < cell.size(); i++) {
            if (form.fields().get(i).indexOf(cell.get(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Why a noised event's cells are refused, naming the first few the catalog has that the report lacks. */
    private static String notDense(EventSpec event, Set<List<String>> cells) {
        List<String> missing = new ArrayList<>();
        for (int index = 0; index < event.closedCellCount(); index++) {
            List<String> values = List.of(event.cellValues(index));
            if (!cells.contains(values)) {
                missing.add(cellText(event, values));
            }
        }
        String reason = "lists " + cells.size() + " of the " + event.closedCellCount() + " cells of " + event.name()
                + ", which the catalog noises: a noised event is sent dense, every cell once with its noised count, so"
                + " that a feature never used looks like one used";
        if (missing.isEmpty()) {
            return reason;
        }
        return reason + "; missing " + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                + (missing.size() > 3 ? " and " + (missing.size() - 3) + " more" : "");
    }

    /** A cell as it is written in a report, without its count: {@code {"size":"<1KB"}}. */
    private static String cellText(EventSpec event, List<String> values) {
        ObjectNode cell = MAPPER.createObjectNode();
        for (int i = 0; i < values.size(); i++) {
            FieldSpec field = event.fields().get(i);
            if (field.type() == FieldType.BOOLEAN) {
                cell.put(field.name(), Boolean.parseBoolean(values.get(i)));
            } else {
                cell.put(field.name(), values.get(i));
            }
        }
        return cell.toString();
    }

    /** The JSONPath of cell {@code index}; built only when a problem is reported there. */
    private static String cellPath(String cellsPath, int index) {
        return cellsPath + "[" + index + "]";
    }

    private static String fieldProblem(Catalog catalog, FieldSpec field, JsonNode value) {
        if (value == null) {
            return "missing; every cell gives each field of its event";
        }
        switch (field.type()) {
            case BOOLEAN:
                return value.isBoolean() ? null : "must be true or false, not " + shorten(value.toString());
            case ERROR_TYPE:
                if (value.isTextual() && ErrorTypes.isAllowedValue(value.textValue(), catalog.packages())) {
                    return null;
                }
                // Worded from the SDK's rule (ErrorTypes), which folds every other value into "other" itself.
                return (value.isTextual() ? "\"" + shorten(value.textValue()) + "\"" : shorten(value.toString()))
                        + " is not an error type the SDK sends: a class name in java.*, javax.*"
                        + (catalog.packages().isEmpty() ? "" : " or " + String.join(".*, ", catalog.packages()) + ".*")
                        + " shaped like java.io.IOException (lower-case packages, then a class name starting with a"
                        + " capital, at most 200 characters), or \"other\"";
            default:
                if (!value.isTextual() || field.indexOf(value.textValue()) < 0) {
                    return (value.isTextual() ? "\"" + shorten(value.textValue()) + "\"" : shorten(value.toString()))
                            + " is not a value of " + field.name() + "; allowed: " + String.join(", ", field.values());
                }
                return null;
        }
    }

    /**
     * The largest noise magnitude a discrete Laplace draw of scale 1/ε exceeds with probability at
     * most {@link #NOISE_TAIL_PROBABILITY} (the SDK's own sampler's exact tail bound).
     */
    static long noiseBound(BigDecimal epsilon) {
        return DiscreteLaplace.tailBound(1.0 / epsilon.doubleValue(), 1.0 - NOISE_TAIL_PROBABILITY);
    }

    private static JsonNode required(JsonNode object, String path, String name, List<FieldError> errors) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(path + key(name), "missing"));
            return null;
        }
        return value;
    }

    private static String text(JsonNode object, String path, String name, List<FieldError> errors) {
        JsonNode value = required(object, path, name, errors);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(path + key(name), "must be a string, not " + kind(value)));
            return null;
        }
        return value.textValue();
    }

    private static String oneOf(JsonNode object, String path, String name, List<String> allowed, List<FieldError> errors) {
        String value = text(object, path, name, errors);
        if (value != null && !allowed.contains(value)) {
            errors.add(new FieldError(path + key(name), "\"" + shorten(value) + "\" is not allowed; one of "
                    + String.join(", ", allowed)));
        }
        return value;
    }

    /** The JSONPath step for a key: {@code .name}, or {@code ["odd key"]} when it is not a plain name. */
    static String key(String name) {
        if (isPlainName(name)) {
            return "." + name;
        }
        return "[" + MAPPER.getNodeFactory().textNode(shorten(name)).toString() + "]";
    }

    /** {@code major.minor} (no leading zeros, at most six digits each) or {@code unknown}. */
    static boolean isAppVersion(String text) {
        return APP_VERSION.matcher(text).matches() || text.equals("unknown");
    }

    /** {@code java_<major>} for a major version from 8 on. */
    static boolean isRuntime(String text) {
        java.util.regex.Matcher m = RUNTIME.matcher(text);
        return m.matches() && Integer.parseInt(m.group(1)) >= 8;
    }

    /** A short lower-case token: {@code [a-z0-9_-]{1,32}}. */
    static boolean isInstallMethod(String text) {
        return INSTALL_METHOD.matcher(text).matches();
    }

    /**
     * What is wrong with a report id, or null when it is a fresh random UUID as DESIGN §5 asks. The id is
     * the dedupe key, so an id that is not random (the nil UUID, a time-based or name-based one, a
     * constant a broken client repeats) would get every later report of its sender dropped as a
     * duplicate: it is refused instead, so that the sender hears about it.
     */
    static String reportIdProblem(String reportId) {
        if (!isUuidText(reportId)) {
            return "must be a UUID like 7f1c9e0a-1b2c-4d3e-8f90-a1b2c3d4e5f6, not \"" + shorten(reportId) + "\"";
        }
        if (isRandomUuidText(reportId)) {
            return null;
        }
        String fresh = "; every report needs a fresh random (version 4) UUID, since a repeated report_id is dropped"
                + " as a duplicate";
        if (reportId.replace("-", "").chars().allMatch(c -> c == '0')) {
            return "is the nil UUID" + fresh;
        }
        if (Character.digit(reportId.charAt(14), 16) != 4) {
            return "is a version " + Character.digit(reportId.charAt(14), 16) + " UUID, not a random one (version 4)" + fresh;
        }
        return "has variant digit " + reportId.charAt(19) + ", not 8, 9, a or b (RFC 4122)" + fresh;
    }

    /**
     * A version 4, variant 1 (RFC 4122) UUID in text form, either case: what {@code UUID.randomUUID()} and
     * the SDK's report builder make. Assumes {@link #isUuidText}.
     */
    static boolean isRandomUuidText(String text) {
        char variant = text.charAt(19);
        return text.charAt(14) == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b'
                || variant == 'A' || variant == 'B');
    }

    /** {@code 8-4-4-4-12} hex digits of either case, checked by hand (as all per-report checks here, without a regex). */
    static boolean isUuidText(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isHexDigit(c, true)) {
                return false;
            }
        }
        return true;
    }

    /** 64 lower-case hex digits. */
    /**
     * Whether an app not known here has the catalog version the report names in the store: installed
     * through another collector node sharing the database ({@link CatalogRegistry#find} looks it up).
     */
    private boolean installedElsewhere(String app, JsonNode report) {
        JsonNode sha = report.get("catalog_sha256");
        return sha != null && sha.isTextual() && isSha256Text(sha.textValue()) && catalogs.find(app, sha.textValue()).isPresent();
    }

    static boolean isSha256Text(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (!isHexDigit(text.charAt(i), false)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c, boolean upperCaseToo) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (upperCaseToo && c >= 'A' && c <= 'F');
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]{0,63}}, checked by hand: this runs for every key of every report. */
    private static boolean isPlainName(String name) {
        int length = name.length();
        if (length == 0 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }

    static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
