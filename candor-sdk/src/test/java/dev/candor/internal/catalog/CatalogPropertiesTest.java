package dev.candor.internal.catalog;

import static dev.candor.internal.catalog.CatalogParserTest.event;
import static dev.candor.internal.catalog.CatalogParserTest.map;
import static dev.candor.internal.catalog.CatalogParserTest.minimal;
import static dev.candor.internal.catalog.CatalogParserTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.internal.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CatalogPropertiesTest {

    @Property(tries = 500)
    void appNamesAreAcceptedExactlyWhenTheyMatchThePattern(@ForAll("names") String name) {
        Map<String, Object> m = minimal();
        m.put("app", name);
        boolean valid = name.matches("[a-z][a-z0-9-]{0,39}");
        if (valid) {
            assertThat(parseQuietly(m)).isNotNull();
        } else {
            assertThatThrownBy(() -> parse(m)).isInstanceOf(CatalogException.class).hasMessageContaining("app:");
        }
    }

    @Property(tries = 500)
    void eventAndFieldNamesAreAcceptedExactlyWhenTheyMatchThePattern(@ForAll("names") String name,
            @ForAll boolean asField) {
        Map<String, Object> m = minimal();
        if (asField) {
            event(m, "started").put("fields", map(name, map("type", "boolean")));
        } else {
            CatalogParserTest.events(m).put(name, map("description", "d", "review", "https://example.org/r"));
        }
        boolean valid = name.matches("[a-z][a-z0-9_]{0,63}") && (asField || !name.equals("started"));
        if (valid) {
            assertThat(parseQuietly(m)).isNotNull();
        } else if (!name.equals("started")) {
            assertThatThrownBy(() -> parse(m)).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("is not a valid " + (asField ? "field" : "event") + " name");
        }
    }

    @Property(tries = 500)
    void enumValuesFollowTheRules(@ForAll @Size(max = 70) List<@net.jqwik.api.constraints.StringLength(max = 66)
            @net.jqwik.api.constraints.CharRange(from = 0x1f, to = 0x80) String> values) {
        Map<String, Object> m = minimal();
        event(m, "started").put("fields", map("f", map("type", "enum", "values", values)));
        boolean valid = !values.isEmpty() && values.size() <= 64 && new HashSet<>(values).size() == values.size()
                && values.stream().allMatch(v -> v.matches("[\\x20-\\x7e]{1,64}") && !v.startsWith(" ")
                        && !v.endsWith(" "));
        if (valid) {
            Catalog c = parseQuietly(m);
            assertThat(c.event("started").field("f").values()).containsExactlyElementsOf(values);
        } else {
            assertThatThrownBy(() -> parse(m)).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("events.started.fields.f.values");
        }
    }

    @Property(tries = 300)
    void epsilonMustBeInZeroToTen(@ForAll("epsilons") BigDecimal epsilon) {
        Map<String, Object> m = minimal();
        event(m, "started").put("noise", map("epsilon", epsilon));
        boolean valid = epsilon.signum() > 0 && epsilon.compareTo(BigDecimal.TEN) <= 0;
        if (valid) {
            assertThat(parseQuietly(m).event("started").noiseEpsilon()).isEqualByComparingTo(epsilon);
        } else {
            assertThatThrownBy(() -> parse(m)).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("outside (0, 10]");
        }
    }

    @Property(tries = 300)
    void cellLimitIsExactlyTwoThousand(@ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 64) Integer> sizes,
            @ForAll @IntRange(min = 0, max = 1) int errorTypes) {
        Map<String, Object> m = minimal();
        Map<String, Object> fields = new LinkedHashMap<>();
        long cells = 1;
        for (int i = 0; i < sizes.size(); i++) {
            List<String> values = new ArrayList<>();
            for (int v = 0; v < sizes.get(i); v++) {
                values.add("v" + v);
            }
            fields.put("f" + i, map("type", "enum", "values", values));
            cells *= sizes.get(i);
        }
        if (errorTypes == 1) {
            fields.put("type", map("type", "error_type"));
            cells *= 21;
        }
        event(m, "started").put("fields", fields);
        long expectedTotal = cells;
        if (expectedTotal <= 2000) {
            assertThat(parseQuietly(m).totalCells()).isEqualTo(expectedTotal);
        } else {
            assertThatThrownBy(() -> parse(m)).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("cells in all");
        }
    }

    @Property(tries = 500)
    void cellIndexIsABijection(@ForAll @Size(min = 0, max = 4) List<@IntRange(min = 1, max = 6) Integer> sizes,
            @ForAll @IntRange(min = -1, max = 4) int errorAt) {
        List<FieldSpec> fields = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            if (i == errorAt) {
                fields.add(new FieldSpec("type", FieldType.ERROR_TYPE, List.of()));
            }
            List<String> values = new ArrayList<>();
            for (int v = 0; v < sizes.get(i); v++) {
                values.add("f" + i + "v" + v);
            }
            fields.add(new FieldSpec("f" + i, FieldType.ENUM, values));
        }
        EventSpec e = new EventSpec("e", "d", null, fields, null);
        int n = e.closedCellCount();
        assertThat(n).isEqualTo(sizes.stream().reduce(1, (a, b) -> a * b));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String[] values = e.cellValues(i);
            if (e.errorTypeField() >= 0) {
                assertThat(values[e.errorTypeField()]).isNull();
                values[e.errorTypeField()] = "java.io.IOException";
            }
            int back = e.cellIndex(values);
            assertThat(back).isEqualTo(i);
            seen.add(back);
        }
        assertThat(seen).hasSize(n);
    }

    @Property(tries = 300)
    void arbitraryBytesGiveACatalogOrACatalogException(@ForAll byte[] bytes) {
        try {
            CatalogParser.parse(bytes, "x.json");
        } catch (CatalogException expected) {
            assertThat(expected.problems()).isNotEmpty().allMatch(p -> p.startsWith("x.json: "));
        }
    }

    @Property(tries = 300)
    void randomShapesGiveACatalogOrACatalogException(@ForAll("shapes") Object json) {
        byte[] bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
        try {
            CatalogParser.parse(bytes, "x.json");
        } catch (CatalogException expected) {
            assertThat(expected.problems()).isNotEmpty().allMatch(p -> p.startsWith("x.json: "));
        }
    }

    @Property(tries = 300)
    void durationBucketsAreOrderedAndCoverEverything(@ForAll long a, @ForAll long b) {
        long lo = Math.min(a, b);
        long hi = Math.max(a, b);
        assertThat(FieldType.DURATION_BUCKETS.indexOf(FieldType.durationBucket(lo)))
                .isLessThanOrEqualTo(FieldType.DURATION_BUCKETS.indexOf(FieldType.durationBucket(hi)))
                .isGreaterThanOrEqualTo(0);
        assertThat(FieldType.COUNT_BUCKETS.indexOf(FieldType.countBucket(lo)))
                .isLessThanOrEqualTo(FieldType.COUNT_BUCKETS.indexOf(FieldType.countBucket(hi)))
                .isGreaterThanOrEqualTo(0);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '_').ofMinLength(1).ofMaxLength(70),
                Arbitraries.strings().all().ofMaxLength(10).filter(s -> !s.isEmpty() && !hasLoneSurrogate(s)));
    }

    @Provide
    Arbitrary<BigDecimal> epsilons() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-2"), new BigDecimal("12")).ofScale(3);
    }

    @Provide
    Arbitrary<Object> shapes() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.of("acme", "enum", "day", "https://x.org", "", "error_type")
                .map(s -> (Object) s), Arbitraries.longs().between(-3, 3000).map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<String> keys = Arbitraries.of("catalog", "app", "title", "owner", "policy_url", "endpoint", "period",
                "retention_days", "max_per_cell", "packages", "events", "description", "fields", "type", "values",
                "noise", "epsilon", "review", "x");
        Arbitrary<Object> level1 = Arbitraries.maps(keys, leaf).ofMaxSize(4).map(m -> (Object) m);
        Arbitrary<Object> level2 = Arbitraries.maps(keys, Arbitraries.oneOf(leaf, level1, leaf.list().ofMaxSize(3)
                .map(l -> (Object) l))).ofMaxSize(5).map(m -> (Object) m);
        return Arbitraries.maps(keys, Arbitraries.oneOf(leaf, level1, level2)).ofMaxSize(11).map(m -> (Object) m);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static Catalog parseQuietly(Map<String, Object> m) {
        try {
            return parse(m);
        } catch (CatalogException e) {
            throw new AssertionError("expected the catalog to parse: " + e.getMessage(), e);
        }
    }
}
