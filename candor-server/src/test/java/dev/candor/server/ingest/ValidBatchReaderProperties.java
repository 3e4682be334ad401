package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.context.Environment;
import dev.candor.internal.context.ReportContext;
import dev.candor.internal.record.CellTotals;
import dev.candor.internal.record.ReportBuilder;
import dev.candor.server.ingest.SdkReportProperties.FixedEnvironment;
import dev.candor.server.store.Report;
import dev.candor.server.testing.AcmeStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The one-pass reader ({@link ValidBatchReader}) against the tree validator it stands in for: every body the
 * SDK sends is read the fast way, into exactly the reports (and canonical text) the tree validator makes; and
 * whatever is done to such a body (a value changed, a key removed or added, keys reordered, bytes broken), the
 * fast reader either gives up or agrees with the tree validator, never accepting what it refuses.
 */
class ValidBatchReaderProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static AcmeStore acmeStore;
    static ReportValidator validator;
    static ReportIngest ingest;
    static ValidBatchReader reader;
    static Catalog acme;

    @BeforeContainer
    static void install() throws Exception {
        acmeStore = AcmeStore.open("candor-fast-path-properties");
        acme = acmeStore.acme;
        validator = new ReportValidator(acmeStore.catalogs, SdkReportProperties.NOON);
        ingest = new ReportIngest(validator, acmeStore.store);
        reader = validator.validBatchReader();
    }

    @AfterContainer
    static void remove() throws IOException {
        acmeStore.close();
    }

    @Property(tries = 300)
    void everyBodyTheSdkSendsIsReadTheFastWayIntoTheSameReports(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 30) int batch) throws Exception {
        Random random = new Random(seed);
        byte[] body = body(random, batch);

        Optional<List<Report>> fast = reader.read(body);

        assertThat(fast).as(new String(body, StandardCharsets.UTF_8)).isPresent();
        assertThat(fast.get()).isEqualTo(ingest.validate(StrictJson.parse(body)));
    }

    @Property(tries = 2000)
    void whateverIsChangedTheFastWayNeverAcceptsWhatTheValidatorRefusesNorReadsItDifferently(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int batch, @ForAll @IntRange(min = 1, max = 3) int changes) throws Exception {
        Random random = new Random(seed);
        JsonNode tree = MAPPER.readTree(body(random, batch));
        for (int i = 0; i < changes; i++) {
            tree = mutate(tree, random);
        }
        byte[] body = MAPPER.writeValueAsBytes(tree);
        if (random.nextInt(4) == 0) {
            body = breakBytes(body, random);
        }

        assertAgrees(body);
    }

    private static void assertAgrees(byte[] body) {
        Optional<List<Report>> fast = reader.read(body);
        List<Report> slow;
        try {
            slow = ingest.validate(StrictJson.parse(body));
        } catch (ProblemException refused) {
            Statistics.collect("refused", fast.isPresent() ? "read the fast way" : "fast way gave up");
            assertThat(fast).as("refused (%s) but read the fast way: %s", refused.problem().detail(),
                    new String(body, StandardCharsets.UTF_8)).isEmpty();
            return;
        }
        Statistics.collect("valid", fast.isPresent() ? "read the fast way" : "fast way gave up");
        fast.ifPresent(reports -> assertThat(reports).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(slow));
    }

    /** A request body of SDK-built reports: one report alone ({@code batch} 0) or {@code {"reports": [...]}}. */
    static byte[] body(Random random, int batch) throws IOException {
        if (batch == 0) {
            return sdkReport(random).getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder body = new StringBuilder("{\"reports\":[");
        for (int i = 0; i < batch; i++) {
            body.append(i > 0 ? "," : "").append(sdkReport(random));
        }
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One report as the SDK's {@code ReportBuilder} writes it, with random counts, context and version. */
    static String sdkReport(Random random) {
        CellTotals totals = new CellTotals();
        int recordings = random.nextInt(30);
        for (int i = 0; i < recordings; i++) {
            long n = 1 + random.nextInt(random.nextBoolean() ? 5 : 300);
            switch (random.nextInt(3)) {
                case 0 -> totals.add("command_run", List.of(SdkReportProperties.pick(SdkReportProperties.COMMANDS, random),
                        Boolean.toString(random.nextBoolean()), SdkReportProperties.pick(SdkReportProperties.DURATIONS, random)), n);
                case 1 -> totals.add("error", List.of(SdkReportProperties.pick(SdkReportProperties.ERRORS, random)), n);
                default -> totals.add("input_size", List.of(SdkReportProperties.pick(SdkReportProperties.SIZES, random)), n);
            }
        }
        String period = SdkReportProperties.NOON.instant().atOffset(ZoneOffset.UTC).toLocalDate()
                .minusDays(random.nextInt(7)).toString();
        Environment env = new FixedEnvironment(random.nextBoolean() ? "Linux" : "Mac OS X",
                random.nextBoolean() ? "amd64" : "aarch64", random.nextBoolean() ? "17" : "1.8");
        return ReportBuilder.build(acme, period, totals,
                ReportContext.of(env, SdkReportProperties.pick(SdkReportProperties.INSTALLS, random), random.nextLong() & Long.MAX_VALUE),
                SdkReportProperties.pick(SdkReportProperties.VERSIONS, random), random).jsonString();
    }

    /** Values a mutation puts somewhere: each kind of JSON value, and ones that are valid somewhere else in a report. */
    private static JsonNode someValue(Random random) {
        return switch (random.nextInt(22)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(1);
            case 2 -> NODES.numberNode(1.0);
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(101);
            case 5 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 6 -> NODES.numberNode(0.5);
            case 7 -> NODES.textNode("convert");
            case 8 -> NODES.textNode("other");
            case 9 -> NODES.textNode("java.lang.Error");
            case 10 -> NODES.textNode("com.vendor.Secret");
            case 11 -> NODES.textNode("2.0");
            case 12 -> NODES.textNode("linux");
            case 13 -> NODES.textNode("discrete_laplace");
            case 14 -> NODES.textNode("1990-01-01");
            case 15 -> NODES.textNode("7F1C9E0A-1B2C-4D3E-8F90-A1B2C3D4E5F6");
            case 16 -> NODES.booleanNode(random.nextBoolean());
            case 17 -> NODES.objectNode();
            case 18 -> NODES.arrayNode();
            case 19 -> NODES.objectNode().put("n", 1);
            case 20 -> NODES.numberNode(1_000_000_000_000L);
            default -> NODES.textNode("<1KB");
        };
    }

    /** One random change somewhere in the tree (the tree may be replaced). */
    private static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return someValue(random);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int kind = random.nextInt(6);
            if (names.isEmpty() || kind == 0) {
                String name = random.nextBoolean() ? "extra"
                        : List.of("v", "n", "app", "noise", "counts", "reports", "ci", "command", "error", "type").get(random.nextInt(10));
                object.set(name, someValue(random));
            } else if (kind == 1) {
                object.remove(names.get(random.nextInt(names.size())));
            } else if (kind == 2) {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                object.fields().forEachRemaining(fields::add);
                Collections.shuffle(fields, random);
                object.removeAll();
                fields.forEach(field -> object.set(field.getKey(), field.getValue()));
            } else {
                object.set(names.get(random.nextInt(names.size())), someValue(random));
            }
        } else if (target instanceof ArrayNode array) {
            int kind = random.nextInt(4);
            if (array.isEmpty() || kind == 0) {
                array.add(someValue(random));
            } else if (kind == 1) {
                array.add(array.get(random.nextInt(array.size())).deepCopy());
            } else if (kind == 2) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.set(random.nextInt(array.size()), someValue(random));
            }
        }
        return random.nextInt(50) == 0 ? someValue(random) : root;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    /** Deletes, inserts or overwrites a few bytes, or appends something after the document. */
    private static byte[] breakBytes(byte[] body, Random random) {
        StringBuilder text = new StringBuilder(new String(body, StandardCharsets.UTF_8));
        int at = random.nextInt(text.length());
        switch (random.nextInt(4)) {
            case 0 -> text.deleteCharAt(at);
            case 1 -> text.insert(at, "\",{}[]:1 \\x".charAt(random.nextInt(11)));
            case 2 -> text.setCharAt(at, "\",{}[]:1 ".charAt(random.nextInt(9)));
            default -> text.append(random.nextBoolean() ? " {}" : " ");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
