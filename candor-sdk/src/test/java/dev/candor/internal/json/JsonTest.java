package dev.candor.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    @SuppressWarnings("unchecked")
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) v;
        assertThat(map.keySet()).containsExactly("a", "b");
        assertThat((List<Object>) map.get("a")).containsExactly(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1e3"),
                true, false, null, "xé\n");
        assertThat(map.get("b")).isEqualTo(Map.of());
    }

    @Test
    void keepsMemberOrder() {
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(map.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void writesCompactAndPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("list", List.of("a", true));
        m.put("empty", new LinkedHashMap<>());
        m.put("none", new ArrayList<>());
        assertThat(Json.write(m)).isEqualTo("{\"v\":1,\"list\":[\"a\",true],\"empty\":{},\"none\":[]}");
        assertThat(Json.writePretty(m)).isEqualTo(
                "{\n  \"v\": 1,\n  \"list\": [\n    \"a\",\n    true\n  ],\n  \"empty\": {},\n  \"none\": []\n}");
    }

    @Test
    void escapesStrings() {
        assertThat(Json.write("q\"b\\s/\b\f\n\r\t\u0001\u001f é 😀"))
                .isEqualTo("\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f é 😀\"");
    }

    @Test
    void bigNumbersStayExact() {
        assertThat(Json.parse("123456789012345678901234567890"))
                .isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(Json.parse("1e999999999")).isEqualTo(new BigDecimal("1e999999999"));
        assertThatThrownBy(() -> Json.parse("1e99999999999")).isInstanceOf(JsonException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void rejectsWhatStrictJsonForbids() {
        assertRejected("{\"a\":1,\"a\":2}", "duplicate key \"a\"", 7);
        assertRejected("{} {}", "after the JSON value", 3);
        assertRejected("01", "leading zeros", 0);
        assertRejected("-01", "leading zeros", 0);
        assertRejected("NaN", "NaN", 0);
        assertRejected("-Infinity", "Infinity", 0);
        assertRejected("[1,]", "expected a value", 3);
        assertRejected("{\"a\":1,}", "member name", 7);
        assertRejected("\"a\tb\"", "control character U+0009", 2);
        assertRejected("\"\\ud800\"", "lone surrogate", 1);
        assertRejected("\"\\udc00\"", "lone surrogate", 1);
        assertRejected("\"\\ud800\\u0041\"", "not followed by an escaped low surrogate", 1);
        assertRejected("\"\ud800\"", "lone surrogate", 1);
        assertRejected("\"\\x\"", "invalid escape", 1);
        assertRejected("\"\\u12\"", "four hex digits", 1);
        assertRejected("\"abc", "unterminated string", 0);
        assertRejected("", "empty input", 0);
        assertRejected("   ", "empty input", 3);
        assertRejected("1.", "decimal point", 0);
        assertRejected("1e", "exponent", 0);
        assertRejected("+1", "expected a value", 0);
        assertRejected("'a'", "expected a value", 0);
        assertRejected("\uFEFF{}", "byte order mark", 0);
        assertRejected("tru", "expected a value", 0);
        assertRejected("{\"a\" 1}", "expected ':'", 5);
        assertRejected("[1 2]", "expected ',' or ']'", 3);
    }

    @Test
    void errorsNameLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"))
                .isInstanceOfSatisfying(JsonException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(3);
                    assertThat(e.getMessage()).isEqualTo("line 3, column 3 (char 14): duplicate key \"a\"");
                });
    }

    @Test
    void depthLimitIs64() {
        String ok = "[".repeat(64) + "]".repeat(64);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(65) + "]".repeat(65);
        assertRejected(deep, "nesting deeper than 64", 64);
        String deepObjects = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
        assertThatThrownBy(() -> Json.parse(deepObjects)).isInstanceOf(JsonException.class)
                .hasMessageContaining("nesting deeper than 64");
        // Far deeper than the limit still gives a JsonException, not a StackOverflowError.
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).isInstanceOf(JsonException.class);
    }

    @Test
    void invalidUtf8IsRejectedWithItsByteOffset() {
        byte[] bytes = {'[', '"', 'a', (byte) 0xC3, (byte) 0x28, '"', ']'};
        assertThatThrownBy(() -> Json.parse(bytes)).isInstanceOfSatisfying(JsonException.class, e -> {
            assertThat(e.offset()).isEqualTo(3);
            assertThat(e.getMessage()).contains("invalid UTF-8").contains("byte 3");
        });
        // An encoded surrogate (CESU-8 style) is not UTF-8 either.
        byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThatThrownBy(() -> Json.parse(surrogate)).isInstanceOf(JsonException.class)
                .hasMessageContaining("invalid UTF-8");
        // Overlong encoding of '/'.
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertThatThrownBy(() -> Json.parse(overlong)).isInstanceOf(JsonException.class);
        // Truncated sequence at the end.
        byte[] truncated = {'"', (byte) 0xE2, (byte) 0x82};
        assertThatThrownBy(() -> Json.parse(truncated)).isInstanceOf(JsonException.class)
                .hasMessageContaining("invalid UTF-8");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThatThrownBy(() -> Json.parse(bom)).isInstanceOf(JsonException.class)
                .hasMessageContaining("byte order mark");
    }

    @Test
    void byteOffsetsCountBytesNotChars() {
        byte[] bytes = "[\"éé\", x]".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.parse(bytes)).isInstanceOfSatisfying(JsonException.class,
                e -> assertThat(e.offset()).isEqualTo(9));
    }

    @Test
    void writerRefusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.write("\ud800")).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(JsonException.class);
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Json.write(cycle)).isInstanceOf(JsonException.class);
        assertThat(Json.write(Arrays.asList(1.5, 2.5f, null))).isEqualTo("[1.5,2.5,null]");
    }

    private static void assertRejected(String text, String reason, long offset) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOfSatisfying(JsonException.class, e -> {
            assertThat(e.reason()).contains(reason);
            assertThat(e.offset()).isEqualTo(offset);
        });
    }
}
