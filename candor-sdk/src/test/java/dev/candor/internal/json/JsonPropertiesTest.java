package dev.candor.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class JsonPropertiesTest {

    @Property(tries = 500)
    void compactWriteThenParseGivesTheSameValue(@ForAll("values") Object value) {
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }

    @Property(tries = 300)
    void prettyWriteThenParseGivesTheSameValue(@ForAll("values") Object value) {
        assertThat(Json.parse(Json.writePretty(value))).isEqualTo(value);
        assertThat(Json.parse(Json.writePretty(value).getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
    }

    @Property(tries = 300)
    void writingIsStable(@ForAll("values") Object value) {
        String once = Json.write(value);
        assertThat(Json.write(Json.parse(once))).isEqualTo(once);
    }

    @Property(tries = 1000)
    void arbitraryTextEitherParsesOrFailsWithJsonException(@ForAll("jsonish") String text) {
        assertParsesOrJsonException(() -> Json.parse(text));
    }

    @Property(tries = 1000)
    void arbitraryBytesEitherParseOrFailWithJsonException(@ForAll byte[] bytes) {
        assertParsesOrJsonException(() -> Json.parse(bytes));
    }

    @Property(tries = 1000)
    void mutatedValidJsonEitherParsesOrFailsWithJsonException(@ForAll("values") Object value,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll char replacement,
            @ForAll @IntRange(min = 0, max = 2) int operation) {
        StringBuilder text = new StringBuilder(Json.write(value));
        int i = where % (text.length() + 1);
        if (operation == 0) {
            text.insert(i, replacement);
        } else if (operation == 1 && i < text.length()) {
            text.deleteCharAt(i);
        } else if (i < text.length()) {
            text.setCharAt(i, replacement);
        }
        assertParsesOrJsonException(() -> Json.parse(text.toString()));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            bytes[i % bytes.length] ^= (byte) replacement;
        }
        assertParsesOrJsonException(() -> Json.parse(bytes));
    }

    @Property(tries = 200)
    void nestingUpTo64IsReadAndDeeperIsRejected(@ForAll @IntRange(min = 1, max = 200) int depth,
            @ForAll boolean objects) {
        String open = objects ? "{\"k\":" : "[";
        String close = objects ? "}" : "]";
        String text = open.repeat(depth) + "0" + close.repeat(depth);
        if (depth <= Json.MAX_DEPTH) {
            assertThat(Json.parse(text)).isNotNull();
        } else {
            assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class)
                    .hasMessageContaining("nesting deeper than 64");
        }
    }

    @Property(tries = 300)
    void hugeNumbersAreKeptExactly(@ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 9) Integer> digits,
            @ForAll boolean negative, @ForAll @IntRange(min = -5000, max = 5000) int exponent) {
        StringBuilder sb = new StringBuilder(negative ? "-" : "");
        sb.append(1 + digits.get(0) % 9);
        for (int d : digits.subList(1, digits.size())) {
            sb.append(d);
        }
        sb.append(".5e").append(exponent);
        BigDecimal expected = new BigDecimal(sb.toString());
        assertThat(Json.parse(sb.toString())).isEqualTo(expected);
        // Written back, the number keeps its value (an integral value may come back as a Long).
        assertThat(new BigDecimal(Json.parse(Json.write(expected)).toString())).isEqualByComparingTo(expected);
    }

    @Property(tries = 300)
    void duplicateKeysAreAlwaysRejected(@ForAll("keys") String key, @ForAll("values") Object a,
            @ForAll("values") Object b) {
        String text = "{" + Json.write(key) + ":" + Json.write(a) + "," + Json.write(key) + ":" + Json.write(b) + "}";
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class)
                .hasMessageContaining("duplicate key");
    }

    @Property(tries = 500)
    void invalidUtf8IsAlwaysRejected(@ForAll("keys") String prefix, @ForAll("invalidUtf8") byte[] bad) {
        byte[] head = ("[\"" + prefix.replace("\\", "").replace("\"", "")).getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"]".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
        assertThatThrownBy(() -> Json.parse(all)).isInstanceOfSatisfying(JsonException.class, e -> {
            assertThat(e.getMessage()).contains("invalid UTF-8");
            assertThat(e.offset()).isGreaterThanOrEqualTo(head.length).isLessThan(head.length + bad.length);
        });
    }

    private static void assertParsesOrJsonException(Runnable parse) {
        try {
            parse.run();
        } catch (JsonException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\":,.-+eE0123456789tfnrul \\/\n\t\u0000\ud800\udc00é")
                .ofMaxLength(60);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().all().ofMaxLength(12).filter(JsonPropertiesTest::wellFormedUtf16);
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xBF}, new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xC1, (byte) 0xBF}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xF5},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xC3},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98});
    }

    @Provide
    Arbitrary<Object> values() {
        return value(4);
    }

    private static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20).filter(JsonPropertiesTest::wellFormedUtf16).map(s -> s),
                Arbitraries.longs().map(l -> l),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
                        .map(b -> new BigDecimal(b, 3)).filter(d -> d.scale() > 0).map(d -> d),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE),
                Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(8)
                .filter(JsonPropertiesTest::wellFormedUtf16), value(depth - 1)).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<String, Object>(m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(1, list), net.jqwik.api.Tuple.of(1, map));
    }

    private static boolean wellFormedUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

}
