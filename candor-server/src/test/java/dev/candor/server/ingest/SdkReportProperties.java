package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.context.Environment;
import dev.candor.internal.context.ReportContext;
import dev.candor.internal.record.CellTotals;
import dev.candor.internal.record.ReportBuilder;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.store.Report;
import dev.candor.server.store.ReportJson;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.AcmeStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Reports built by the SDK's own {@code ReportBuilder} (what acme installs really send) always
 * pass the collector's validation, whatever an install recorded and whichever catalog version its user
 * agreed to, even one the collector never had: the two sides of wire format v1 agree. The report ingest makes is the one the store later reads back from the stored text, and that
 * text is what Jackson would write for the same tree.
 */
class SdkReportProperties {
    static final Clock NOON = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    static final List<String> COMMANDS = List.of("convert", "count", "hash");
    static final List<String> DURATIONS = List.of("<100ms", "100ms-1s", "1s-5s", "5s-30s", ">30s");
    /** Error types as an app hands them to the SDK: class names, and mistakes the SDK folds into "other". */
    static final List<String> ERRORS = List.of("java.io.IOException", "java.nio.file.NoSuchFileException",
            "dev.candor.examples.acme.BadInput", "dev.candor.examples.acme.io.Parser$Broken", "com.vendor.Secret",
            "javax.net.ssl.SSLHandshakeException", "java.io.tmpdir", "java.lang.Ошибка", "other");
    static final List<String> SIZES = List.of("<1KB", "1KB-1MB", "1MB-100MB", ">100MB");
    static final List<String> VERSIONS = List.of("2.0.1", "v3", "10.4-SNAPSHOT", "garbage", "1.2.3.4");
    static final List<String> INSTALLS = List.of("maven", "zip", "brew", "unknown");

    static AcmeStore acmeStore;
    static ReportValidator validator;
    static Catalog acme;
    /** What an install of the acme catalog records while its user's agreement is to an earlier version without ">100MB". */
    static Catalog acmeAgreedEarlier;

    @BeforeContainer
    static void install() throws Exception {
        acmeStore = AcmeStore.open("candor-sdk-properties");
        acme = acmeStore.acme;
        validator = new ReportValidator(acmeStore.catalogs, NOON);
        assertThat(CatalogParser.parse(AcmeReports.catalogBytes(), "acme").sha256()).isEqualTo(acme.sha256());
        // The earlier version is not installed on this collector: the SDK's reports must not need it.
        Catalog earlier = CatalogParser.parse(new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                .replace(", \">100MB\"]", "]").getBytes(StandardCharsets.UTF_8), "acme, an earlier version");
        acmeAgreedEarlier = CatalogDiff.agreedPart(acme, earlier);
        assertThat(acmeAgreedEarlier.event("input_size").fields().get(0).values()).hasSize(3);
    }

    @AfterContainer
    static void remove() throws IOException {
        acmeStore.close();
    }

    @Property(tries = 200)
    void everyReportTheSdkBuildsIsValid(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int recordings,
            @ForAll @IntRange(min = 0, max = 6) int daysAgo) throws Exception {
        Random random = new Random(seed);
        // an install whose user agreed to the current catalog, or still to an earlier one (fewer input sizes)
        boolean waiting = random.nextInt(4) == 0;
        Catalog recording = waiting ? acmeAgreedEarlier : acme;
        CellTotals totals = new CellTotals();
        for (int i = 0; i < recordings; i++) {
            long n = 1 + random.nextInt(random.nextBoolean() ? 5 : 300);
            switch (random.nextInt(4)) {
                case 0 -> totals.add("command_run", List.of(pick(COMMANDS, random),
                        Boolean.toString(random.nextBoolean()), pick(DURATIONS, random)), n);
                case 1 -> totals.add("error", List.of(pick(ERRORS, random)), n);
                // more distinct types than an install names: the SDK keeps the most frequent 20
                case 2 -> totals.add("error", List.of("dev.candor.examples.acme.Failure" + random.nextInt(30)), n);
                default -> totals.add("input_size", List.of(pick(waiting ? SIZES.subList(0, 3) : SIZES, random)), n);
            }
        }
        String period = NOON.instant().atOffset(ZoneOffset.UTC).toLocalDate().minusDays(daysAgo).toString();
        Environment env = new FixedEnvironment(random.nextBoolean() ? "Linux" : "Mac OS X",
                random.nextBoolean() ? "amd64" : "aarch64", random.nextBoolean() ? "17" : "1.8");
        dev.candor.internal.record.Report built = ReportBuilder.build(recording, period, totals,
                ReportContext.of(env, pick(INSTALLS, random), random.nextLong() & Long.MAX_VALUE),
                pick(VERSIONS, random), random);

        List<FieldError> errors = new ArrayList<>();
        Optional<Report> valid = validator.validate(new ObjectMapper().readTree(built.json()), "$", errors);
        assertThat(errors).as(built.jsonString()).isEmpty();
        assertThat(valid.orElseThrow().reportId()).hasToString(built.reportId());
        assertThat(valid.get().period()).hasToString(period);
        // ingest reads the model from its canonical tree; the store reads it back from the stored text
        assertThat(ReportJson.read(valid.get().json())).isEqualTo(valid.get());
        assertThat(valid.get().json()).isEqualTo(new ObjectMapper().readTree(valid.get().json()).toString());
    }

    static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    /** An environment that is only the system properties the context reads. */
    static final class FixedEnvironment extends Environment {
        private final String osName;
        private final String osArch;
        private final String javaVersion;

        FixedEnvironment(String osName, String osArch, String javaVersion) {
            this.osName = osName;
            this.osArch = osArch;
            this.javaVersion = javaVersion;
        }

        @Override
        public String variable(String name) {
            return null;
        }

        @Override
        public String property(String name) {
            return switch (name) {
                case "os.name" -> osName;
                case "os.arch" -> osArch;
                case "java.specification.version" -> javaVersion;
                default -> null;
            };
        }

        @Override
        public boolean terminal() {
            return false;
        }

        @Override
        public java.io.InputStream input() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public java.io.PrintStream errors() {
            return System.err;
        }
    }
}
