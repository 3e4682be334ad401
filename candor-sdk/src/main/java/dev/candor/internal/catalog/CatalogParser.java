package dev.candor.internal.catalog;

import dev.candor.internal.json.Json;
import dev.candor.internal.json.JsonException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a catalog file (DESIGN §3) and checks every rule, collecting all problems before it
 * gives up, so a maintainer fixes a catalog in one pass. Each problem names the file, the JSON
 * path and the rule, and says what to do.
 *
 * <p>Rules beyond the shape of the JSON: app names match {@code [a-z][a-z0-9-]{0,39}}, event and
 * field names {@code [a-z][a-z0-9_]{0,63}}; unknown keys are errors; an enum lists 1 to 64 unique
 * values, each 1 to 64 printable ASCII characters without surrounding spaces; at most 32 events
 * and 2,000 cells in all (an {@code error_type} field counts as 21 values); noise ε in (0, 10];
 * an event with noise has no {@code error_type} field (its cells must be a closed set so every cell
 * can be sent); at most one {@code error_type} field per event; URLs are http or https without
 * user info; {@code "packages"} lists the app's own Java packages (up to 32), whose exception class
 * names may be reported. Warnings: more than 10 events, an event without {@code "review"}.
 * Stateless and thread-safe.
 */
public final class CatalogParser {
    /** More events than this is an error. */
    public static final int MAX_EVENTS = 32;
    /** More events than this draws a warning (the seed's advice: under 10 event types). */
    public static final int ADVISED_EVENTS = 10;
    /** More cells than this, over all events, is an error. */
    public static final int MAX_CELLS = 2000;
    /** The most values an enum field may list. */
    public static final int MAX_ENUM_VALUES = 64;
    /** The longest enum value, in characters. */
    public static final int MAX_ENUM_VALUE_LENGTH = 64;

    private static final List<String> TOP_KEYS = Arrays.asList("catalog", "app", "title", "owner", "policy_url",
            "endpoint", "period", "retention_days", "max_per_cell", "packages", "events");
    private static final List<String> EVENT_KEYS = Arrays.asList("description", "review", "fields", "noise");
    private static final List<String> FIELD_KEYS = Arrays.asList("type", "values");
    private static final List<String> NOISE_KEYS = Arrays.asList("epsilon");
    /** Types a maintainer may try for free text or exact numbers, each between spaces: refused with the reason. */
    private static final String FREE_TEXT_TYPES = " string text str free_text freetext path file url uri message email"
            + " name host ip json object any ";
    private static final String NUMBER_TYPES = " number integer int long float double decimal timestamp time date"
            + " datetime ";

    private final String source;
    /** A catalog a collector accepted and stored before: rules added since for the SDK's sending are not applied. */
    private final boolean stored;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private CatalogParser(String source, boolean stored) {
        this.source = source;
        this.stored = stored;
    }

    /** Reads a catalog file; {@code sourceName} (e.g. the file name) starts every problem line. */
    public static Catalog parse(Path file) throws IOException, CatalogException {
        return parse(Files.readAllBytes(file), String.valueOf(file.getFileName()));
    }

    /**
     * Parses and validates catalog bytes (UTF-8 JSON).
     *
     * @param sourceName what to call the file in problem lines, e.g. {@code catalog.json}
     * @throws CatalogException with every problem found
     */
    public static Catalog parse(byte[] bytes, String sourceName) throws CatalogException {
        return new CatalogParser(sourceName == null ? "catalog" : sourceName, false).read(bytes);
    }

    /**
     * {@link #parse(byte[], String)} for a catalog a collector stored when it accepted it: its endpoint is not
     * checked ({@link #endpointProblem}), since the collector never sends to it, so a version stored before the
     * rule tightened (no query string or fragment) still counts the reports of its installs.
     */
    public static Catalog parseStored(byte[] bytes, String sourceName) throws CatalogException {
        return new CatalogParser(sourceName == null ? "catalog" : sourceName, true).read(bytes);
    }

