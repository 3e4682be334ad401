package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.ingest.Problem.FieldError;
import dev.candor.server.store.Report;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.AcmeStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Counts of exact and noised events: accepted exactly inside their bounds, refused at their path outside. */
class ExactCountProperties {
    static final Clock NOON = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    static AcmeStore acmeStore;
    static ReportValidator validator;

    @BeforeContainer
    static void install() throws Exception {
        acmeStore = AcmeStore.open("candor-properties");
        validator = new ReportValidator(acmeStore.catalogs, NOON);
    }

    @AfterContainer
    static void remove() throws IOException {
        acmeStore.close();
    }

    Optional<Report> withCount(String event, int n, List<FieldError> errors) {
        ObjectNode report = AcmeReports.valid();
        report.put("period", "2026-11-25");
        ((ObjectNode) report.get("counts").get(event).get(0)).put("n", n);
        return validator.validate(report, "$", errors);
    }

    @Property(tries = 300)
    void exactCountsLieInZeroToMaxPerCell(@ForAll @IntRange(min = -50, max = 150) int n) {
        List<FieldError> errors = new ArrayList<>();
        Optional<Report> valid = withCount("error", n, errors);
        if (n >= 0 && n <= 100) {
            assertThat(valid).as(errors.toString()).isPresent();
            assertThat(valid.get().cells()).anySatisfy(c -> assertThat(c.n()).isEqualTo(n));
        } else {
            assertThat(errors).extracting(FieldError::path).containsExactly("$.counts.error[0].n");
        }
    }

    /** Epsilon 1: noise beyond 21 happens with probability under 1e-9, so counts lie in -21..121. */
    @Property(tries = 300)
    void noisedCountsLieWithinTheNoiseBound(@ForAll @IntRange(min = -60, max = 160) int n) {
        List<FieldError> errors = new ArrayList<>();
        Optional<Report> valid = withCount("input_size", n, errors);
        if (n >= -21 && n <= 121) {
            assertThat(valid).as(errors.toString()).isPresent();
        } else {
            assertThat(errors).extracting(FieldError::path).containsExactly("$.counts.input_size[0].n");
        }
    }
}