    private Catalog read(byte[] bytes) throws CatalogException {
        if (bytes == null) {
            throw new CatalogException(List.of(source + ": no catalog (null)"));
        }
        Object root;
        try {
            root = Json.parse(bytes);
        } catch (JsonException e) {
            throw new CatalogException(List.of(source + ": not valid JSON: " + e.getMessage()));
        }
        if (!(root instanceof Map)) {
            throw new CatalogException(List.of(source + ": the catalog must be a JSON object, not " + kind(root)));
        }
        Map<String, Object> top = asObject(root);
        checkKeys(top, "", TOP_KEYS);

        Object version = require(top, "", "catalog");
        if (version != null && !Long.valueOf(1).equals(version)) {
            problem("catalog", "catalog version " + Json.write(version) + " is not supported; this SDK reads"
                    + " \"catalog\": 1");
        }
        String app = string(top, "", "app", true, 40);
        if (app != null && !CatalogSource.isName(app, 40, '-')) {
            problem("app", quote(app) + " is not a valid app name; use 1 to 40 lower-case letters, digits and"
                    + " '-', starting with a letter (e.g. \"acme\")");
        }
        String title = string(top, "", "title", true, 200);
        String owner = string(top, "", "owner", true, 200);
        String policyUrl = url(top, "", "policy_url", true);
        String endpoint = url(top, "", "endpoint", true);
        String endpointWhy = endpoint == null || stored ? null : endpointProblem(endpoint);
        if (endpointWhy != null) {
            problem("endpoint", quote(endpoint) + " " + endpointWhy);
            endpoint = null;
        }
        Catalog.Period period = Catalog.Period.DAY;
        String periodName = string(top, "", "period", false, 10);
        if ("week".equals(periodName)) {
            period = Catalog.Period.WEEK;
        } else if (periodName != null && !"day".equals(periodName)) {
            problem("period", quote(periodName) + " is not a period; use \"day\" or \"week\"");
        }
        int retentionDays = integer(top, "", "retention_days", 90, 1, 3650);
        int maxPerCell = integer(top, "", "max_per_cell", 100, 1, 10_000);
        List<String> packages = packages(top);

        List<EventSpec> events = new ArrayList<>();
        Object eventsValue = require(top, "", "events");
        if (eventsValue != null) {
            if (!(eventsValue instanceof Map)) {
                problem("events", "must be an object of events by name, not " + kind(eventsValue));
            } else {
                Map<String, Object> eventMap = asObject(eventsValue);
                if (eventMap.isEmpty()) {
                    problem("events", "declares no event; declare at least one");
                } else if (eventMap.size() > MAX_EVENTS) {
                    problem("events", eventMap.size() + " events are more than the limit of " + MAX_EVENTS
                            + "; collect less");
                } else if (eventMap.size() > ADVISED_EVENTS) {
                    warnings.add(line("events", eventMap.size() + " events; fewer than " + ADVISED_EVENTS
                            + " keeps telemetry focused and easy to explain"));
                }
                for (Map.Entry<String, Object> e : eventMap.entrySet()) {
                    EventSpec event = event(e.getKey(), e.getValue());
                    if (event != null) {
                        events.add(event);
                    }
                }
                long cells = 0;
                for (EventSpec e : events) {
                    cells += e.cellCount();
                }
                if (cells > MAX_CELLS) {
                    problem("events", "the events have " + cells + " cells in all (the product of each event's"
                            + " field values, an error_type counting " + (FieldType.ERROR_TYPE_LIMIT + 1)
                            + "), more than the limit of " + MAX_CELLS + "; use fewer fields or values");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(app, title, owner, policyUrl, endpoint, period, retentionDays, maxPerCell, packages,
                events, events, warnings, bytes.clone(), null);
    }

    private List<String> packages(Map<String, Object> top) {
        List<String> packages = new ArrayList<>();
        if (!top.containsKey("packages")) {
            return packages;
        }
        Object value = top.get("packages");
        if (!(value instanceof List)) {
            problem("packages", "must be an array of Java package names, e.g. [\"com.acme\"], not " + kind(value));
            return packages;
        }
        List<?> list = (List<?>) value;
        if (list.size() > 32) {
            problem("packages", list.size() + " packages are more than the limit of 32; name the top packages only");
        }
        for (int i = 0; i < list.size(); i++) {
            Object p = list.get(i);
            String path = "packages[" + i + "]";
            if (!(p instanceof String) || !isPackageName((String) p) || ((String) p).length() > 200) {
                problem(path, (p instanceof String ? quote((String) p) : kind(p))
                        + " is not a Java package name as error types are matched: use lower-case dotted"
                        + " identifiers such as \"com.acme\"");
            } else if (packages.contains(p)) {
                problem(path, quote((String) p) + " is listed twice");
            } else {
                packages.add((String) p);
            }
        }
        return packages;
    }

    private EventSpec event(String name, Object value) {
        String path = "events." + name;
        boolean ok = true;
        if (!CatalogSource.isName(name, 64, '_')) {
            problem(path, quote(name) + " is not a valid event name; use 1 to 64 lower-case letters, digits and"
                    + " '_', starting with a letter");
            ok = false;
        }
        if (!(value instanceof Map)) {
            problem(path, "an event must be an object with \"description\" and \"fields\", not " + kind(value));
            return null;
        }
        Map<String, Object> event = asObject(value);
        checkKeys(event, path, EVENT_KEYS);
        String description = string(event, path, "description", true, 500);
        String review = url(event, path, "review", false);
        if (!event.containsKey("review")) {
            warnings.add(line(path, "no \"review\"; link the public discussion where collecting this event was agreed"));
        }
        List<FieldSpec> fields = new ArrayList<>();
        int errorTypes = 0;
        if (event.containsKey("fields")) {
            Object fieldsValue = event.get("fields");
            if (!(fieldsValue instanceof Map)) {
                problem(path + ".fields", "must be an object of fields by name, not " + kind(fieldsValue));
                ok = false;
            } else {
                for (Map.Entry<String, Object> f : asObject(fieldsValue).entrySet()) {
                    FieldSpec field = field(path + ".fields." + f.getKey(), f.getKey(), f.getValue());
                    if (field == null) {
                        ok = false;
                    } else {
                        fields.add(field);
                        if (field.type() == FieldType.ERROR_TYPE) {
                            errorTypes++;
                        }
                    }
                }
            }
        }
        if (errorTypes > 1) {
            problem(path + ".fields", "has " + errorTypes + " fields of type \"error_type\"; use at most one");
            ok = false;
        }
        BigDecimal epsilon = null;
        if (event.containsKey("noise")) {
            epsilon = noise(path + ".noise", event.get("noise"));
            if (epsilon == null) {
                ok = false;
            } else if (errorTypes > 0) {
                problem(path + ".noise", "an event with noise is sent with every cell, so it cannot have an"
                        + " \"error_type\" field (its values are not a closed set); drop the noise or the field");
                ok = false;
            }
        }
        if (!ok || description == null) {
            return null;
        }
        return new EventSpec(name, description, review, fields, epsilon);
    }

    private BigDecimal noise(String path, Object value) {
        if (!(value instanceof Map)) {
            problem(path, "must be an object such as {\"epsilon\": 1.0}, not " + kind(value));
            return null;
        }
        Map<String, Object> noise = asObject(value);
        checkKeys(noise, path, NOISE_KEYS);
        Object eps = require(noise, path, "epsilon");
        if (eps == null) {
            return null;
        }
        if (!(eps instanceof Long || eps instanceof BigDecimal)) {
            problem(path + ".epsilon", "must be a number, not " + kind(eps));
            return null;
        }
        BigDecimal epsilon = new BigDecimal(eps.toString());
        if (epsilon.signum() <= 0 || epsilon.compareTo(BigDecimal.TEN) > 0) {
            problem(path + ".epsilon", "epsilon " + eps + " is outside (0, 10]; smaller means more noise,"
                    + " 1.0 is a good start");
            return null;
        }
        if (epsilon.precision() - epsilon.scale() < -8 || epsilon.scale() > 9) {
            problem(path + ".epsilon", "epsilon " + eps + " has too many decimals; use at most 9");
            return null;
        }
        return epsilon.stripTrailingZeros();
    }

    private FieldSpec field(String path, String name, Object value) {
        boolean ok = true;
        if (!CatalogSource.isName(name, 64, '_')) {
            problem(path, quote(name) + " is not a valid field name; use 1 to 64 lower-case letters, digits and"
                    + " '_', starting with a letter");
            ok = false;
        }
        if (!(value instanceof Map)) {
            problem(path, "a field must be an object such as {\"type\": \"boolean\"}, not " + kind(value));
            return null;
        }
        Map<String, Object> field = asObject(value);
        checkKeys(field, path, FIELD_KEYS);
        Object typeValue = field.get("type");
        if (!field.containsKey("type")) {
            problem(path, "has no \"type\"; use one of " + typeNames());
            return null;
        }
        if (!(typeValue instanceof String)) {
            problem(path + ".type", "must be a string, one of " + typeNames() + ", not " + kind(typeValue));
            return null;
        }
        String typeName = (String) typeValue;
        FieldType type = FieldType.fromJsonName(typeName);
        if (type == null) {
            String lower = " " + typeName.toLowerCase(Locale.ROOT) + " ";
            boolean listed = CatalogSource.isName(lower.trim(), 64, '_'); // a word: no space inside
            if (listed && FREE_TEXT_TYPES.contains(lower)) {
                problem(path, "type " + quote(typeName) + " is not allowed (free text could carry personal data);"
                        + " use \"enum\"");
            } else if (listed && NUMBER_TYPES.contains(lower)) {
                problem(path, "type " + quote(typeName) + " is not allowed (an exact number or time could single"
                        + " out a user); use \"count\" or \"duration\" buckets, or \"enum\"");
            } else {
                problem(path, "type " + quote(typeName) + " is unknown; use one of " + typeNames());
            }
            return null;
        }
        List<String> values = new ArrayList<>();
        if (type == FieldType.ENUM) {
            if (!field.containsKey("values")) {
                problem(path, "an \"enum\" field needs \"values\": the list of every value it may take");
                return null;
            }
            Object list = field.get("values");
            if (!(list instanceof List)) {
                problem(path + ".values", "must be an array of strings, not " + kind(list));
                return null;
            }
            List<?> raw = (List<?>) list;
            if (raw.isEmpty()) {
                problem(path + ".values", "is empty; list every value the field may take");
                ok = false;
            } else if (raw.size() > MAX_ENUM_VALUES) {
                problem(path + ".values", raw.size() + " values are more than the limit of " + MAX_ENUM_VALUES
                        + "; group rare values into one such as \"other\"");
                ok = false;
            }
            for (int i = 0; i < raw.size(); i++) {
                String at = path + ".values[" + i + "]";
                Object v = raw.get(i);
                if (!(v instanceof String)) {
                    problem(at, "must be a string, not " + kind(v));
                    ok = false;
                    continue;
                }
                String s = (String) v;
                String why = enumValueProblem(s);
                if (why != null) {
                    problem(at, quote(s) + " " + why);
                    ok = false;
                } else if (values.contains(s)) {
                    problem(at, quote(s) + " is listed twice; enum values must be unique");
                    ok = false;
                } else {
                    values.add(s);
                }
            }
        } else if (field.containsKey("values")) {
            problem(path + ".values", "only an \"enum\" lists values; type " + quote(typeName)
                    + (type.fixedValues().isEmpty() ? " has no declared values" : " always has the values "
                    + Json.write(type.fixedValues())) + "; remove \"values\"");
            ok = false;
        }
        return ok ? new FieldSpec(name, type, values) : null;
    }

    private static String enumValueProblem(String s) {
        if (s.isEmpty()) {
            return "is empty; enum values must be non-empty";
        }
        if (s.length() > MAX_ENUM_VALUE_LENGTH) {
            return "is longer than " + MAX_ENUM_VALUE_LENGTH + " characters; use a short label";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return "contains a character outside printable ASCII; use a short ASCII label";
            }
        }
        if (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return "starts or ends with a space";
        }
        return null;
    }

    private static String typeNames() {
        StringBuilder sb = new StringBuilder();
        for (FieldType t : FieldType.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('"').append(t.jsonName()).append('"');
        }
        return sb.toString();
    }

    private void checkKeys(Map<String, Object> object, String path, List<String> allowed) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                String suggestion = closest(key, allowed);
                problem(join(path, key), "unknown key " + quote(key)
                        + (suggestion != null ? "; did you mean " + quote(suggestion) + "?"
                        : "; allowed here: " + String.join(", ", allowed)));
            }
        }
    }

    private Object require(Map<String, Object> object, String path, String key) {
        if (!object.containsKey(key) || object.get(key) == null) {
            problem(join(path, key), "is missing; it is required");
            return null;
        }
        return object.get(key);
    }

    private String string(Map<String, Object> object, String path, String key, boolean required, int maxLength) {
        if (!object.containsKey(key) && !required) {
            return null;
        }
        Object value = required ? require(object, path, key) : object.get(key);
        if (value == null) {
            if (!required) {
                problem(join(path, key), "must be a string, not null");
            }
            return null;
        }
        if (!(value instanceof String)) {
            problem(join(path, key), "must be a string, not " + kind(value));
            return null;
        }
        String s = (String) value;
        if (s.trim().isEmpty()) {
            problem(join(path, key), "is empty");
            return null;
        }
        if (s.length() > maxLength) {
            problem(join(path, key), "is longer than " + maxLength + " characters");
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                problem(join(path, key), "contains a control character; use one line of plain text");
                return null;
            }
        }
        return s;
    }

    private String url(Map<String, Object> object, String path, String key, boolean required) {
        String s = string(object, path, key, required, 2000);
        if (s == null) {
            return null;
        }
        String why = urlProblem(s);
        if (why != null) {
            problem(join(path, key), quote(s) + " " + why);
            return null;
        }
        return s;
    }

    /**
     * What is wrong with {@code s} as the catalog's {@code endpoint} or {@code policy_url} (an http or https
     * URL with a host and no user name or password), or null when nothing is. The words never repeat the
     * URL, so that a caller may print them for a value holding a password. Also the rule for {@code
     * <APP>_TELEMETRY_ENDPOINT}.
     */
    public static String urlProblem(String s) {
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "must be an http or https URL";
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "has no host; use a full URL such as https://example.org/...";
            } else if (uri.getRawUserInfo() != null) {
                return "must not hold a user name or password";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + e.getReason() + ")";
        }
    }

    /**
     * What is wrong with {@code s} as the collector's address (the catalog's {@code endpoint}, {@code
     * <APP>_TELEMETRY_ENDPOINT}), or null when nothing is: {@link #urlProblem}'s rule, and no query string or
     * fragment, which would go to the collector with every report (a query string could carry something that
     * identifies the user) and which no collector needs. The words never repeat the URL.
     */
    public static String endpointProblem(String s) {
        String why = urlProblem(s);
        if (why != null) {
            return why;
        }
        URI uri = URI.create(s);
        if (uri.getRawQuery() != null) {
            return "must not hold a query string (\"?...\"): it would go to the collector with every report, and"
                    + " a collector needs none";
        }
        if (uri.getRawFragment() != null) {
            return "must not hold a fragment (\"#...\"): an endpoint is an address only";
        }
        return null;
    }

    private int integer(Map<String, Object> object, String path, String key, int defaultValue, int min, int max) {
        if (!object.containsKey(key)) {
            return defaultValue;
        }
        Object value = object.get(key);
        if (!(value instanceof Long) || (Long) value < min || (Long) value > max) {
            problem(join(path, key), "must be a whole number from " + min + " to " + max + ", not "
                    + (value instanceof Long || value instanceof BigDecimal ? value.toString() : kind(value)));
            return defaultValue;
        }
        return (int) (long) (Long) value;
    }

    private void problem(String path, String message) {
        problems.add(line(path, message));
    }

    /** One line of a problem or a warning: the file, the JSON path and the message. */
    private String line(String path, String message) {
        return source + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** {@code s} as a JSON string (a parsed catalog holds no lone surrogate, the one string JSON cannot write). */
    private static String quote(String s) {
        return Json.write(s);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Long || value instanceof BigDecimal) {
            return "a number";
        } else if (value instanceof List) {
            return "an array";
        }
        return "an object";
    }

    /**
     * The allowed key within edit distance 2 of {@code key} (compared in lower case, {@code -} as {@code _}),
     * the first of the closest; null when none is that close. For "did you mean" in messages.
     */
    public static String closest(String key, List<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = editDistance(key.toLowerCase(Locale.ROOT).replace('-', '_'), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64) {
            return 3;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }


    /**
     * {@code [a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*}: dotted lower-case ASCII identifiers, the only package names
     * an error type can be below ({@link ErrorTypes#isClassNameBelow}); a capital letter would match nothing.
     */
    static boolean isPackageName(String s) {
        boolean atStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || c == '_';
            if (atStart) {
                if (!letter) {
                    return false;
                }
                atStart = false;
            } else if (c == '.') {
                atStart = true;
            } else if (!letter && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return !atStart;
    }
}
